//! One test per rule of the semantics in the crate README, through the public API.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use bulwark_access::*;

const NOW: i64 = 1_000;
const NO_ATTRS: &[&str] = &[];

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_owned()).collect()
}

fn user(uuid: &str, tags: &[&str], groups: &[&str]) -> User {
    User {
        uuid: uuid.into(),
        status: Status::Active,
        tags: s(tags),
        groups: s(groups),
        role: None,
    }
}

fn group(uuid: &str, tags: &[&str], users: &[&str], subgroups: &[&str]) -> Group {
    Group {
        uuid: uuid.into(),
        status: Status::Active,
        tags: s(tags),
        member_users: s(users),
        member_groups: s(subgroups),
    }
}

fn app(uuid: &str, tags: &[&str], refs: &[&str]) -> App {
    App {
        uuid: uuid.into(),
        status: Status::Active,
        tags: s(tags),
        refs: s(refs),
    }
}

fn access(uuid: &str, users: &[&str], apps: &[&str]) -> Access {
    Access {
        uuid: uuid.into(),
        status: Status::Active,
        user_list: s(users),
        app_list: s(apps),
        ..Access::default()
    }
}

fn filter(include: &[&[&str]], exclude: &[&[&str]]) -> Filter {
    let clauses = |cs: &[&[&str]]| cs.iter().map(|c| Clause { all: s(c) }).collect();
    Filter {
        include_any: clauses(include),
        exclude_any: clauses(exclude),
    }
}

fn policy(
    uuid: &str,
    priority: i64,
    action: PolicyAction,
    session: Filter,
    apps: Filter,
) -> Policy {
    Policy {
        uuid: uuid.into(),
        status: Status::Active,
        priority,
        action,
        session_filter: session,
        app_filter: apps,
        ..Policy::default()
    }
}

/// Whether `u` is granted app `a` by access objects alone.
fn granted(snap: &Snapshot, u: &str, a: &str) -> bool {
    !Index::build(snap)
        .accesses(Principal::User(u), a, NOW)
        .accesses
        .is_empty()
}

fn base() -> Snapshot {
    Snapshot {
        users: vec![user("u1", &["contractor"], &[]), user("u2", &[], &[])],
        apps: vec![app("a1", &["prod"], &["conn-1"]), app("a2", &[], &[])],
        ..Snapshot::default()
    }
}

#[test]
fn user_matches_by_direct_listing_bare_or_typed() {
    let mut snap = base();
    snap.accesses = vec![
        access("x1", &["u1"], &["a1"]),
        access("x2", &["user:u2"], &["a1"]),
    ];
    assert!(granted(&snap, "u1", "a1"));
    assert!(granted(&snap, "u2", "a1"));
    snap.accesses = vec![access("x1", &["user:u1"], &["a1"])];
    assert!(!granted(&snap, "u2", "a1"));
    // A typed selector of the wrong kind does not match the uuid.
    snap.accesses = vec![access("x1", &["group:u1"], &["a1"])];
    assert!(!granted(&snap, "u1", "a1"));
}

#[test]
fn user_matches_through_either_side_of_group_membership() {
    let mut snap = base();
    snap.users[0].groups = s(&["g1"]);
    snap.groups = vec![group("g1", &[], &[], &[]), group("g2", &[], &["u2"], &[])];
    snap.accesses = vec![
        access("x1", &["g1"], &["a1"]),
        access("x2", &["group:g2"], &["a2"]),
    ];
    assert!(granted(&snap, "u1", "a1"));
    assert!(!granted(&snap, "u2", "a1"));
    assert!(granted(&snap, "u2", "a2"));
}

#[test]
fn nested_groups_are_transitive_and_cycles_terminate() {
    let mut snap = base();
    // u1 ∈ g1 ⊂ g2 ⊂ g3 ⊂ g1 (a cycle).
    snap.groups = vec![
        group("g1", &[], &["u1"], &["g3"]),
        group("g2", &[], &[], &["g1"]),
        group("g3", &["ops"], &[], &["g2"]),
    ];
    snap.accesses = vec![
        access("x3", &["g3"], &["a1"]),
        access("x4", &["tag:ops"], &["a2"]),
    ];
    assert!(granted(&snap, "u1", "a1"));
    assert!(
        granted(&snap, "u1", "a2"),
        "group tags reach members through nesting"
    );
    assert!(!granted(&snap, "u2", "a1"));
}

