//! Reading log files from S3 within [`LogLimits`]: find the bucket's
//! region, list the date-partitioned prefixes of the lookback window, and
//! fetch and decompress the newest files first.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Mutex;

use aws_sdk_s3::Client;
use aws_sdk_sts::primitives::{DateTime, DateTimeFormat};
use flate2::read::MultiGzDecoder;

use crate::ctx::{ApiError, Ctx};
use crate::model::LogLimits;
use crate::session::Session;

/// One listed log file.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    pub key: String,
    pub last_modified: i64,
    pub size: i64,
}

/// Why one file was not read.
#[derive(Debug)]
pub(crate) enum ReadError {
    Api(ApiError),
    /// Larger than [`LogLimits::max_object_bytes`] once decompressed.
    TooLarge,
    /// Not gzip, or truncated.
    Corrupt(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Api(e) => f.write_str(&e.message),
            ReadError::TooLarge => f.write_str("file exceeds the size limit for one log file"),
            ReadError::Corrupt(m) => write!(f, "unreadable log file: {m}"),
        }
    }
}

pub(crate) struct Reader<'a> {
    pub ctx: &'a Ctx,
    session: &'a Session,
    home: &'a str,
    pub limits: &'a LogLimits,
    regions: Mutex<HashMap<String, String>>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(
        ctx: &'a Ctx,
        session: &'a Session,
        home: &'a str,
        limits: &'a LogLimits,
    ) -> Self {
        Reader {
            ctx,
            session,
            home,
            limits,
            regions: Mutex::new(HashMap::new()),
        }
    }

    /// A client for the bucket's own region (S3 redirects otherwise).
    pub(crate) async fn client(&self, bucket: &str) -> Result<Client, ApiError> {
        let cached = self
            .regions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(bucket)
            .cloned();
        let region = match cached {
            Some(r) => r,
            None => {
                let out = self
                    .ctx
                    .call(
                        self.session
                            .s3(self.home)
                            .get_bucket_location()
                            .bucket(bucket)
                            .send(),
                    )
                    .await?;
                let region = crate::s3::location_region(out.location_constraint());
                self.regions
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(bucket.to_owned(), region.clone());
                region
            }
        };
        Ok(self.session.s3(&region))
    }

    /// The files under `prefixes` modified in the lookback window whose key
    /// passes `keep`, newest first.
    pub(crate) async fn list(
        &self,
        client: &Client,
        bucket: &str,
        prefixes: &[String],
        keep: impl Fn(&str) -> bool,
    ) -> Result<Vec<Listed>, ApiError> {
        let since = self.since();
        let mut out = Vec::new();
        for prefix in prefixes {
            let pages = self
                .ctx
                .pages(
                    client
                        .list_objects_v2()
                        .bucket(bucket)
                        .prefix(prefix)
                        .into_paginator()
                        .send(),
                )
                .await?;
            for o in pages.iter().flat_map(|p| p.contents()) {
                let (Some(key), Some(modified)) = (o.key(), o.last_modified()) else {
                    continue;
                };
                if modified.secs() >= since && keep(key) {
                    out.push(Listed {
                        key: key.to_owned(),
                        last_modified: modified.secs(),
                        size: o.size().unwrap_or(0),
                    });
                }
            }
        }
        out.sort_by(|a, b| {
            b.last_modified
                .cmp(&a.last_modified)
                .then_with(|| b.key.cmp(&a.key))
        });
        out.dedup_by(|a, b| a.key == b.key);
        Ok(out)
    }

    /// One file's content, gunzipped when its name ends in `.gz`.
    pub(crate) async fn read(
        &self,
        client: &Client,
        bucket: &str,
        file: &Listed,
    ) -> Result<Vec<u8>, ReadError> {
        let max = self.limits.max_object_bytes;
        // Compressed data is never larger than the decompressed limit.
        if u64::try_from(file.size).unwrap_or(0) > max {
            return Err(ReadError::TooLarge);
        }
        let out = self
            .ctx
            .call(client.get_object().bucket(bucket).key(&file.key).send())
            .await
            .map_err(ReadError::Api)?;
        let raw = out
            .body
            .collect()
            .await
            .map_err(|e| ReadError::Corrupt(e.to_string()))?
            .into_bytes();
        if !file.key.ends_with(".gz") {
            return if raw.len() as u64 > max {
                Err(ReadError::TooLarge)
            } else {
                Ok(raw.to_vec())
            };
        }
        let mut text = Vec::new();
        // One byte past the limit tells "exactly at the limit" from "over it".
        MultiGzDecoder::new(raw.as_ref())
            .take(max.saturating_add(1))
            .read_to_end(&mut text)
            .map_err(|e| ReadError::Corrupt(e.to_string()))?;
        if text.len() as u64 > max {
            return Err(ReadError::TooLarge);
        }
        Ok(text)
    }

    /// Start of the lookback window, in seconds since the epoch.
    pub(crate) fn since(&self) -> i64 {
        self.limits.window_start(self.ctx.now_secs)
    }

    /// The UTC days of the lookback window as `(yyyy, mm, dd)`, oldest first.
    pub(crate) fn days(&self) -> Vec<(String, String, String)> {
        let mut days = Vec::new();
        let mut t = self.since() - self.since().rem_euclid(86_400);
        while t <= self.ctx.now_secs {
            if let Ok(s) = DateTime::from_secs(t).fmt(DateTimeFormat::DateTime) {
                // `2026-11-23T00:00:00Z`
                if let (Some(y), Some(m), Some(d)) = (s.get(0..4), s.get(5..7), s.get(8..10)) {
                    days.push((y.to_owned(), m.to_owned(), d.to_owned()));
                }
            }
            t += 86_400;
        }
        days
    }
}

/// `arn:aws:s3:::bucket/some/prefix/` → (`bucket`, `some/prefix/`); the
/// prefix is empty or ends with `/`.
pub(crate) fn split_s3_arn(arn: &str) -> Option<(String, String)> {
    let rest = arn.split_once(":::")?.1;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return None;
    }
    Some((bucket.to_owned(), with_slash(prefix)))
}

/// A key prefix as S3 log destinations use it: empty, or ending in `/`.
pub(crate) fn with_slash(prefix: &str) -> String {
    let p = prefix.trim_matches('/');
    if p.is_empty() {
        String::new()
    } else {
        format!("{p}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations() {
        assert_eq!(
            split_s3_arn("arn:aws:s3:::logs"),
            Some(("logs".into(), String::new()))
        );
        assert_eq!(
            split_s3_arn("arn:aws:s3:::logs/flow/vpc"),
            Some(("logs".into(), "flow/vpc/".into()))
        );
        assert_eq!(split_s3_arn("arn:aws:s3:::"), None);
        assert_eq!(split_s3_arn("logs"), None);
        assert_eq!(with_slash("/a/b/"), "a/b/");
    }
}
