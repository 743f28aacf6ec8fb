//! The indexed evaluator against a deliberately naive one, on random snapshots.
//!
//! The reference below is written straight from the README's semantics: no
//! interning, no posting lists, every policy and access scanned, string sets
//! rebuilt for every question. Random snapshots draw every uuid, tag and
//! selector from small pools so that matches, duplicates, nested and cyclic
//! groups, priority ties and cross-kind selectors (`app:` on a user) happen
//! often.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use std::collections::{BTreeSet, HashSet};

use bulwark_access::*;
use proptest::prelude::*;

// ---------------------------------------------------------------- reference

/// First object of each uuid, in input order.
fn firsts<T>(items: &[T], uuid: impl Fn(&T) -> &str) -> Vec<&T> {
    let mut seen = HashSet::new();
    items
        .iter()
        .filter(|i| seen.insert(uuid(i).to_owned()))
        .collect()
}

struct Reference<'s> {
    snap: &'s Snapshot,
    users: Vec<&'s User>,
    groups: Vec<&'s Group>,
    apps: Vec<&'s App>,
}

type Facts = BTreeSet<String>;

fn typed(facts: &mut Facts, prefix: &str, value: &str) {
    facts.insert(value.to_owned());
    facts.insert(format!("{prefix}{value}"));
}

fn filter_matches(f: &Filter, facts: &Facts) -> bool {
    let holds = |c: &Clause| c.all.iter().all(|t| facts.contains(t));
    (f.include_any.is_empty() || f.include_any.iter().any(holds))
        && !f.exclude_any.iter().any(holds)
}

impl<'s> Reference<'s> {
    fn new(snap: &'s Snapshot) -> Self {
        Reference {
            snap,
            users: firsts(&snap.users, |u| &u.uuid),
            groups: firsts(&snap.groups, |g| &g.uuid),
            apps: firsts(&snap.apps, |a| &a.uuid),
        }
    }