#[test]
fn inactive_groups_confer_nothing_and_break_the_chain() {
    let mut snap = base();
    snap.groups = vec![
        group("g1", &[], &["u1"], &[]),
        group("g2", &[], &[], &["g1"]),
        group("g3", &[], &[], &["g2"]),
    ];
    snap.accesses = vec![
        access("x2", &["g2"], &["a1"]),
        access("x3", &["g3"], &["a2"]),
    ];
    assert!(granted(&snap, "u1", "a1") && granted(&snap, "u1", "a2"));
    snap.groups[1].status = Status::Suspended;
    assert!(
        !granted(&snap, "u1", "a1"),
        "suspended group confers nothing"
    );
    assert!(!granted(&snap, "u1", "a2"), "and breaks the chain above it");
}

#[test]
fn user_matches_through_tags_of_user_and_groups_and_roles_only_when_typed() {
    let mut snap = base();
    snap.users[1].role = Some("admin".into());
    snap.groups = vec![group("g1", &["finance"], &["u2"], &[])];
    snap.accesses = vec![
        access("x1", &["contractor"], &["a1"]),
        access("x2", &["tag:finance"], &["a2"]),
    ];
    assert!(granted(&snap, "u1", "a1"));
    assert!(!granted(&snap, "u2", "a1"));
    assert!(granted(&snap, "u2", "a2"));
    snap.accesses = vec![access("x1", &["admin"], &["a1"])];
    assert!(!granted(&snap, "u2", "a1"), "a bare role name is not a tag");
    snap.accesses = vec![access("x1", &["role:admin"], &["a1"])];
    assert!(granted(&snap, "u2", "a1"));
    assert!(!granted(&snap, "u1", "a1"));
}

#[test]
fn app_matches_through_uuid_tags_and_refs() {
    let mut snap = base();
    for sel in ["a1", "app:a1", "prod", "tag:prod", "conn-1", "ref:conn-1"] {
        snap.accesses = vec![access("x1", &["u1"], &[sel])];
        assert!(granted(&snap, "u1", "a1"), "{sel}");
        assert!(!granted(&snap, "u1", "a2"), "{sel}");
    }
    for sel in ["ref:prod", "tag:conn-1", "app:prod", "user:a1"] {
        snap.accesses = vec![access("x1", &["u1"], &[sel])];
        assert!(!granted(&snap, "u1", "a1"), "{sel}");
    }
    snap.accesses = vec![access("x1", &["u1"], &[])];
    assert!(
        !granted(&snap, "u1", "a1"),
        "an empty app_list selects no app"
    );
}

#[test]
fn filters_are_dnf_minus_exclusions() {
    let mut snap = base();
    let session = filter(
        &[&["contractor", "incompliant_device"], &["u2"]],
        &[&["on_vpn"]],
    );
    snap.policies = vec![policy(
        "p",
        1,
        PolicyAction::Block,
        session,
        filter(&[&["prod"]], &[]),
    )];
    let idx = Index::build(&snap);
    let blocked = |u, a, attrs: &[&str]| {
        idx.decide(Principal::User(u), a, attrs, NOW)
            .access_policy
            .is_some()
    };
    assert!(blocked("u1", "a1", &["incompliant_device"]));
    assert!(!blocked("u1", "a1", &[]), "conjunction needs every tag");
    assert!(
        !blocked("u1", "a1", &["incompliant_device", "on_vpn"]),
        "excluded"
    );
    assert!(blocked("u2", "a1", &[]), "second clause");
    assert!(!blocked("u2", "a2", &[]), "app filter");
}

#[test]
fn empty_include_matches_everything_and_empty_clause_is_true() {
    let mut snap = base();
    snap.policies = vec![policy(
        "p",
        1,
        PolicyAction::Allow,
        Filter::everything(),
        filter(&[], &[&["prod"]]),
    )];
    let idx = Index::build(&snap);
    assert_eq!(
        idx.decide(Principal::User("u2"), "a2", NO_ATTRS, NOW)
            .verdict,
        Verdict::Allow
    );
    assert_eq!(
        idx.decide(Principal::User("u2"), "a1", NO_ATTRS, NOW)
            .verdict,
        Verdict::Deny
    );
    snap.policies = vec![policy(
        "p",
        1,
        PolicyAction::Allow,
        filter(&[&["nope"], &[]], &[]),
        filter(&[&[]], &[]),
    )];
    let idx = Index::build(&snap);
    assert_eq!(
        idx.decide(Principal::User("u1"), "a1", NO_ATTRS, NOW)
            .verdict,
        Verdict::Allow
    );
    snap.policies[0].session_filter = filter(&[], &[&[]]);
    let idx = Index::build(&snap);
    assert_eq!(
        idx.decide(Principal::User("u1"), "a1", NO_ATTRS, NOW)
            .reason,
        Reason::NoGrant
    );
}

