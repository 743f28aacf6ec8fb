//! In-memory unpacking of uploaded zip, tar and tar.gz archives.
//!
//! Defences, each with its own [`InputError`]: paths that are absolute or
//! climb with `..` are refused, links (symlinks, hard links) are refused,
//! entry count is capped before reading, every byte decompressed counts
//! against `max_total_bytes` (so a bomb stops early instead of filling
//! memory), and each entry is read through a cap of `max_file_bytes`.
//! `tar::Archive::unpack` is never used: nothing touches the filesystem.

use std::io::{Cursor, Read};

use crate::error::InputError;
use crate::input::{Limits, is_candidate};

/// Validates an archive or upload path and returns it normalised
/// (`/`-separated, no `.` components).
pub fn safe_relative_path(raw: &str) -> Result<String, InputError> {
    let unsafe_path = |reason| InputError::UnsafePath {
        path: raw.to_string(),
        reason,
    };
    if raw.contains('\0') {
        return Err(unsafe_path("contains a NUL byte"));
    }
    let unified = raw.replace('\\', "/");
    if unified.starts_with('/') {
        return Err(unsafe_path("absolute path"));
    }
    let bytes = unified.as_bytes();
    if bytes.len() >= 2
        && bytes.get(1) == Some(&b':')
        && bytes.first().is_some_and(u8::is_ascii_alphabetic)
    {
        return Err(unsafe_path("absolute path"));
    }
    let mut parts = Vec::new();
    for part in unified.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(unsafe_path("path traversal")),
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return Err(unsafe_path("empty path"));
    }
    Ok(parts.join("/"))
}

/// Detects the archive type from magic bytes and hands each regular,
/// safely-named file to `sink`.
pub fn unpack(
    bytes: &[u8],
    limits: &Limits,
    sink: &mut dyn FnMut(String, Vec<u8>) -> Result<(), InputError>,
) -> Result<(), InputError> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        unpack_zip(bytes, limits, sink)
    } else if bytes.starts_with(&[0x1f, 0x8b]) {
        let decoder = flate2::read::GzDecoder::new(bytes);
        unpack_tar(
            CappedReader::new(decoder, limits.max_total_bytes),
            limits,
            sink,
        )
    } else if bytes.get(257..262) == Some(b"ustar") {
        unpack_tar(
            CappedReader::new(bytes, limits.max_total_bytes),
            limits,
            sink,
        )
    } else {
        Err(InputError::UnknownArchiveFormat)
    }
}

fn unpack_zip(
    bytes: &[u8],
    limits: &Limits,
    sink: &mut dyn FnMut(String, Vec<u8>) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| InputError::Malformed(e.to_string()))?;
    if archive.len() > limits.max_archive_entries {
        return Err(InputError::TooManyEntries {
            limit: limits.max_archive_entries,
        });
    }
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|e| InputError::Malformed(e.to_string()))?;
        let raw_name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let path = safe_relative_path(&raw_name)?;
        if entry.is_symlink() {
            return Err(InputError::LinkEntry { path });
        }
        if entry.is_dir() || !is_candidate(&path) {
            continue;
        }
        if entry.size() > limits.max_file_bytes {
            return Err(InputError::EntryTooLarge {
                path,
                limit: limits.max_file_bytes,
            });
        }
        // The declared size is attacker-controlled: read through a cap anyway.
        let data = read_capped(&mut entry, &path, limits.max_file_bytes)?;
        total += data.len() as u64;
        if total > limits.max_total_bytes {
            return Err(InputError::DecompressedTooLarge {
                limit: limits.max_total_bytes,
            });
        }
        sink(path, data)?;
    }
    Ok(())
}

fn unpack_tar<R: Read>(
    reader: CappedReader<R>,
    limits: &Limits,
    sink: &mut dyn FnMut(String, Vec<u8>) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let mut archive = tar::Archive::new(reader);
    let entries = archive.entries().map_err(|e| map_tar_error(e, limits))?;
    for (count, entry) in entries.enumerate() {
        if count >= limits.max_archive_entries {
            return Err(InputError::TooManyEntries {
                limit: limits.max_archive_entries,
            });
        }
        let mut entry = entry.map_err(|e| map_tar_error(e, limits))?;
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let path = safe_relative_path(&raw_name)?;
        let kind = entry.header().entry_type();
        if kind.is_symlink() || kind.is_hard_link() {
            return Err(InputError::LinkEntry { path });
        }
        if !kind.is_file() || !is_candidate(&path) {
            continue;
        }
        let declared = entry.header().size().unwrap_or(0);
        if declared > limits.max_file_bytes {
            return Err(InputError::EntryTooLarge {
                path,
                limit: limits.max_file_bytes,
            });
        }
        let data = read_capped(&mut entry, &path, limits.max_file_bytes).map_err(|e| match e {
            InputError::Malformed(msg) if msg.contains(CAP_MESSAGE) => {
                InputError::DecompressedTooLarge {
                    limit: limits.max_total_bytes,
                }
            }
            other => other,
        })?;
        sink(path, data)?;
    }
    Ok(())
}

const CAP_MESSAGE: &str = "decompressed size cap reached";

fn map_tar_error(e: std::io::Error, limits: &Limits) -> InputError {
    if e.to_string().contains(CAP_MESSAGE) {
        InputError::DecompressedTooLarge {
            limit: limits.max_total_bytes,
        }
    } else {
        InputError::Malformed(e.to_string())
    }
}

fn read_capped(reader: &mut dyn Read, path: &str, cap: u64) -> Result<Vec<u8>, InputError> {
    let mut data = Vec::new();
    reader
        .take(cap + 1)
        .read_to_end(&mut data)
        .map_err(|e| InputError::Malformed(e.to_string()))?;
    if data.len() as u64 > cap {
        return Err(InputError::EntryTooLarge {
            path: path.to_string(),
            limit: cap,
        });
    }
    Ok(data)
}

/// A reader that fails (rather than truncating) once more than `cap` bytes
/// have passed through it, so a decompression bomb becomes an error.
struct CappedReader<R> {
    inner: R,
    remaining: u64,
}

impl<R: Read> CappedReader<R> {
    fn new(inner: R, cap: u64) -> Self {
        CappedReader {
            inner,
            remaining: cap,
        }
    }
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.remaining == 0 {
            // Probe for one more byte: exactly `cap` bytes is still fine.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(CAP_MESSAGE)),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        let slice = buf.get_mut(..want).unwrap_or_default();
        let n = self.inner.read(slice)?;
        self.remaining -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_validation() {
        assert_eq!(safe_relative_path("./a//b/./c.tf").unwrap(), "a/b/c.tf");
        assert!(safe_relative_path("../etc/passwd").is_err());
        assert!(safe_relative_path("a/../../b").is_err());
        assert!(safe_relative_path("/etc/passwd").is_err());
        assert!(safe_relative_path("C:\\x.tf").is_err());
        assert!(safe_relative_path("a\\..\\..\\b").is_err());
        assert!(safe_relative_path("").is_err());
    }

    #[test]
    fn capped_reader_errors_past_cap() {
        let mut out = Vec::new();
        let mut ok = CappedReader::new(&b"12345"[..], 5);
        ok.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"12345");
        let mut over = CappedReader::new(&b"123456"[..], 5);
        assert!(over.read_to_end(&mut Vec::new()).is_err());
    }
}
