//! What a scan reads: a set of in-memory files, gathered from a directory
//! tree or an uploaded archive under explicit [`Limits`].
//!
//! **Invariant:** nothing here writes to disk or follows a link; archives are
//! unpacked into memory only, after every path has been validated.

use std::path::Path;

use serde::Serialize;

use crate::error::InputError;

/// Bounds applied while gathering input and while parsing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Scannable files kept in one input.
    pub max_files: usize,
    /// Largest single file kept (bytes).
    pub max_file_bytes: u64,
    /// Total bytes of kept files, and total bytes an archive may decompress to.
    pub max_total_bytes: u64,
    /// Entries (files, directories, anything) an archive may list.
    pub max_archive_entries: usize,
    /// Values one file may expand to (YAML aliases, JSON); bounds memory per file.
    pub max_nodes_per_file: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_files: 20_000,
            max_file_bytes: 8 * 1024 * 1024,
            max_total_bytes: 512 * 1024 * 1024,
            max_archive_entries: 100_000,
            max_nodes_per_file: 2_000_000,
        }
    }
}

/// One input file: a relative, `/`-separated path and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A file left out of the scan, and why (reported, never silent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// The files one scan covers, sorted by path for deterministic reports.
#[derive(Debug, Clone, Default)]
pub struct ScanInput {
    files: Vec<SourceFile>,
    skipped: Vec<SkippedFile>,
    total_bytes: u64,
}

impl ScanInput {
    pub fn new() -> ScanInput {
        ScanInput::default()
    }

    /// Builds an input from files already in memory (API uploads, tests).
    /// Paths are validated like archive entries; non-IaC files are ignored.
    pub fn from_files<I>(files: I, limits: &Limits) -> Result<ScanInput, InputError>
    where
        I: IntoIterator<Item = (String, Vec<u8>)>,
    {
        let mut input = ScanInput::new();
        for (path, bytes) in files {
            let path = crate::archive::safe_relative_path(&path)?;
            input.add(path, bytes, limits)?;
        }
        input.finish();
        Ok(input)
    }

    /// Walks `root` (a directory or a single file) without following
    /// symlinks, skipping `.git` and `.terraform`. Oversized files are
    /// skipped and listed; exceeding the file count or total size is an error.
    pub fn from_dir(root: &Path, limits: &Limits) -> Result<ScanInput, InputError> {
        let mut input = ScanInput::new();
        let meta = std::fs::symlink_metadata(root).map_err(|e| InputError::io(root, e))?;
        if meta.is_file() {
            let name = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "input".to_string());
            input.add_from_disk(root, name, meta.len(), limits)?;
        } else {
            input.walk(root, root, limits, 0)?;
        }
        input.finish();
        Ok(input)
    }

    /// Unpacks a zip, tar or tar.gz archive in memory (see [`crate::archive`]).
    pub fn from_archive(bytes: &[u8], limits: &Limits) -> Result<ScanInput, InputError> {
        let mut input = ScanInput::new();
        crate::archive::unpack(bytes, limits, &mut |path, data| {
            input.add(path, data, limits)
        })?;
        input.finish();
        Ok(input)
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    pub fn skipped(&self) -> &[SkippedFile] {
        &self.skipped
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Adds one file if its name looks like IaC; enforces count and size limits.
    pub fn add(&mut self, path: String, bytes: Vec<u8>, limits: &Limits) -> Result<(), InputError> {
        if !is_candidate(&path) {
            return Ok(());
        }
        if bytes.len() as u64 > limits.max_file_bytes {
            self.skipped.push(SkippedFile {
                reason: format!("larger than the {} byte limit", limits.max_file_bytes),
                path,
            });
            return Ok(());
        }
        if self.files.len() >= limits.max_files {
            return Err(InputError::TooManyFiles {
                limit: limits.max_files,
            });
        }
        self.total_bytes += bytes.len() as u64;
        if self.total_bytes > limits.max_total_bytes {
            return Err(InputError::TooLarge {
                limit: limits.max_total_bytes,
            });
        }
        self.files.push(SourceFile { path, bytes });
        Ok(())
    }

    fn finish(&mut self) {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        self.files.dedup_by(|a, b| a.path == b.path);
        self.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    }

    fn walk(
        &mut self,
        root: &Path,
        dir: &Path,
        limits: &Limits,
        depth: usize,
    ) -> Result<(), InputError> {
        if depth > 64 {
            return Ok(());
        }
        let entries = std::fs::read_dir(dir).map_err(|e| InputError::io(dir, e))?;
        let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if meta.is_dir() {
                if matches!(name.as_str(), ".git" | ".terraform" | "node_modules") {
                    continue;
                }
                self.walk(root, &path, limits, depth + 1)?;
            } else if meta.is_file() {
                let rel = path
                    .strip_prefix(root)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or(name);
                self.add_from_disk(&path, rel, meta.len(), limits)?;
            }
            // Symlinks and special files are never followed.
        }
        Ok(())
    }

    fn add_from_disk(
        &mut self,
        path: &Path,
        rel: String,
        len: u64,
        limits: &Limits,
    ) -> Result<(), InputError> {
        if !is_candidate(&rel) {
            return Ok(());
        }
        if len > limits.max_file_bytes {
            self.skipped.push(SkippedFile {
                reason: format!("larger than the {} byte limit", limits.max_file_bytes),
                path: rel,
            });
            return Ok(());
        }
        match std::fs::read(path) {
            Ok(bytes) => self.add(rel, bytes, limits),
            Err(e) => {
                self.skipped.push(SkippedFile {
                    path: rel,
                    reason: format!("unreadable: {e}"),
                });
                Ok(())
            }
        }
    }
}