#[test]
fn only_active_objects_take_part() {
    let mut snap = base();
    snap.accesses = vec![access("x1", &["u1", "u2"], &["a1", "a2"])];
    snap.users[1].status = Status::Suspended;
    snap.apps[1].status = Status::Init;
    let idx = Index::build(&snap);
    let d = |u, a| idx.decide(Principal::User(u), a, NO_ATTRS, NOW);
    assert_eq!(
        (d("u1", "a1").verdict, d("u1", "a1").reason),
        (Verdict::Allow, Reason::Access)
    );
    assert_eq!(d("u2", "a1").reason, Reason::InactiveUser);
    assert_eq!(d("nobody", "a1").reason, Reason::UnknownUser);
    assert_eq!(d("u1", "a2").reason, Reason::InactiveApp);
    assert_eq!(d("u1", "nothing").reason, Reason::UnknownApp);
    assert_eq!(
        d("u2", "nothing").reason,
        Reason::InactiveUser,
        "user is checked first"
    );
    assert!(
        idx.accesses(Principal::User("u2"), "a1", NOW)
            .accesses
            .is_empty()
    );

    snap.accesses[0].status = Status::Deleted;
    snap.policies = vec![policy(
        "p",
        1,
        PolicyAction::Allow,
        Filter::everything(),
        Filter::everything(),
    )];
    snap.policies[0].status = Status::Suspended;
    let idx = Index::build(&snap);
    let d = idx.decide(Principal::User("u1"), "a1", NO_ATTRS, NOW);
    assert_eq!((d.verdict, d.reason), (Verdict::Deny, Reason::NoGrant));
    assert!(
        idx.matching_policies(Principal::User("u1"), "a1", NO_ATTRS, NOW)
            .is_empty()
    );
}

#[test]
fn time_windows_are_half_open_and_time_bounded_types_need_an_end() {
    let mut snap = base();
    snap.accesses = vec![access("x1", &["u1"], &["a1"])];
    snap.accesses[0].window = TimeWindow {
        start: Some(100),
        end: Some(200),
    };
    let idx = Index::build(&snap);
    let g = |now| {
        !idx.accesses(Principal::User("u1"), "a1", now)
            .accesses
            .is_empty()
    };
    assert!(!g(99) && g(100) && g(199) && !g(200));

    snap.accesses[0].window = TimeWindow::ALWAYS;
    snap.accesses[0].access_type = AccessType::JustInTime;
    assert!(!granted(&snap, "u1", "a1"), "JIT without end fails closed");
    snap.accesses[0].window.end = Some(NOW + 1);
    assert!(granted(&snap, "u1", "a1"));
    snap.accesses[0].access_type = AccessType::BreakGlass;
    let idx = Index::build(&snap);
    let d = idx.decide(Principal::User("u1"), "a1", NO_ATTRS, NOW);
    assert_eq!(
        d.access.map(|a| a.access_type),
        Some(AccessType::BreakGlass)
    );

    snap.policies = vec![policy(
        "p",
        0,
        PolicyAction::Block,
        Filter::everything(),
        Filter::everything(),
    )];
    snap.policies[0].window = TimeWindow {
        start: None,
        end: Some(NOW),
    };
    let idx = Index::build(&snap);
    assert_eq!(
        idx.decide(Principal::User("u1"), "a1", NO_ATTRS, NOW)
            .verdict,
        Verdict::Allow
    );
    assert_eq!(
        idx.decide(Principal::User("u1"), "a1", NO_ATTRS, NOW - 1)
            .verdict,
        Verdict::Deny
    );
}

#[test]
fn guests_only_see_objects_that_allow_guests() {
    let mut snap = base();
    snap.accesses = vec![access("x1", &["u1"], &["a1"]), access("x2", &[], &["a2"])];
    snap.accesses[1].allow_guest_access = true;
    let mut allow_all = policy(
        "p",
        1,
        PolicyAction::RequireMfa,
        Filter::everything(),
        Filter::everything(),
    );
    snap.policies = vec![allow_all.clone()];
    let idx = Index::build(&snap);
    let g = |a| idx.decide(Principal::Guest, a, NO_ATTRS, NOW);
    assert_eq!(
        (g("a1").verdict, g("a1").reason),
        (Verdict::Deny, Reason::NoGrant)
    );
    assert_eq!(
        (g("a2").verdict, g("a2").reason),
        (Verdict::Allow, Reason::Access)
    );
    assert_eq!(idx.accesses(Principal::Guest, "a2", NOW).accesses, ["x2"]);
    assert!(
        !granted(&snap, "u2", "a2"),
        "a guest grant is not a grant for users"
    );

    allow_all.allow_guest_access = true;
    snap.policies = vec![allow_all];
    let idx = Index::build(&snap);
    assert_eq!(
        idx.decide(Principal::Guest, "a1", NO_ATTRS, NOW).verdict,
        Verdict::StepUp(StepUp::Mfa)
    );
}

