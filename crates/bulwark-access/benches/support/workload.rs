//! A synthetic but realistic account for the benchmark and the latency
//! example: 100,000 users, 2,000 nested groups (with a few cycles), 1,000
//! apps, 5,000 access objects and 10,000 policies, with skewed tag and group
//! distributions. Deterministic (fixed seed), no `rand` dependency.

#![allow(dead_code, reason = "each including target uses part of it")]
#![allow(clippy::indexing_slicing, reason = "bench setup, indexes are in range")]

use bulwark_access::*;

pub const USERS: usize = 100_000;
pub const GROUPS: usize = 2_000;
pub const APPS: usize = 1_000;
pub const ACCESSES: usize = 5_000;
pub const POLICIES: usize = 10_000;
const USER_TAGS: usize = 200;
const APP_TAGS: usize = 50;
const CONNECTORS: usize = 100;
const POSTURE: usize = 20;
const ROLES: usize = 5;
pub const NOW: i64 = 1_700_000_000;

/// SplitMix64: small, fast, good enough for workload shaping.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Skewed towards 0 (roughly Zipf-like): popular tags and groups.
    pub fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(n);
        let c = self.below(n);
        a.min(b).min(c)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn user_id(i: usize) -> String {
    format!("user-{i:06}")
}
fn group_id(i: usize) -> String {
    format!("group-{i:04}")
}
fn app_id(i: usize) -> String {
    format!("app-{i:04}")
}
fn user_tag(i: usize) -> String {
    format!("utag-{i}")
}
fn app_tag(i: usize) -> String {
    format!("atag-{i}")
}
pub fn posture(i: usize) -> String {
    format!("posture-{i}")
}

/// A principal-side selector as admins write them: mostly groups and tags.
fn principal_selector(rng: &mut Rng) -> String {
    match rng.below(100) {
        0..=44 => format!("group:{}", group_id(rng.skewed(GROUPS))),
        45..=74 => user_tag(rng.skewed(USER_TAGS)),
        75..=84 => format!("role:r{}", rng.below(ROLES)),
        85..=94 => format!("user:{}", user_id(rng.below(USERS))),
        _ => group_id(rng.skewed(GROUPS)),
    }
}

fn app_selector(rng: &mut Rng) -> String {
    match rng.below(100) {
        0..=54 => app_id(rng.below(APPS)),
        55..=89 => format!("tag:{}", app_tag(rng.skewed(APP_TAGS))),
        _ => format!("ref:conn-{}", rng.below(CONNECTORS)),
    }
}

