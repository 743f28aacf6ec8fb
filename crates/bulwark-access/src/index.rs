//! The compiled index and its queries.
//!
//! Built once per snapshot. Every selector string is interned; users and apps
//! become sorted atom sets (their facts); policies are posted under
//! `(app, session key)` where the session key is one atom of each include
//! clause (or "every session"), and accesses under `(app, principal atom)`.
//! A query therefore touches only the posting lists of the facts the user
//! actually has, then verifies each candidate exactly.

mod atoms;
mod build;
mod facts;
mod filter;

use std::collections::HashMap;

use crate::decision::{AccessHit, AccessMatches, Decision, PolicyHit, Reason};
use crate::enums::{AccessType, PolicyAction, PolicyType};
use crate::model::{Principal, Snapshot, TimeWindow};

use atoms::{Atom, Interner, Postings, SENTINEL, SetArena, intersects, into_set};
use filter::{FilterPool, SessionAtoms};

/// What a policy reports once it matched. Ranks order policies by
/// (priority, uuid).
#[derive(Debug, Clone)]
struct PolicyInfo {
    uuid: Box<str>,
    priority: i64,
    action: PolicyAction,
    policy_type: PolicyType,
}

impl PolicyInfo {
    fn hit(&self) -> PolicyHit<'_> {
        PolicyHit {
            uuid: &self.uuid,
            priority: self.priority,
            action: self.action,
            policy_type: self.policy_type,
        }
    }
}

/// What checking a candidate policy reads, kept apart from [`PolicyInfo`] so
/// that candidates are checked from a dense array.
#[derive(Debug, Clone, Copy)]
struct PolicyCheck {
    window: TimeWindow,
    allow_guest_access: bool,
    /// The session filter in the [`FilterPool`].
    session_filter: u32,
    /// For policies whose app filter includes every app, its exclusions in
    /// the pool; the other app filters were resolved to apps at build time.
    app_exclusions: Option<u32>,
    /// The decision slot (action family) this policy may fill, if any.
    slot: Option<u8>,
}

/// An access ready for matching. Ranks order accesses by uuid.
#[derive(Debug, Clone)]
struct CompiledAccess {
    uuid: Box<str>,
    access_type: AccessType,
    window: TimeWindow,
    revoked: Box<[Atom]>,
    /// Objects the access names by uuid, for "Query access objects".
    named_apps: Box<[Box<str>]>,
    named_groups: Box<[Box<str>]>,
    named_users: Box<[Box<str>]>,
}

impl CompiledAccess {
    fn in_force(&self, now: i64) -> bool {
        // A time-bounded type without an end would never expire: fail closed.
        self.window.contains(now) && (!self.access_type.requires_end() || self.window.end.is_some())
    }
}

/// Sizes of a built index, for logs and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IndexStats {
    /// Distinct user uuids.
    pub users: usize,
    /// Of which active.
    pub active_users: usize,
    /// Distinct group uuids.
    pub groups: usize,
    /// Distinct app uuids.
    pub apps: usize,
    /// Of which active.
    pub active_apps: usize,
    /// Active policies indexed.
    pub policies: usize,
    /// Active accesses indexed.
    pub accesses: usize,
    /// Distinct selector strings.
    pub atoms: usize,
    /// Policy posting keys and entries.
    pub policy_keys: usize,
    /// Policy posting entries.
    pub policy_postings: usize,
    /// Access posting keys.
    pub access_keys: usize,
    /// Access posting entries.
    pub access_postings: usize,
}

/// The compiled evaluator for one snapshot. Immutable, `Send + Sync`; the
/// server rebuilds it when the snapshot changes.
#[derive(Debug, Clone)]
pub struct Index {
    interner: Interner,
    /// uuid to the user's fact set, `None` when the user is not active.
    users: HashMap<Box<str>, Option<u32>>,
    user_facts: SetArena,
    /// uuid to the app's slot, `None` when the app is not active.
    apps: HashMap<Box<str>, Option<u32>>,
    /// Facts of active apps, by slot.
    app_facts: SetArena,
    policies: Vec<PolicyInfo>,
    checks: Vec<PolicyCheck>,
    filters: FilterPool,
    policy_postings: Postings,
    accesses: Vec<CompiledAccess>,
    access_postings: Postings,
    stats: IndexStats,
}

/// A resolved, active principal and app.
struct Subject<'a> {
    /// The user's uuid and facts; `None` for a guest.
    user: Option<(&'a str, &'a [Atom])>,
    app_uuid: &'a str,
    app_slot: u32,
    app_facts: &'a [Atom],
}

impl<'a> Subject<'a> {
    fn facts(&self) -> &'a [Atom] {
        self.user.map_or(&[], |(_, f)| f)
    }
}

impl Index {
    /// Compiles a snapshot. Objects sharing a uuid: the first one counts.
    pub fn build(snapshot: &Snapshot) -> Index {
        build::build(snapshot)
    }

    /// Sizes of this index.
    pub fn stats(&self) -> IndexStats {
        self.stats
    }