#[test]
fn revoked_users_are_excluded_by_any_selector() {
    let mut snap = base();
    snap.groups = vec![group("g1", &[], &["u2"], &[])];
    snap.accesses = vec![access("x1", &["u1", "u2"], &["a1"])];
    snap.accesses[0].revoked_user_list = s(&["u1"]);
    assert!(!granted(&snap, "u1", "a1"));
    assert!(granted(&snap, "u2", "a1"));
    snap.accesses[0].revoked_user_list = s(&["group:g1"]);
    assert!(granted(&snap, "u1", "a1"));
    assert!(!granted(&snap, "u2", "a1"));
}

#[test]
fn policies_order_by_priority_then_uuid_and_first_match_decides() {
    let mut snap = base();
    let any = Filter::everything;
    snap.policies = vec![
        policy("p-b", 5, PolicyAction::Block, any(), any()),
        policy("p-a", 5, PolicyAction::Allow, any(), any()),
        policy(
            "p-z",
            -3,
            PolicyAction::RunWorkflow,
            filter(&[&["contractor"]], &[]),
            any(),
        ),
        policy("p-c", 9, PolicyAction::Allow, any(), any()),
    ];
    let idx = Index::build(&snap);
    let order: Vec<&str> = idx
        .matching_policies(Principal::User("u1"), "a1", NO_ATTRS, NOW)
        .iter()
        .map(|p| p.uuid)
        .collect();
    assert_eq!(order, ["p-z", "p-a", "p-b", "p-c"]);
    let d1 = idx.decide(Principal::User("u1"), "a1", NO_ATTRS, NOW);
    assert_eq!(
        (d1.verdict, d1.access_policy.map(|p| p.uuid)),
        (Verdict::StepUp(StepUp::Workflow), Some("p-z"))
    );
    let d2 = idx.decide(Principal::User("u2"), "a1", NO_ATTRS, NOW);
    assert_eq!(
        (d2.verdict, d2.access_policy.map(|p| p.priority)),
        (Verdict::Allow, Some(5))
    );
}

#[test]
fn only_access_family_decides_and_app_control_never_fills_a_slot() {
    let mut snap = base();
    let any = Filter::everything;
    snap.accesses = vec![access("x1", &["u1"], &["a1"])];
    let mut app_control = policy("p0", 0, PolicyAction::Block, any(), any());
    app_control.policy_type = PolicyType::AppControl;
    snap.policies = vec![
        app_control,
        policy("p1", 1, PolicyAction::Unspecified, any(), any()),
        policy("p2", 2, PolicyAction::RouteViaConnector, any(), any()),
        policy("p3", 3, PolicyAction::Inspect, any(), any()),
        policy("p4", 4, PolicyAction::Alert, any(), any()),
        policy("p5", 5, PolicyAction::DoNotInspect, any(), any()),
    ];
    let idx = Index::build(&snap);
    let d = idx.decide(Principal::User("u1"), "a1", NO_ATTRS, NOW);
    assert_eq!((d.verdict, d.reason), (Verdict::Allow, Reason::Access));
    assert_eq!(d.access_policy, None);
    assert_eq!(d.routing_policy.map(|p| p.uuid), Some("p2"));
    assert_eq!(d.inspection_policy.map(|p| p.uuid), Some("p3"));
    assert_eq!(d.alert_policy.map(|p| p.uuid), Some("p4"));
    assert_eq!(d.policy_of(ActionFamily::Inspection), d.inspection_policy);
    assert_eq!(
        idx.matching_policies(Principal::User("u1"), "a1", NO_ATTRS, NOW)
            .len(),
        6
    );
    let d2 = idx.decide(Principal::User("u2"), "a1", NO_ATTRS, NOW);
    assert_eq!((d2.verdict, d2.reason), (Verdict::Deny, Reason::NoGrant));
}

