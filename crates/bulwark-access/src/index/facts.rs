//! The facts (atoms) each user and app carries, group nesting included.
//!
//! A user carries its uuid, its tags and its role, and the uuids and tags of
//! every active group it belongs to directly or through nested active groups.
//! An app carries its uuid, tags and refs. Each fact is present bare and in
//! its typed form (`user:`, `group:`, `tag:`, `app:`, `ref:`); a role only as
//! `role:<name>`, so a role name never collides with a tag.

use std::collections::HashMap;

use crate::index::atoms::{Atom, Interner, into_set};
use crate::model::{App, Group, User};

/// Typed selector prefixes; see the crate README.
pub(crate) const USER: &str = "user:";
pub(crate) const GROUP: &str = "group:";
pub(crate) const ROLE: &str = "role:";
pub(crate) const TAG: &str = "tag:";
pub(crate) const APP: &str = "app:";
pub(crate) const REF: &str = "ref:";

/// Collects the interned forms of facts, skipping those no selector mentions.
struct FactSink<'i> {
    interner: &'i Interner,
    buf: String,
    out: Vec<Atom>,
}

impl<'i> FactSink<'i> {
    fn new(interner: &'i Interner) -> Self {
        FactSink {
            interner,
            buf: String::new(),
            out: Vec::new(),
        }
    }

    fn bare(&mut self, value: &str) {
        if let Some(a) = self.interner.get(value) {
            self.out.push(a);
        }
    }

    fn typed(&mut self, prefix: &str, value: &str) {
        if let Some(a) = self.interner.get_prefixed(&mut self.buf, prefix, value) {
            self.out.push(a);
        }
    }

    fn both(&mut self, prefix: &str, value: &str) {
        self.bare(value);
        self.typed(prefix, value);
    }

    fn tags(&mut self, tags: &[String]) {
        for t in tags {
            self.both(TAG, t);
        }
    }

    fn finish(self) -> Vec<Atom> {
        into_set(self.out)
    }
}

/// For every group (by position in `groups`), the facts of all active groups
/// reachable from it through `member_groups` edges, itself included; empty
/// for an inactive group. A visited mark per walk makes cycles harmless.
pub(crate) fn group_closures(
    groups: &[&Group],
    group_idx: &HashMap<&str, u32>,
    interner: &Interner,
) -> Vec<Vec<Atom>> {
    // `parents[g]`: groups that list g among their member_groups.
    let mut parents: Vec<Vec<u32>> = vec![Vec::new(); groups.len()];
    for (h, group) in (0u32..).zip(groups) {
        for child in &group.member_groups {
            if let Some(slot) = group_idx
                .get(child.as_str())
                .and_then(|&g| parents.get_mut(g as usize))
            {
                slot.push(h);
            }
        }
    }
    let own: Vec<Vec<Atom>> = groups
        .iter()
        .map(|g| {
            let mut sink = FactSink::new(interner);
            sink.both(GROUP, &g.uuid);
            sink.tags(&g.tags);
            sink.finish()
        })
        .collect();
    let active = |g: u32| groups.get(g as usize).is_some_and(|g| g.status.is_active());

    let mut seen_in_walk: Vec<u32> = vec![u32::MAX; groups.len()];
    let mut stack: Vec<u32> = Vec::new();
    (0u32..)
        .zip(groups)
        .map(|(start, _)| {
            if !active(start) {
                return Vec::new();
            }
            let mut facts = Vec::new();
            stack.clear();
            stack.push(start);
            if let Some(mark) = seen_in_walk.get_mut(start as usize) {
                *mark = start;
            }
            while let Some(g) = stack.pop() {
                facts.extend_from_slice(own.get(g as usize).map_or(&[][..], Vec::as_slice));
                for &p in parents.get(g as usize).map_or(&[][..], Vec::as_slice) {
                    let Some(mark) = seen_in_walk.get_mut(p as usize) else {
                        continue;
                    };
                    // Inactive groups neither count nor pass membership upward.
                    if *mark != start && active(p) {
                        *mark = start;
                        stack.push(p);
                    }
                }
            }
            into_set(facts)
        })
        .collect()
}