    fn group(&self, uuid: &str) -> Option<&'s Group> {
        self.groups.iter().copied().find(|g| g.uuid == uuid)
    }

    /// Active groups the user is in, transitively, by breadth-first search.
    fn groups_of(&self, user: &User) -> Vec<&'s Group> {
        let mut todo: Vec<String> = user.groups.clone();
        todo.extend(
            self.groups
                .iter()
                .filter(|g| g.member_users.contains(&user.uuid))
                .map(|g| g.uuid.clone()),
        );
        let mut seen: Vec<&'s Group> = Vec::new();
        while let Some(uuid) = todo.pop() {
            let Some(g) = self.group(&uuid) else { continue };
            if !g.status.is_active() || seen.iter().any(|s| s.uuid == g.uuid) {
                continue;
            }
            seen.push(g);
            todo.extend(
                self.groups
                    .iter()
                    .filter(|h| h.member_groups.contains(&g.uuid))
                    .map(|h| h.uuid.clone()),
            );
        }
        seen
    }

    fn user_facts(&self, user: &User) -> Facts {
        let mut f = Facts::new();
        typed(&mut f, "user:", &user.uuid);
        for t in &user.tags {
            typed(&mut f, "tag:", t);
        }
        if let Some(r) = &user.role {
            f.insert(format!("role:{r}"));
        }
        for g in self.groups_of(user) {
            typed(&mut f, "group:", &g.uuid);
            for t in &g.tags {
                typed(&mut f, "tag:", t);
            }
        }
        f
    }

    fn app_facts(app: &App) -> Facts {
        let mut f = Facts::new();
        typed(&mut f, "app:", &app.uuid);
        for t in &app.tags {
            typed(&mut f, "tag:", t);
        }
        for r in &app.refs {
            typed(&mut f, "ref:", r);
        }
        f
    }

    /// `(user uuid and facts or None for a guest, app and its facts)`.
    #[allow(clippy::type_complexity, reason = "test helper")]
    fn resolve(
        &self,
        who: Principal<'_>,
        app: &str,
    ) -> Result<(Option<(&'s str, Facts)>, &'s App, Facts), Reason> {
        let user = match who {
            Principal::Guest => None,
            Principal::User(uuid) => {
                let u = self
                    .users
                    .iter()
                    .find(|u| u.uuid == uuid)
                    .ok_or(Reason::UnknownUser)?;
                if !u.status.is_active() {
                    return Err(Reason::InactiveUser);
                }
                Some((u.uuid.as_str(), self.user_facts(u)))
            }
        };
        let a = self
            .apps
            .iter()
            .find(|a| a.uuid == app)
            .ok_or(Reason::UnknownApp)?;
        if !a.status.is_active() {
            return Err(Reason::InactiveApp);
        }
        Ok((user, a, Self::app_facts(a)))
    }

    fn matching_policies(
        &self,
        who: Principal<'_>,
        app: &str,
        attrs: &[String],
        now: i64,
    ) -> Vec<&'s Policy> {
        let Ok((user, _, app_facts)) = self.resolve(who, app) else {
            return Vec::new();
        };
        let mut session = user.as_ref().map(|(_, f)| f.clone()).unwrap_or_default();
        session.extend(attrs.iter().cloned());
        let mut out: Vec<&Policy> = firsts(&self.snap.policies, |p| &p.uuid)
            .into_iter()
            .filter(|p| {
                p.status.is_active()
                    && p.window.contains(now)
                    && (user.is_some() || p.allow_guest_access)
                    && filter_matches(&p.app_filter, &app_facts)
                    && filter_matches(&p.session_filter, &session)
            })
            .collect();
        out.sort_by(|a, b| (a.priority, &a.uuid).cmp(&(b.priority, &b.uuid)));
        out
    }

    fn granting(&self, who: Principal<'_>, app: &str, now: i64) -> Vec<&'s Access> {
        let Ok((user, _, app_facts)) = self.resolve(who, app) else {
            return Vec::new();
        };
        let mut out: Vec<&Access> = firsts(&self.snap.accesses, |a| &a.uuid)
            .into_iter()
            .filter(|a| {
                let in_force = a.window.contains(now)
                    && !(a.access_type.requires_end() && a.window.end.is_none());
                let principal = match &user {
                    Some((_, f)) => {
                        a.user_list.iter().any(|s| f.contains(s))
                            && !a.revoked_user_list.iter().any(|s| f.contains(s))
                    }
                    None => a.allow_guest_access,
                };
                a.status.is_active()
                    && in_force
                    && a.app_list.iter().any(|s| app_facts.contains(s))
                    && principal
            })
            .collect();
        out.sort_by(|a, b| a.uuid.cmp(&b.uuid));
        out
    }

    fn decide(&self, who: Principal<'_>, app: &str, attrs: &[String], now: i64) -> Decision<'s> {
        let deny = |reason| Decision {
            verdict: Verdict::Deny,
            reason,
            access_policy: None,
            routing_policy: None,
            inspection_policy: None,
            alert_policy: None,
            access: None,
        };
        if let Err(r) = self.resolve(who, app) {
            return deny(r);
        }
        let first = |family: ActionFamily| {
            self.matching_policies(who, app, attrs, now)
                .into_iter()
                .find(|p| {
                    p.policy_type != PolicyType::AppControl && p.action.family() == Some(family)
                })
                .map(|p| PolicyHit {
                    uuid: &p.uuid,
                    priority: p.priority,
                    action: p.action,
                    policy_type: p.policy_type,
                })
        };
        let access = self.granting(who, app, now).first().map(|a| AccessHit {
            uuid: &a.uuid,
            access_type: a.access_type,
        });
        let access_policy = first(ActionFamily::Access);
        let (verdict, reason) = match access_policy.map(|p| p.action) {
            Some(PolicyAction::Allow) => (Verdict::Allow, Reason::Policy),
            Some(PolicyAction::Block | PolicyAction::TerminateSession) => {
                (Verdict::Deny, Reason::Policy)
            }
            Some(PolicyAction::RequireMfa) => (Verdict::StepUp(StepUp::Mfa), Reason::Policy),
            Some(PolicyAction::RunWorkflow) => (Verdict::StepUp(StepUp::Workflow), Reason::Policy),
            Some(PolicyAction::RunAppSpecificWorkflow) => {
                (Verdict::StepUp(StepUp::AppSpecificWorkflow), Reason::Policy)
            }
            Some(PolicyAction::RequireJustification) => {
                (Verdict::StepUp(StepUp::Justification), Reason::Policy)
            }
            Some(PolicyAction::RequireReauthentication) => {
                (Verdict::StepUp(StepUp::Reauthentication), Reason::Policy)
            }
            Some(other) => unreachable!("{other} is not an access action"),
            None if access.is_some() => (Verdict::Allow, Reason::Access),
            None => (Verdict::Deny, Reason::NoGrant),
        };
        Decision {
            verdict,
            reason,
            access_policy,
            routing_policy: first(ActionFamily::Routing),
            inspection_policy: first(ActionFamily::Inspection),
            alert_policy: first(ActionFamily::Alert),
            access,
        }
    }

    fn accesses(&self, who: Principal<'_>, app: &str, now: i64) -> AccessMatches<'s> {
        let granting = self.granting(who, app, now);
        let mut m = AccessMatches::default();
        let all_users = &self.snap.users;
        for a in &granting {
            m.accesses.push(a.uuid.as_str());
            for sel in a.user_list.iter().chain(&a.revoked_user_list) {
                let (as_user, as_group) =
                    match (sel.strip_prefix("user:"), sel.strip_prefix("group:")) {
                        (Some(u), _) => (Some(u), None),
                        (_, Some(g)) => (None, Some(g)),
                        _ if ["tag:", "role:", "ref:", "app:"]
                            .iter()
                            .any(|p| sel.starts_with(p)) =>
                        {
                            (None, None)
                        }
                        _ => (Some(sel.as_str()), Some(sel.as_str())),
                    };
                m.users.extend(
                    as_user
                        .and_then(|u| all_users.iter().find(|x| x.uuid == u))
                        .map(|x| x.uuid.as_str()),
                );
                m.groups.extend(
                    as_group
                        .and_then(|g| self.group(g))
                        .map(|x| x.uuid.as_str()),
                );
            }
            for sel in &a.app_list {
                let name = match sel.strip_prefix("app:") {
                    Some(n) => Some(n),
                    None if ["tag:", "role:", "ref:", "user:", "group:"]
                        .iter()
                        .any(|p| sel.starts_with(p)) =>
                    {
                        None
                    }
                    None => Some(sel.as_str()),
                };
                m.apps.extend(
                    name.and_then(|n| self.apps.iter().find(|x| x.uuid == n))
                        .map(|x| x.uuid.as_str()),
                );
            }
        }
        if let (false, Ok((user, a, _))) = (granting.is_empty(), self.resolve(who, app)) {
            m.apps.push(a.uuid.as_str());
            m.users.extend(user.map(|(u, _)| u));
        }
        for list in [&mut m.apps, &mut m.groups, &mut m.users] {
            list.sort_unstable();
            list.dedup();
        }
        m
    }
}

// ---------------------------------------------------------------- generators

const USERS: &[&str] = &["u0", "u1", "u2", "u3", "u4", "u5"];
const GROUPS: &[&str] = &["g0", "g1", "g2", "g3", "g4"];
const APPS: &[&str] = &["a0", "a1", "a2", "a3"];
const TAGS: &[&str] = &["t0", "t1", "t2", "t3"];
const REFS: &[&str] = &["r0", "r1"];
const ROLES: &[&str] = &["admin", "viewer"];
const ATTRS: &[&str] = &["posture_bad", "posture_ok", "t1", "admin"];

fn pick(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(pool).prop_map(str::to_owned)
}

fn some_of(pool: &'static [&'static str], max: usize) -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(pick(pool), 0..=max)
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![6 => Just(Status::Active), 1 => proptest::sample::select(Status::ALL)]
}