    /// Decides whether `principal` may reach `app` in a session carrying the
    /// attributes `session` (posture tags and the like), at time `now`.
    ///
    /// The first matching policy of the access family decides; with none, an
    /// access object that grants allows; otherwise the default is deny. See
    /// the crate README for the full semantics.
    pub fn decide<S: AsRef<str>>(
        &self,
        principal: Principal<'_>,
        app: &str,
        session: &[S],
        now: i64,
    ) -> Decision<'_> {
        let subject = match self.resolve(principal, app) {
            Ok(s) => s,
            Err(reason) => return Decision::refused(reason),
        };
        let attributes = self.session_atoms(session);
        let mut slots: [Option<PolicyHit<'_>>; 4] = [None; 4];
        let mut open = slots.len();
        for rank in self.matching(&subject, &attributes, now) {
            let slot = self.checks.get(rank as usize).and_then(|c| c.slot);
            let Some(slot) = slot.and_then(|s| slots.get_mut(usize::from(s))) else {
                continue;
            };
            if slot.is_none() {
                *slot = self.policies.get(rank as usize).map(PolicyInfo::hit);
                open -= 1;
                if open == 0 {
                    break;
                }
            }
        }
        let access = self.granting(&subject, now).next().map(|a| AccessHit {
            uuid: &a.uuid,
            access_type: a.access_type,
        });
        Decision::from_matches(slots, access)
    }

    /// Every policy that matches, in evaluation order (priority ascending,
    /// then uuid): the answer to "Query policies" (appid, userid). Empty for
    /// an unknown or inactive user or app.
    pub fn matching_policies<S: AsRef<str>>(
        &self,
        principal: Principal<'_>,
        app: &str,
        session: &[S],
        now: i64,
    ) -> Vec<PolicyHit<'_>> {
        let Ok(subject) = self.resolve(principal, app) else {
            return Vec::new();
        };
        let attributes = self.session_atoms(session);
        self.matching(&subject, &attributes, now)
            .filter_map(|rank| self.policies.get(rank as usize).map(PolicyInfo::hit))
            .collect()
    }

    /// Every access object that grants `principal` the app, with the objects
    /// they name: the answer to "Query access objects" (appid, userid). Empty
    /// for an unknown or inactive user or app.
    pub fn accesses(&self, principal: Principal<'_>, app: &str, now: i64) -> AccessMatches<'_> {
        let Ok(subject) = self.resolve(principal, app) else {
            return AccessMatches::default();
        };
        let mut out = AccessMatches::default();
        for a in self.granting(&subject, now) {
            out.accesses.push(&a.uuid);
            out.apps.extend(a.named_apps.iter().map(|s| &**s));
            out.groups.extend(a.named_groups.iter().map(|s| &**s));
            out.users.extend(a.named_users.iter().map(|s| &**s));
        }
        if !out.accesses.is_empty() {
            out.apps.push(subject.app_uuid);
            if let Some((uuid, _)) = subject.user {
                out.users.push(uuid);
            }
        }
        for list in [&mut out.apps, &mut out.groups, &mut out.users] {
            list.sort_unstable();
            list.dedup();
        }
        out
    }

    fn resolve(&self, principal: Principal<'_>, app: &str) -> Result<Subject<'_>, Reason> {
        let user = match principal {
            Principal::Guest => None,
            Principal::User(uuid) => match self.users.get_key_value(uuid) {
                None => return Err(Reason::UnknownUser),
                Some((_, None)) => return Err(Reason::InactiveUser),
                Some((uuid, Some(facts))) => Some((&**uuid, self.user_facts.get(*facts))),
            },
        };
        match self.apps.get_key_value(app) {
            None => Err(Reason::UnknownApp),
            Some((_, None)) => Err(Reason::InactiveApp),
            Some((app_uuid, Some(slot))) => Ok(Subject {
                user,
                app_uuid,
                app_slot: *slot,
                app_facts: self.app_facts.get(*slot),
            }),
        }
    }

    /// Session attributes as a sorted atom set; attributes no filter mentions
    /// are dropped since they cannot change any outcome.
    fn session_atoms<S: AsRef<str>>(&self, session: &[S]) -> Vec<Atom> {
        into_set(
            session
                .iter()
                .filter_map(|s| self.interner.get(s.as_ref()))
                .collect(),
        )
    }

    /// Ranks of the matching policies, ascending.
    fn matching<'q>(
        &'q self,
        subject: &'q Subject<'_>,
        attributes: &'q [Atom],
        now: i64,
    ) -> impl Iterator<Item = u32> + 'q {
        let session = SessionAtoms {
            principal: subject.facts(),
            attributes,
        };
        // Sized for a typical candidate count, so it is allocated once.
        let mut ranks: Vec<u32> = Vec::with_capacity(256);
        for app in [subject.app_slot, SENTINEL] {
            self.policy_postings
                .collect(app, session.principal, &mut ranks);
            self.policy_postings.collect(app, attributes, &mut ranks);
            self.policy_postings.collect(app, &[SENTINEL], &mut ranks);
        }
        ranks.sort_unstable();
        ranks.dedup();
        let is_user = subject.user.is_some();
        let app_facts = subject.app_facts;
        ranks.into_iter().filter(move |&rank| {
            self.checks.get(rank as usize).is_some_and(|c| {
                c.window.contains(now)
                    && (is_user || c.allow_guest_access)
                    && c.app_exclusions
                        .is_none_or(|at| self.filters.matches(at, app_facts))
                    && self.filters.matches(c.session_filter, &session)
            })
        })
    }

    /// Granting accesses in uuid order.
    fn granting<'a>(
        &'a self,
        subject: &Subject<'a>,
        now: i64,
    ) -> impl Iterator<Item = &'a CompiledAccess> {
        let facts = subject.facts();
        let mut ranks: Vec<u32> = Vec::with_capacity(64);
        // A guest has no facts; guest grants are posted under SENTINEL.
        let keys = if subject.user.is_some() {
            facts
        } else {
            &[SENTINEL]
        };
        self.access_postings
            .collect(subject.app_slot, keys, &mut ranks);
        ranks.sort_unstable();
        ranks.dedup();
        ranks.into_iter().filter_map(move |rank| {
            let a = self.accesses.get(rank as usize)?;
            (a.in_force(now) && !intersects(&a.revoked, facts)).then_some(a)
        })
    }
}