#[test]
fn policies_override_accesses_both_ways() {
    let mut snap = base();
    snap.accesses = vec![access("x1", &["u1"], &["a1"])];
    snap.policies = vec![
        policy(
            "block",
            1,
            PolicyAction::TerminateSession,
            filter(&[&["u1"]], &[]),
            Filter::everything(),
        ),
        policy(
            "allow",
            2,
            PolicyAction::Allow,
            filter(&[&["u2"]], &[]),
            Filter::everything(),
        ),
    ];
    let idx = Index::build(&snap);
    let d1 = idx.decide(Principal::User("u1"), "a1", NO_ATTRS, NOW);
    assert_eq!((d1.verdict, d1.reason), (Verdict::Deny, Reason::Policy));
    assert_eq!(
        d1.access.map(|a| a.uuid),
        Some("x1"),
        "the grant is still reported"
    );
    let d2 = idx.decide(Principal::User("u2"), "a1", NO_ATTRS, NOW);
    assert_eq!(
        (d2.verdict, d2.reason, d2.access),
        (Verdict::Allow, Reason::Policy, None)
    );
}

#[test]
fn session_attributes_join_user_facts_and_unknown_ones_are_ignored() {
    let mut snap = base();
    let block_risky = filter(&[&["contractor", "incompliant_device"]], &[]);
    snap.policies = vec![policy(
        "p",
        1,
        PolicyAction::Block,
        block_risky,
        Filter::everything(),
    )];
    let idx = Index::build(&snap);
    let v = |u, attrs: &[&str]| idx.decide(Principal::User(u), "a1", attrs, NOW).reason;
    assert_eq!(v("u1", &["incompliant_device", "whatever"]), Reason::Policy);
    assert_eq!(v("u1", &["whatever"]), Reason::NoGrant);
    assert_eq!(
        v("u2", &["incompliant_device", "contractor"]),
        Reason::Policy,
        "attributes are facts too"
    );
    let owned: Vec<String> = vec!["incompliant_device".into()];
    assert_eq!(
        idx.decide(Principal::User("u1"), "a1", &owned, NOW).reason,
        Reason::Policy
    );
}

#[test]
fn access_query_returns_named_objects_sorted() {
    let mut snap = base();
    snap.groups = vec![group("g1", &[], &["u1"], &[])];
    snap.accesses = vec![
        access("x2", &["group:g1", "u2", "ghost"], &["prod", "a2"]),
        access("x1", &["user:u1"], &["app:a1"]),
        access("x3", &["u2"], &["a1"]),
    ];
    snap.accesses[0].revoked_user_list = s(&["u2"]);
    let idx = Index::build(&snap);
    let m = idx.accesses(Principal::User("u1"), "a1", NOW);
    assert_eq!(m.accesses, ["x1", "x2"]);
    assert_eq!(m.apps, ["a1", "a2"]);
    assert_eq!(m.groups, ["g1"]);
    assert_eq!(m.users, ["u1", "u2"]);
    assert_eq!(
        idx.accesses(Principal::User("u1"), "a2", NOW).accesses,
        ["x2"]
    );
    assert_eq!(
        idx.accesses(Principal::User("u2"), "a2", NOW),
        AccessMatches::default()
    );
}

#[test]
fn first_object_of_a_uuid_wins() {
    let mut snap = base();
    let mut dup = user("u1", &[], &[]);
    dup.status = Status::Deleted;
    snap.users.insert(0, dup);
    snap.accesses = vec![
        access("x1", &["u1", "u2"], &["a1"]),
        access("x1", &["nobody"], &["a2"]),
    ];
    let idx = Index::build(&snap);
    assert_eq!(
        idx.decide(Principal::User("u1"), "a1", NO_ATTRS, NOW)
            .reason,
        Reason::InactiveUser
    );
    assert_eq!(
        idx.decide(Principal::User("u2"), "a1", NO_ATTRS, NOW)
            .reason,
        Reason::Access
    );
    assert_eq!(idx.stats().users, 2);
    assert_eq!(idx.stats().accesses, 1);
}

#[test]
fn decision_serialises_for_the_api() {
    let mut snap = base();
    snap.policies = vec![policy(
        "p",
        1,
        PolicyAction::RequireMfa,
        Filter::everything(),
        Filter::everything(),
    )];
    let idx = Index::build(&snap);
    let d = idx.decide(Principal::User("u1"), "a1", NO_ATTRS, NOW);
    let json = serde_json::to_value(d).unwrap();
    assert_eq!(json["verdict"], serde_json::json!({"STEP_UP": "MFA"}));
    assert_eq!(json["access_policy"]["action"], 3);
    let round: Snapshot = serde_json::from_str(&serde_json::to_string(&snap).unwrap()).unwrap();
    assert_eq!(round, snap);
}
