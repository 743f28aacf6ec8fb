//! Hostile and ordinary archives through `ScanInput::from_archive`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::io::{Cursor, Write};

use bulwark_iac::{InputError, Limits, ScanInput};

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        // set_path refuses `..`; write the raw name to simulate a hostile archive.
        let raw = header.as_old_mut();
        raw.name[..name.len()].copy_from_slice(name.as_bytes());
        header.set_cksum();
        builder.append(&header, *data).unwrap();
    }
    builder.into_inner().unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[test]
fn zip_tar_and_tar_gz_unpack_in_memory() {
    let entries: &[(&str, &[u8])] = &[
        ("repo/main.tf", b"resource \"aws_s3_bucket\" \"b\" {}"),
        ("repo/README.md", b"ignored"),
        ("repo/k8s/app.yaml", b"kind: Pod"),
    ];
    for bytes in [zip_of(entries), tar_of(entries), gzip(&tar_of(entries))] {
        let input = ScanInput::from_archive(&bytes, &Limits::default()).unwrap();
        let paths: Vec<_> = input.files().iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["repo/k8s/app.yaml", "repo/main.tf"]);
    }
}

#[test]
fn traversal_and_absolute_paths_are_refused() {
    for name in ["../evil.tf", "a/../../evil.tf", "/etc/evil.tf"] {
        let zip = zip_of(&[(name, b"x")]);
        assert!(
            matches!(
                ScanInput::from_archive(&zip, &Limits::default()),
                Err(InputError::UnsafePath { .. })
            ),
            "zip {name}"
        );
        let tar = tar_of(&[(name, b"x")]);
        assert!(
            matches!(
                ScanInput::from_archive(&tar, &Limits::default()),
                Err(InputError::UnsafePath { .. })
            ),
            "tar {name}"
        );
    }
}

#[test]
fn symlinks_are_refused() {
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Symlink);
    header.set_size(0);
    builder
        .append_link(&mut header, "link.tf", "/etc/passwd")
        .unwrap();
    let tar = builder.into_inner().unwrap();
    assert!(matches!(
        ScanInput::from_archive(&tar, &Limits::default()),
        Err(InputError::LinkEntry { .. })
    ));

    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    writer
        .add_symlink(
            "link.tf",
            "/etc/passwd",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
    let zip = writer.finish().unwrap().into_inner();
    assert!(matches!(
        ScanInput::from_archive(&zip, &Limits::default()),
        Err(InputError::LinkEntry { .. })
    ));
}

#[test]
fn gzip_bomb_stops_at_the_total_cap() {
    let zeros = vec![0u8; 20 * 1024 * 1024];
    let bomb = gzip(&tar_of(&[("big.tf", &zeros)]));
    assert!(bomb.len() < 100 * 1024, "the bomb compresses well");
    let limits = Limits {
        max_total_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let err = ScanInput::from_archive(&bomb, &limits).unwrap_err();
    assert!(
        matches!(
            err,
            InputError::DecompressedTooLarge { .. } | InputError::EntryTooLarge { .. }
        ),
        "{err:?}"
    );
}

#[test]
fn entry_size_and_count_caps() {
    let limits = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    let big = vec![b'a'; 1000];
    let zip = zip_of(&[("big.tf", &big)]);
    assert!(matches!(
        ScanInput::from_archive(&zip, &limits),
        Err(InputError::EntryTooLarge { .. })
    ));
    let tar = tar_of(&[("big.tf", &big)]);
    assert!(matches!(
        ScanInput::from_archive(&tar, &limits),
        Err(InputError::EntryTooLarge { .. })
    ));

    let limits = Limits {
        max_archive_entries: 2,
        ..Limits::default()
    };
    let many: Vec<(String, Vec<u8>)> = (0..5).map(|i| (format!("f{i}.tf"), vec![b'x'])).collect();
    let refs: Vec<(&str, &[u8])> = many
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    assert!(matches!(
        ScanInput::from_archive(&zip_of(&refs), &limits),
        Err(InputError::TooManyEntries { .. })
    ));
    assert!(matches!(
        ScanInput::from_archive(&tar_of(&refs), &limits),
        Err(InputError::TooManyEntries { .. })
    ));
}

#[test]
fn garbage_is_a_typed_error() {
    assert!(matches!(
        ScanInput::from_archive(b"hello world", &Limits::default()),
        Err(InputError::UnknownArchiveFormat)
    ));
    assert!(matches!(
        ScanInput::from_archive(b"PK\x03\x04garbage", &Limits::default()),
        Err(InputError::Malformed(_))
    ));
    let truncated = &gzip(&tar_of(&[("a.tf", b"x")]))[..20];
    assert!(ScanInput::from_archive(truncated, &Limits::default()).is_err());
}