/// Whether a path may hold something we parse (decided by name only, so
/// unrelated files in a repository cost nothing).
pub fn is_candidate(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let by_ext = [".tf", ".tfvars", ".yaml", ".yml", ".json", ".template"]
        .iter()
        .any(|ext| lower.ends_with(ext));
    by_ext || is_dockerfile_name(&lower)
}

pub fn is_dockerfile_name(lower_name: &str) -> bool {
    lower_name == "dockerfile"
        || lower_name == "containerfile"
        || lower_name.starts_with("dockerfile.")
        || lower_name.ends_with(".dockerfile")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_by_name() {
        assert!(is_candidate("infra/main.tf"));
        assert!(is_candidate("k8s/app.YAML"));
        assert!(is_candidate("Dockerfile"));
        assert!(is_candidate("build/api.Dockerfile"));
        assert!(is_candidate("Dockerfile.prod"));
        assert!(!is_candidate("src/main.rs"));
        assert!(!is_candidate("README.md"));
    }

    #[test]
    fn from_dir_skips_vcs_and_respects_limits() {
        let dir = std::env::temp_dir().join(format!("bulwark-iac-input-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::create_dir_all(dir.join("mod")).unwrap();
        std::fs::write(dir.join(".git/x.tf"), "x").unwrap();
        std::fs::write(dir.join("main.tf"), "a").unwrap();
        std::fs::write(dir.join("mod/b.yaml"), "b: 1").unwrap();
        std::fs::write(dir.join("big.json"), vec![b' '; 64]).unwrap();
        std::fs::write(dir.join("notes.txt"), "n").unwrap();
        let limits = Limits {
            max_file_bytes: 32,
            ..Limits::default()
        };
        let input = ScanInput::from_dir(&dir, &limits).unwrap();
        let paths: Vec<_> = input.files().iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["main.tf", "mod/b.yaml"]);
        assert_eq!(input.skipped()[0].path, "big.json");
        let tight = Limits {
            max_files: 1,
            ..Limits::default()
        };
        assert!(matches!(
            ScanInput::from_dir(&dir, &tight),
            Err(InputError::TooManyFiles { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn from_files_validates_paths() {
        let limits = Limits::default();
        assert!(ScanInput::from_files([("../x.tf".to_string(), vec![])], &limits).is_err());
        let ok = ScanInput::from_files([("./a/x.tf".to_string(), vec![])], &limits).unwrap();
        assert_eq!(ok.files()[0].path, "a/x.tf");
    }
}