pub fn snapshot(seed: u64) -> Snapshot {
    let mut rng = Rng::new(seed);
    let users = (0..USERS)
        .map(|i| {
            // One or two teams, sometimes a popular cross-cutting group.
            let mut groups: Vec<String> = (0..1 + rng.below(2))
                .map(|_| group_id(rng.below(GROUPS)))
                .collect();
            if rng.chance(30) {
                groups.push(group_id(rng.skewed(GROUPS)));
            }
            User {
                uuid: user_id(i),
                status: if rng.chance(97) {
                    Status::Active
                } else {
                    Status::Suspended
                },
                tags: (0..rng.below(4))
                    .map(|_| user_tag(rng.skewed(USER_TAGS)))
                    .collect(),
                groups,
                role: Some(format!("r{}", rng.below(ROLES))),
            }
        })
        .collect();
    // A 4-ary department tree (depth ~6), 10% of groups with a second parent,
    // and ~0.5% back edges that close cycles.
    let mut children: Vec<Vec<String>> = vec![Vec::new(); GROUPS];
    for i in 1..GROUPS {
        children[(i - 1) / 4].push(group_id(i));
        if rng.chance(10) {
            children[rng.below(i)].push(group_id(i));
        }
        if rng.chance(1) && rng.chance(50) {
            children[i].push(group_id(rng.below(i)));
        }
    }
    let groups = children
        .into_iter()
        .enumerate()
        .map(|(i, member_groups)| Group {
            uuid: group_id(i),
            status: if rng.chance(98) {
                Status::Active
            } else {
                Status::Suspended
            },
            tags: (0..rng.below(2))
                .map(|_| user_tag(rng.skewed(USER_TAGS)))
                .collect(),
            member_users: Vec::new(),
            member_groups,
        })
        .collect();
    let apps = (0..APPS)
        .map(|i| App {
            uuid: app_id(i),
            status: if rng.chance(98) {
                Status::Active
            } else {
                Status::Init
            },
            tags: (0..1 + rng.below(3))
                .map(|_| app_tag(rng.skewed(APP_TAGS)))
                .collect(),
            refs: (0..rng.below(2))
                .map(|_| format!("conn-{}", rng.below(CONNECTORS)))
                .collect(),
        })
        .collect();
    let accesses = (0..ACCESSES)
        .map(|i| {
            let jit = rng.chance(5);
            Access {
                uuid: format!("access-{i:05}"),
                status: if rng.chance(95) {
                    Status::Active
                } else {
                    Status::Deleted
                },
                access_type: if jit {
                    AccessType::JustInTime
                } else {
                    AccessType::Standing
                },
                user_list: (0..1 + rng.below(3))
                    .map(|_| principal_selector(&mut rng))
                    .collect(),
                app_list: (0..1 + rng.below(2))
                    .map(|_| app_selector(&mut rng))
                    .collect(),
                revoked_user_list: if rng.chance(10) {
                    vec![user_id(rng.below(USERS))]
                } else {
                    Vec::new()
                },
                allow_guest_access: rng.chance(2),
                window: TimeWindow {
                    start: None,
                    end: jit.then_some(NOW + 3_600),
                },
            }
        })
        .collect();
    let policies = (0..POLICIES)
        .map(|i| {
            let session_filter = if rng.chance(3) {
                Filter::everything()
            } else {
                let clause = |rng: &mut Rng| Clause {
                    all: (0..1 + rng.below(3))
                        .map(|_| match rng.below(100) {
                            0..=34 => format!("group:{}", group_id(rng.skewed(GROUPS))),
                            35..=64 => user_tag(rng.skewed(USER_TAGS)),
                            65..=89 => posture(rng.below(POSTURE)),
                            _ => format!("role:r{}", rng.below(ROLES)),
                        })
                        .collect(),
                };
                Filter {
                    include_any: (0..1 + rng.below(2)).map(|_| clause(&mut rng)).collect(),
                    exclude_any: if rng.chance(30) {
                        vec![Clause {
                            all: vec![posture(rng.below(POSTURE))],
                        }]
                    } else {
                        Vec::new()
                    },
                }
            };
            let app_filter = if rng.chance(5) {
                Filter::everything()
            } else {
                Filter {
                    include_any: (0..1 + rng.below(2))
                        .map(|_| Clause {
                            all: vec![app_selector(&mut rng)],
                        })
                        .collect(),
                    exclude_any: Vec::new(),
                }
            };
            let action = match rng.below(100) {
                0..=29 => PolicyAction::Allow,
                30..=49 => PolicyAction::Block,
                50..=59 => PolicyAction::RequireMfa,
                60..=69 => PolicyAction::RunWorkflow,
                70..=79 => PolicyAction::RouteViaConnector,
                80..=94 => PolicyAction::Inspect,
                _ => PolicyAction::Alert,
            };
            Policy {
                uuid: format!("policy-{i:05}"),
                status: if rng.chance(95) {
                    Status::Active
                } else {
                    Status::Suspended
                },
                priority: rng.below(1_000) as i64,
                action,
                policy_type: PolicyType::Unspecified,
                session_filter,
                app_filter,
                allow_guest_access: rng.chance(2),
                window: TimeWindow::ALWAYS,
            }
        })
        .collect();
    Snapshot {
        users,
        groups,
        apps,
        accesses,
        policies,
    }
}

/// One question: user, app, session attributes.
pub struct Query {
    pub user: String,
    pub app: String,
    pub attrs: Vec<String>,
}

pub fn queries(seed: u64, n: usize) -> Vec<Query> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| Query {
            user: user_id(rng.below(USERS)),
            // Traffic concentrates on popular apps.
            app: app_id(rng.skewed(APPS)),
            attrs: (0..1 + rng.below(3))
                .map(|_| posture(rng.below(POSTURE)))
                .collect(),
        })
        .collect()
}
