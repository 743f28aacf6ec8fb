//! O11/O12, outgoing traffic at VPC and instance level: the `AWS_OUTGOING_TRAFFIC`
//! connections the AWS collector folds from VPC flow logs, filtered and paged with
//! the seed's own rules and messages (pages from 1, size at most 50, default 20,
//! ISO 8601 time bounds).

use serde_json::{Value, json};

use crate::auth::Principal;
use crate::error::{DomainError, Result};
use crate::inventory::{InventoryService, Page};

const KEY: &str = "AWS_OUTGOING_TRAFFIC";
/// Most rows an unpaged (`isPageable=false`) answer carries.
const MAX_UNPAGED: i64 = 10_000;
const DATE_FORMAT: &str = "It accepts formats described by the following syntax:\n[date-element] 'T' [time-element] [offset]\n where date-element = yyyy-MM-dd\n and time-element(optional) = HH:mm:ss\n and offset(optional) = [+/-]hh:mm";

/// Whose traffic.
#[derive(Debug, Clone, Copy)]
pub enum TrafficScope<'a> {
    Vpc {
        account_id: Option<&'a str>,
        vpc_id: Option<&'a str>,
    },
    Instance {
        instance_id: Option<&'a str>,
    },
}

/// The raw query parameters of O11/O12.
#[derive(Debug, Clone, Copy, Default)]
pub struct TrafficParams<'a> {
    pub page: Option<&'a str>,
    pub size: Option<&'a str>,
    pub is_pageable: Option<&'a str>,
    pub time_from: Option<&'a str>,
    pub time_to: Option<&'a str>,
}

fn invalid(msg: &str) -> DomainError {
    DomainError::invalid(msg.to_string())
}

/// An id as the flow logs write it (`vpc-…`, `i-…`, account digits): anything else is
/// "Invalid data", and nothing else reaches the query.
fn id(raw: Option<&str>) -> Result<&str> {
    raw.map(str::trim)
        .filter(|s| !s.is_empty() && s.len() <= 64)
        .filter(|s| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .ok_or_else(|| invalid("Invalid data"))
}

/// `yyyy-MM-dd['T'HH:mm:ss][(+|-)hh:mm]` (UTC without an offset, `Z` too) → epoch ms.
fn parse_iso(s: &str) -> Option<i64> {
    let s = s.trim();
    let num = |t: &str| -> Option<i64> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (date, rest) = s.split_at(s.len().min(10));
    let mut parts = date.split('-');
    let (y, m, d) = (
        num(parts.next()?)?,
        num(parts.next()?)?,
        num(parts.next()?)?,
    );
    if date.len() != 10 || parts.next().is_some() || !(1..=12).contains(&m) {
        return None;
    }
    let month_days = [
        31,
        28 + i64::from(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)),
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if d < 1 || d > month_days[usize::try_from(m - 1).ok()?] {
        return None;
    }
    let (time, offset) = match rest.strip_prefix('T') {
        Some(t) => {
            let at = t.find(['+', '-', 'Z']).unwrap_or(t.len());
            t.split_at(at)
        }
        None if rest.is_empty() => ("", ""),
        // An offset straight after the date.
        None if rest.starts_with(['+', '-']) => ("", rest),
        None => return None,
    };
    let secs_of_day = if time.is_empty() {
        0
    } else {
        let mut t = time.split(':');
        let (h, mi, sec) = (num(t.next()?)?, num(t.next()?)?, num(t.next()?)?);
        if t.next().is_some() || h > 23 || mi > 59 || sec > 59 {
            return None;
        }
        h * 3600 + mi * 60 + sec
    };
    let offset_secs = match offset {
        "" | "Z" => 0,
        o => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let (h, mi) = o.get(1..)?.split_once(':')?;
            let (h, mi) = (num(h)?, num(mi)?);
            if h > 23 || mi > 59 || h.to_string().len() > 2 {
                return None;
            }
            sign * (h * 3600 + mi * 60)
        }
    };
    Some((crate::clock::days_from_civil(y, m, d) * 86_400 + secs_of_day - offset_secs) * 1000)
}

fn bound(raw: Option<&str>, name: &str) -> Result<Option<i64>> {
    match raw.filter(|s| !s.trim().is_empty()) {
        None => Ok(None),
        Some(s) => parse_iso(s).map(Some).ok_or_else(|| {
            DomainError::invalid(format!(
                "Date in '{name}' is not in proper format\n{DATE_FORMAT}"
            ))
        }),
    }
}