fn prefixed(prefix: &'static str, pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    pick(pool).prop_map(move |v| format!("{prefix}{v}"))
}

/// Any selector, of any kind, so cross-kind mismatches are exercised too.
fn selector() -> impl Strategy<Value = String> {
    prop_oneof![
        pick(USERS),
        prefixed("user:", USERS),
        pick(GROUPS),
        prefixed("group:", GROUPS),
        pick(TAGS),
        prefixed("tag:", TAGS),
        prefixed("role:", ROLES),
        pick(ROLES),
        pick(APPS),
        prefixed("app:", APPS),
        pick(REFS),
        prefixed("ref:", REFS),
        pick(ATTRS),
        Just("nowhere".to_owned()),
    ]
}

/// Mostly selectors that can name a principal, so lists match often.
fn principal_selector() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => pick(USERS),
        2 => prefixed("user:", USERS),
        2 => pick(GROUPS),
        2 => prefixed("group:", GROUPS),
        2 => pick(TAGS),
        2 => prefixed("tag:", TAGS),
        1 => prefixed("role:", ROLES),
        1 => selector(),
    ]
}

/// Mostly selectors that can name an app.
fn app_selector() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => pick(APPS),
        2 => prefixed("app:", APPS),
        2 => pick(TAGS),
        1 => prefixed("tag:", TAGS),
        1 => pick(REFS),
        1 => prefixed("ref:", REFS),
        1 => selector(),
    ]
}