/// The facts of an active user whose direct groups are `direct_groups`.
pub(crate) fn user_facts(
    user: &User,
    direct_groups: impl IntoIterator<Item = u32>,
    closures: &[Vec<Atom>],
    interner: &Interner,
) -> Vec<Atom> {
    let mut sink = FactSink::new(interner);
    sink.both(USER, &user.uuid);
    sink.tags(&user.tags);
    if let Some(role) = &user.role {
        sink.typed(ROLE, role);
    }
    for g in direct_groups {
        if let Some(c) = closures.get(g as usize) {
            sink.out.extend_from_slice(c);
        }
    }
    sink.finish()
}

/// The facts of an app.
pub(crate) fn app_facts(app: &App, interner: &Interner) -> Vec<Atom> {
    let mut sink = FactSink::new(interner);
    sink.both(APP, &app.uuid);
    sink.tags(&app.tags);
    for r in &app.refs {
        sink.both(REF, r);
    }
    sink.finish()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, reason = "tests")]

    use super::*;
    use crate::enums::Status;

    fn group(uuid: &str, status: Status, tags: &[&str], member_groups: &[&str]) -> Group {
        Group {
            uuid: uuid.to_owned(),
            status,
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            member_users: Vec::new(),
            member_groups: member_groups.iter().map(|t| (*t).to_owned()).collect(),
        }
    }

    #[test]
    fn closures_follow_nesting_stop_at_inactive_groups_and_survive_cycles() {
        // c ⊂ a ⊂ b ⊂ c (a cycle), b ⊂ d (inactive) ⊂ e.
        let gs = [
            group("a", Status::Active, &["ta"], &["c"]),
            group("b", Status::Active, &[], &["a"]),
            group("c", Status::Active, &[], &["b"]),
            group("d", Status::Suspended, &[], &["b"]),
            group("e", Status::Active, &["te"], &["d"]),
        ];
        let refs: Vec<&Group> = gs.iter().collect();
        let idx: HashMap<&str, u32> = (0u32..)
            .zip(&gs)
            .map(|(i, g)| (g.uuid.as_str(), i))
            .collect();
        let mut interner = Interner::default();
        for s in ["a", "b", "c", "d", "e", "ta", "te", "group:c"] {
            interner.intern(s);
        }
        let closures = group_closures(&refs, &idx, &interner);
        let names = |set: &[Atom]| -> Vec<&str> {
            ["a", "b", "c", "d", "e", "ta", "te", "group:c"]
                .into_iter()
                .filter(|s| interner.get(s).is_some_and(|a| set.contains(&a)))
                .collect()
        };
        assert_eq!(names(&closures[0]), ["a", "b", "c", "ta", "group:c"]);
        assert_eq!(names(&closures[1]), ["a", "b", "c", "ta", "group:c"]);
        assert!(closures[3].is_empty(), "inactive group has no closure");
        assert_eq!(names(&closures[4]), ["e", "te"]);
    }

    #[test]
    fn user_and_app_facts_have_bare_and_typed_forms() {
        let mut interner = Interner::default();
        for s in [
            "u1",
            "user:u1",
            "t",
            "tag:t",
            "role:admin",
            "admin",
            "x1",
            "app:x1",
            "r",
            "ref:r",
        ] {
            interner.intern(s);
        }
        let user = User {
            uuid: "u1".into(),
            status: Status::Active,
            tags: vec!["t".into()],
            groups: Vec::new(),
            role: Some("admin".into()),
        };
        let facts = user_facts(&user, [], &[], &interner);
        assert_eq!(
            facts.len(),
            5,
            "uuid, user:uuid, tag, tag:tag, role:admin — not bare admin"
        );
        assert!(!facts.contains(&interner.intern("admin")));
        let app = App {
            uuid: "x1".into(),
            status: Status::Active,
            tags: vec!["t".into()],
            refs: vec!["r".into()],
        };
        assert_eq!(app_facts(&app, &interner).len(), 6);
    }
}