impl InventoryService {
    /// One page of outgoing connections of a VPC or an instance (O11, O12).
    pub async fn outgoing_traffic(
        &self,
        caller: &Principal,
        scope: TrafficScope<'_>,
        params: TrafficParams<'_>,
    ) -> Result<Page<Value>> {
        let (field, value, account) = match scope {
            TrafficScope::Vpc { account_id, vpc_id } => {
                ("vpcId", id(vpc_id)?, Some(id(account_id)?))
            }
            TrafficScope::Instance { instance_id } => ("instanceId", id(instance_id)?, None),
        };
        let pageable = !params
            .is_pageable
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("false"));
        let size = match params.size.map(str::trim).filter(|s| !s.is_empty()) {
            None => 20,
            Some(s) => s.parse::<i64>().map_err(|_| invalid("Invalid data"))?,
        };
        if size > 50 {
            return Err(invalid("Pageable size cannot be greater than 50"));
        }
        if size < 1 {
            return Err(invalid("Invalid data"));
        }
        let page = if pageable {
            let page = params
                .page
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<i64>().map_err(|_| invalid("Invalid data")))
                .transpose()?
                .unwrap_or(1);
            if page < 1 {
                return Err(invalid("Page number should be greater than 0"));
            }
            page
        } else {
            1
        };
        let (from, to) = (
            bound(params.time_from, "timeFrom")?,
            bound(params.time_to, "timeTo")?,
        );
        if let (Some(f), Some(t)) = (from, to)
            && t <= f
        {
            return Err(invalid(
                "Parameter \u{2018}timeTo\u{2019} should come after \u{2018}timeFrom\u{2019}",
            ));
        }
        // The id is checked above to be letters, digits and hyphens: quoting suffices.
        let mut text = format!("{field}:\"{value}\"");
        // A connection overlapping the window: seen until after its start, since before its end.
        if let Some(f) = from {
            text.push_str(&format!(" and lastSeenEpoch>={}", f / 1000));
        }
        if let Some(t) = to {
            text.push_str(&format!(" and firstSeenEpoch<={}", t / 1000));
        }
        let term = bulwark_query::parse(&text).map_err(|_| invalid("Invalid data"))?;
        let (limit, offset_page) = if pageable {
            (size, page - 1)
        } else {
            (MAX_UNPAGED, 0)
        };
        let (found, meta) = match self
            .page(caller, &[KEY], account, Some(&term), offset_page, limit)
            .await
        {
            Ok(r) => r,
            // An account with no environment here holds no traffic.
            Err(DomainError::Invalid(m)) if m.starts_with("Account Ids") => {
                return Err(invalid("Invalid data"));
            }
            Err(e) => return Err(e),
        };
        if !pageable && found.total > MAX_UNPAGED {
            return Err(invalid(
                "Retry using parameters timeFrom and timeTo or limited range for timeFrom and timeTo",
            ));
        }
        let data = found.assets.iter().map(row).collect::<Vec<_>>();
        Ok(Page {
            current_page: if pageable { page } else { 1 },
            has_next: meta.has_next,
            has_previous: pageable && page > 1,
            total_pages: meta.total_pages,
            size: if pageable {
                size
            } else {
                i64::try_from(data.len()).unwrap_or(0)
            },
            data,
        })
    }
}

/// The seed's row: `name, srcIpAddress, instanceId, interfaceId, dstIpAddress, dstPort, time`.
fn row(a: &bulwark_inventory::Asset) -> Value {
    let d = &a.data;
    json!({
        "name": a.name,
        "srcIpAddress": d["sourceIp"],
        "instanceId": d["instanceId"],
        "interfaceId": d["interfaceId"],
        "dstIpAddress": d["destinationIp"],
        "dstPort": d["destinationPort"].as_i64().map(|p| p.to_string()),
        "time": d["lastSeenEpoch"].as_i64().map(|s| s * 1000),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_8601_as_the_seed_describes_it() {
        assert_eq!(parse_iso("1970-01-01"), Some(0));
        assert_eq!(parse_iso("2026-11-23T06:10:02"), Some(1_795_414_202_000));
        assert_eq!(parse_iso("2026-11-23T06:10:02Z"), Some(1_795_414_202_000));
        assert_eq!(
            parse_iso("2026-11-23T08:10:02+02:00"),
            Some(1_795_414_202_000)
        );
        assert_eq!(
            parse_iso("2026-11-23T01:10:02-05:00"),
            Some(1_795_414_202_000)
        );
        assert_eq!(parse_iso("2024-02-29"), Some(1_709_164_800_000));
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-11-23T25:00:00",
            "23-11-2026",
            "2026-11-23T06:10",
            "yesterday",
            "2026-11-23T06:10:02+2",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn ids_are_checked_before_they_reach_a_query() {
        assert_eq!(id(Some(" vpc-0a1b ")).ok(), Some("vpc-0a1b"));
        for bad in [None, Some(""), Some("vpc\" or *"), Some("a b")] {
            assert!(id(bad).is_err(), "{bad:?}");
        }
    }
}