/// Session filter tags: principal selectors and session attributes.
fn session_tag() -> impl Strategy<Value = String> {
    prop_oneof![3 => principal_selector(), 1 => pick(ATTRS)]
}

fn window() -> impl Strategy<Value = TimeWindow> {
    let bound = proptest::option::weighted(0.4, 0i64..20);
    (bound.clone(), bound).prop_map(|(start, end)| TimeWindow { start, end })
}

fn filter<S: Strategy<Value = String> + Clone>(tag: S) -> impl Strategy<Value = Filter> {
    let clause =
        move || proptest::collection::vec(tag.clone(), 0..=3).prop_map(|all| Clause { all });
    (
        proptest::collection::vec(clause(), 0..=3),
        proptest::collection::vec(clause(), 0..=2),
    )
        .prop_map(|(include_any, exclude_any)| Filter {
            include_any,
            exclude_any,
        })
}

prop_compose! {
    fn user()(uuid in pick(USERS), status in status(), tags in some_of(TAGS, 2),
              groups in some_of(GROUPS, 2), role in proptest::option::of(pick(ROLES))) -> User {
        User { uuid, status, tags, groups, role }
    }
}

prop_compose! {
    fn group()(uuid in pick(GROUPS), status in status(), tags in some_of(TAGS, 2),
               member_users in some_of(USERS, 2), member_groups in some_of(GROUPS, 2)) -> Group {
        Group { uuid, status, tags, member_users, member_groups }
    }
}

prop_compose! {
    fn app()(uuid in pick(APPS), status in status(), tags in some_of(TAGS, 2), refs in some_of(REFS, 1)) -> App {
        App { uuid, status, tags, refs }
    }
}

prop_compose! {
    fn access()(uuid in pick(&["x0", "x1", "x2", "x3", "x4", "x5", "x6"]), status in status(),
                access_type in proptest::sample::select(AccessType::ALL),
                user_list in proptest::collection::vec(principal_selector(), 0..=3),
                app_list in proptest::collection::vec(app_selector(), 0..=2),
                revoked_user_list in proptest::collection::vec(principal_selector(), 0..=1),
                allow_guest_access in proptest::bool::weighted(0.3), window in window()) -> Access {
        Access { uuid, status, access_type, user_list, app_list, revoked_user_list, allow_guest_access, window }
    }
}

