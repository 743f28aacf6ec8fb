//! Compiling a [`Snapshot`] into an [`Index`].

use std::collections::{HashMap, HashSet};

use super::atoms::{Atom, Interner, Postings, SENTINEL, SetArena, into_set, key};
use super::facts::{self, APP, GROUP, USER, app_facts, group_closures, user_facts};
use super::filter::{CompiledFilter, FilterPool};
use super::{CompiledAccess, Index, IndexStats, PolicyCheck, PolicyInfo};
use crate::enums::PolicyType;
use crate::model::{Access, Group, Policy, Snapshot};

/// Keeps the first object of each uuid, in input order.
fn first_of_each<T>(items: &[T], uuid: impl Fn(&T) -> &str) -> Vec<&T> {
    let mut seen = HashSet::new();
    items
        .iter()
        .filter(|item| seen.insert(uuid(item)))
        .collect()
}

/// An access with its lists interned, before the apps are known.
struct AccessDraft<'s> {
    access: &'s Access,
    principals: Vec<Atom>,
    apps: Vec<Atom>,
    revoked: Vec<Atom>,
}

pub(super) fn build(snapshot: &Snapshot) -> Index {
    // 1. Intern every selector first: facts are then reduced to the atoms
    //    some selector mentions.
    let mut interner = Interner::default();
    let mut policies: Vec<(&Policy, CompiledFilter, CompiledFilter)> =
        first_of_each(&snapshot.policies, |p| &p.uuid)
            .into_iter()
            .filter(|p| p.status.is_active())
            .map(|p| {
                let session = CompiledFilter::compile(&p.session_filter, &mut interner);
                let app = CompiledFilter::compile(&p.app_filter, &mut interner);
                (p, session, app)
            })
            .collect();
    policies.sort_by(|(a, ..), (b, ..)| {
        a.priority
            .cmp(&b.priority)
            .then_with(|| a.uuid.cmp(&b.uuid))
    });

    let mut intern_all =
        |list: &[String]| -> Vec<Atom> { list.iter().map(|s| interner.intern(s)).collect() };
    let mut accesses: Vec<AccessDraft<'_>> = first_of_each(&snapshot.accesses, |a| &a.uuid)
        .into_iter()
        .filter(|a| a.status.is_active())
        .map(|access| AccessDraft {
            access,
            principals: intern_all(&access.user_list),
            apps: intern_all(&access.app_list),
            revoked: into_set(intern_all(&access.revoked_user_list)),
        })
        .collect();
    accesses.sort_by(|a, b| a.access.uuid.cmp(&b.access.uuid));

    // 2. Groups and their transitive closures.
    let groups: Vec<&Group> = first_of_each(&snapshot.groups, |g| &g.uuid);
    let group_idx: HashMap<&str, u32> = (0u32..)
        .zip(&groups)
        .map(|(i, g)| (g.uuid.as_str(), i))
        .collect();
    let closures = group_closures(&groups, &group_idx, &interner);
    let mut groups_listing: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, g) in (0u32..).zip(&groups) {
        for u in &g.member_users {
            groups_listing.entry(u.as_str()).or_default().push(i);
        }
    }

    // 3. Users: facts of active users, and how many users hold each atom.
    let mut users = HashMap::new();
    let mut user_sets = SetArena::default();
    let mut holders = vec![0u32; interner.len()];
    for u in first_of_each(&snapshot.users, |u| &u.uuid) {
        let set = u.status.is_active().then(|| {
            let direct = u
                .groups
                .iter()
                .filter_map(|g| group_idx.get(g.as_str()).copied())
                .chain(
                    groups_listing
                        .get(u.uuid.as_str())
                        .into_iter()
                        .flatten()
                        .copied(),
                );
            let fs = user_facts(u, direct, &closures, &interner);
            for &a in &fs {
                if let Some(h) = holders.get_mut(a as usize) {
                    *h += 1;
                }
            }
            user_sets.push(&fs)
        });
        users.insert(Box::<str>::from(u.uuid.as_str()), set);
    }
    let active_users = users.values().filter(|s| s.is_some()).count();

    // 4. Apps: facts of active apps, and which apps hold each atom.
    let mut apps = HashMap::new();
    let mut app_sets = SetArena::default();
    let mut apps_by_atom: Vec<Vec<u32>> = vec![Vec::new(); interner.len()];
    for a in first_of_each(&snapshot.apps, |a| &a.uuid) {
        let slot = a.status.is_active().then(|| {
            let fs = app_facts(a, &interner);
            let slot = app_sets.push(&fs);
            for &atom in &fs {
                if let Some(list) = apps_by_atom.get_mut(atom as usize) {
                    list.push(slot);
                }
            }
            slot
        });
        apps.insert(Box::<str>::from(a.uuid.as_str()), slot);
    }
    let active_apps = apps.values().filter(|s| s.is_some()).count();

    // 5. Policies, posted under (app or any, session key or every session).
    let half_the_users = u32::try_from(active_users / 2).unwrap_or(u32::MAX).max(1);
    let session_cost = |a: Atom| match holders.get(a as usize).copied().unwrap_or(0) {
        // Held by no user: a session attribute of unknown frequency.
        0 => half_the_users,
        n => n,
    };
    let mut policy_pairs = Vec::new();
    let mut infos = Vec::with_capacity(policies.len());
    let mut checks = Vec::with_capacity(policies.len());
    let mut filters = FilterPool::default();
    for (rank, (p, session_filter, app_filter)) in (0u32..).zip(policies) {
        let app_any = app_filter.includes_everything();
        let app_keys: Vec<u32> = if app_any {
            vec![SENTINEL]
        } else {
            matching_apps(&app_filter, &apps_by_atom, &app_sets)
        };
        let session_keys: Vec<Atom> = if session_filter.includes_everything() {
            vec![SENTINEL]
        } else {
            // Any one atom of a clause is necessary for it; take the rarest.
            let keys = session_filter
                .include
                .iter()
                .filter_map(|clause| clause.iter().copied().min_by_key(|&a| (session_cost(a), a)));
            into_set(keys.collect())
        };
        for &app in &app_keys {
            for &s in &session_keys {
                policy_pairs.push((key(app, s), rank));
            }
        }
        // App control policies act on in-app events, never on sessions.
        let slot = (p.policy_type != PolicyType::AppControl)
            .then(|| p.action.family())
            .flatten()
            .and_then(|f| u8::try_from(f.slot()).ok());
        checks.push(PolicyCheck {
            window: p.window,
            allow_guest_access: p.allow_guest_access,
            session_filter: filters.push(&session_filter, true),
            app_exclusions: (app_any && !app_filter.exclude.is_empty())
                .then(|| filters.push(&app_filter, false)),
            slot,
        });
        infos.push(PolicyInfo {
            uuid: p.uuid.as_str().into(),
            priority: p.priority,
            action: p.action,
            policy_type: p.policy_type,
        });
    }

    // 6. Accesses, posted under (app, principal atom) and (app, guest).
    let mut access_pairs = Vec::new();
    let mut compiled_accesses = Vec::with_capacity(accesses.len());
    for (rank, draft) in (0u32..).zip(accesses) {
        let mut slots: Vec<u32> = draft
            .apps
            .iter()
            .flat_map(|&a| apps_by_atom.get(a as usize).into_iter().flatten().copied())
            .collect();
        slots = into_set(slots);
        for &app in &slots {
            for &p in &draft.principals {
                access_pairs.push((key(app, p), rank));
            }
            if draft.access.allow_guest_access {
                access_pairs.push((key(app, SENTINEL), rank));
            }
        }
        compiled_accesses.push(compile_access(draft, &users, &group_idx, &apps));
    }

    let app_slots = u32::try_from(active_apps).unwrap_or(SENTINEL);
    let policy_postings = Postings::from_pairs(policy_pairs, app_slots);
    let access_postings = Postings::from_pairs(access_pairs, app_slots);
    let stats = IndexStats {
        users: users.len(),
        active_users,
        groups: groups.len(),
        apps: apps.len(),
        active_apps,
        policies: infos.len(),
        accesses: compiled_accesses.len(),
        atoms: interner.len(),
        policy_keys: policy_postings.keys(),
        policy_postings: policy_postings.entries(),
        access_keys: access_postings.keys(),
        access_postings: access_postings.entries(),
    };
    Index {
        interner,
        users,
        user_facts: user_sets,
        apps,
        app_facts: app_sets,
        policies: infos,
        checks,
        filters,
        policy_postings,
        accesses: compiled_accesses,
        access_postings,
        stats,
    }
}