prop_compose! {
    fn policy()(uuid in pick(&["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"]),
                status in status(), priority in -2i64..3,
                action in proptest::sample::select(PolicyAction::ALL),
                policy_type in prop_oneof![4 => Just(PolicyType::Unspecified), 1 => proptest::sample::select(PolicyType::ALL)],
                session_filter in filter(session_tag().boxed()), app_filter in filter(app_selector().boxed()),
                allow_guest_access in proptest::bool::weighted(0.3), window in window()) -> Policy {
        Policy { uuid, status, priority, action, policy_type, session_filter, app_filter, allow_guest_access, window }
    }
}

prop_compose! {
    fn snapshot()(users in proptest::collection::vec(user(), 1..=8),
                  groups in proptest::collection::vec(group(), 0..=6),
                  apps in proptest::collection::vec(app(), 1..=5),
                  accesses in proptest::collection::vec(access(), 0..=8),
                  policies in proptest::collection::vec(policy(), 0..=14)) -> Snapshot {
        Snapshot { users, groups, apps, accesses, policies }
    }
}

/// A session: attributes and a time.
fn sessions() -> impl Strategy<Value = Vec<(Vec<String>, i64)>> {
    let attrs = proptest::collection::vec(prop_oneof![pick(ATTRS), selector()], 0..=3);
    proptest::collection::vec((attrs, 0i64..22), 1..=3)
}

/// The snapshot's users (each once), a stranger and a guest.
fn principals(snap: &Snapshot) -> Vec<Principal<'_>> {
    let mut all: Vec<Principal<'_>> = firsts(&snap.users, |u| &u.uuid)
        .into_iter()
        .map(|u| Principal::User(&u.uuid))
        .collect();
    all.push(Principal::User("stranger"));
    all.push(Principal::Guest);
    all
}

/// The snapshot's apps (each once) and an unknown one.
fn apps(snap: &Snapshot) -> Vec<&str> {
    let mut all: Vec<&str> = firsts(&snap.apps, |a| &a.uuid)
        .into_iter()
        .map(|a| a.uuid.as_str())
        .collect();
    all.push("nowhere");
    all
}

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(ProptestConfig { cases: 768, ..ProptestConfig::default() })]

    #[test]
    fn index_agrees_with_the_reference(snap in snapshot(), sessions in sessions()) {
        let index = Index::build(&snap);
        let reference = Reference::new(&snap);
        for who in principals(&snap) {
            for app in apps(&snap) {
                for (attrs, now) in &sessions {
                    let want = reference.decide(who, app, attrs, *now);
                    let got = index.decide(who, app, attrs, *now);
                    prop_assert_eq!(got, want, "decide {:?} {} {:?} {}", who, app, attrs, now);

                    let want: Vec<&str> = reference.matching_policies(who, app, attrs, *now).iter().map(|p| p.uuid.as_str()).collect();
                    let got: Vec<&str> = index.matching_policies(who, app, attrs, *now).iter().map(|p| p.uuid).collect();
                    prop_assert_eq!(got, want, "matching_policies {:?} {} {:?} {}", who, app, attrs, now);

                    prop_assert_eq!(index.accesses(who, app, *now), reference.accesses(who, app, *now),
                        "accesses {:?} {} {}", who, app, now);
                }
            }
        }
    }

    #[test]
    fn matching_policies_are_totally_ordered(snap in snapshot(), sessions in sessions()) {
        let index = Index::build(&snap);
        for who in principals(&snap) {
            for app in apps(&snap) {
                for (attrs, now) in &sessions {
                    let list = index.matching_policies(who, app, attrs, *now);
                    for w in list.windows(2) {
                        prop_assert!((w[0].priority, w[0].uuid) < (w[1].priority, w[1].uuid));
                    }
                }
            }
        }
    }
}