/// Active app slots an app filter whose include part is not universal selects.
fn matching_apps(
    filter: &CompiledFilter,
    apps_by_atom: &[Vec<u32>],
    app_sets: &SetArena,
) -> Vec<u32> {
    let holders = |a: Atom| apps_by_atom.get(a as usize).map_or(&[][..], Vec::as_slice);
    let mut slots = Vec::new();
    for clause in &filter.include {
        // Intersect the holders of each atom, starting from the rarest.
        let Some(&rarest) = clause.iter().min_by_key(|&&a| holders(a).len()) else {
            continue;
        };
        slots.extend(holders(rarest).iter().copied().filter(|&slot| {
            clause
                .iter()
                .all(|&a| holders(a).binary_search(&slot).is_ok())
        }));
    }
    let mut slots = into_set(slots);
    slots.retain(|&slot| !filter.excludes(app_sets.get(slot)));
    slots
}

/// Strips a typed prefix, telling whether the rest may name a user, a group
/// or an app.
fn named(selector: &str) -> (&str, bool, bool, bool) {
    if let Some(rest) = selector.strip_prefix(USER) {
        (rest, true, false, false)
    } else if let Some(rest) = selector.strip_prefix(GROUP) {
        (rest, false, true, false)
    } else if let Some(rest) = selector.strip_prefix(APP) {
        (rest, false, false, true)
    } else if [facts::TAG, facts::ROLE, facts::REF]
        .iter()
        .any(|p| selector.starts_with(p))
    {
        (selector, false, false, false)
    } else {
        (selector, true, true, true)
    }
}

fn compile_access(
    draft: AccessDraft<'_>,
    users: &HashMap<Box<str>, Option<u32>>,
    group_idx: &HashMap<&str, u32>,
    apps: &HashMap<Box<str>, Option<u32>>,
) -> CompiledAccess {
    let a = draft.access;
    let mut named_users = Vec::new();
    let mut named_groups = Vec::new();
    for s in a.user_list.iter().chain(&a.revoked_user_list) {
        let (value, user, group, _) = named(s);
        if user && users.contains_key(value) {
            named_users.push(Box::<str>::from(value));
        }
        if group && group_idx.contains_key(value) {
            named_groups.push(Box::<str>::from(value));
        }
    }
    let named_apps = a
        .app_list
        .iter()
        .filter_map(|s| {
            let (value, _, _, app) = named(s);
            (app && apps.contains_key(value)).then(|| Box::<str>::from(value))
        })
        .collect::<Vec<_>>();
    CompiledAccess {
        uuid: a.uuid.as_str().into(),
        access_type: a.access_type,
        window: a.window,
        revoked: draft.revoked.into_boxed_slice(),
        named_apps: named_apps.into_boxed_slice(),
        named_groups: named_groups.into_boxed_slice(),
        named_users: named_users.into_boxed_slice(),
    }
}
