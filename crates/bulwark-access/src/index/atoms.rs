//! Interned selector strings ("atoms"), sorted atom sets and posting lists.

use std::collections::HashMap;

/// An interned selector string. Only strings that some selector or filter
/// mentions are interned: facts nobody asks about cannot change a decision.
pub(crate) type Atom = u32;

/// The reserved key for "any app" (policies whose app filter includes every
/// app), "every session" (session filters that include every session) and
/// "guest" (accesses open to guests). The three live in different positions
/// of a [`key`], so one value serves all.
pub(crate) const SENTINEL: u32 = u32::MAX;

/// Packs an app slot (or [`SENTINEL`]) and an atom (or [`SENTINEL`]) into a
/// posting key.
pub(crate) const fn key(app: u32, atom: u32) -> u64 {
    ((app as u64) << 32) | atom as u64
}

/// String to atom. SipHash, since session attributes are looked up here.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    map: HashMap<Box<str>, Atom>,
}

impl Interner {
    /// The atom for `s`, creating it if needed.
    pub(crate) fn intern(&mut self, s: &str) -> Atom {
        if let Some(&a) = self.map.get(s) {
            return a;
        }
        // Atom count is bounded by the selectors in the snapshot, far below u32::MAX.
        let a = Atom::try_from(self.map.len()).unwrap_or(SENTINEL - 2);
        self.map.insert(s.into(), a);
        a
    }

    /// The atom for `s` if some selector mentions it.
    pub(crate) fn get(&self, s: &str) -> Option<Atom> {
        self.map.get(s).copied()
    }

    /// The atom for `prefix` followed by `value`, reusing `buf`.
    pub(crate) fn get_prefixed(&self, buf: &mut String, prefix: &str, value: &str) -> Option<Atom> {
        buf.clear();
        buf.push_str(prefix);
        buf.push_str(value);
        self.get(buf)
    }

    /// Number of atoms.
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

/// Sorts and deduplicates, turning a list into a set.
pub(crate) fn into_set(mut atoms: Vec<Atom>) -> Vec<Atom> {
    atoms.sort_unstable();
    atoms.dedup();
    atoms
}

/// Whether the sorted set contains `a`.
pub(crate) fn contains(set: &[Atom], a: Atom) -> bool {
    set.binary_search(&a).is_ok()
}

/// Whether two sorted sets share an element.
pub(crate) fn intersects(a: &[Atom], b: &[Atom]) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.iter().any(|&x| contains(large, x))
}

/// Many sorted atom sets stored back to back.
#[derive(Debug, Default, Clone)]
pub(crate) struct SetArena {
    ends: Vec<u32>,
    atoms: Vec<Atom>,
}

impl SetArena {
    /// Stores a set (already sorted and deduplicated) and returns its id.
    pub(crate) fn push(&mut self, set: &[Atom]) -> u32 {
        self.atoms.extend_from_slice(set);
        let end = u32::try_from(self.atoms.len()).unwrap_or(u32::MAX);
        self.ends.push(end);
        u32::try_from(self.ends.len() - 1).unwrap_or(u32::MAX)
    }

    /// The set with id `id` (empty for an unknown id).
    pub(crate) fn get(&self, id: u32) -> &[Atom] {
        let id = id as usize;
        let start = match id.checked_sub(1) {
            Some(prev) => self.ends.get(prev).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(id).copied().unwrap_or(start);
        self.atoms.get(start as usize..end as usize).unwrap_or(&[])
    }
}

/// Posting lists: `(app, atom)` to a sorted run of ranks.
///
/// One small open-addressing hash table per app (and one for "any app")
/// rather than one big map: a popular app's table stays in cache, and a
/// lookup is one or two probes into it. Keys are dense atom ids, so a
/// multiplicative hash spreads them well.
#[derive(Debug, Default, Clone)]
pub(crate) struct Postings {
    /// Per table, its first slot and its capacity; the any-app table is last.
    tables: Vec<(u32, u32)>,
    slots: Vec<Slot>,
    ranks: Vec<u32>,
    /// One bit per atom posted in any table: most of a user's facts are keys
    /// nowhere, and this small bitset answers that without touching a table.
    posted: Vec<u64>,
    keys: usize,
    entries: usize,
}

/// The ranks under one key.
enum Run<'p> {
    None,
    One(u32),
    Many(&'p [u32]),
}

/// One key of a table. Most keys hold a single rank, which is stored in the
/// slot itself (`INLINE` set), saving a cache miss; otherwise `value` is the
/// position in `ranks` of the run's length, followed by the run.
#[derive(Debug, Clone, Copy)]
struct Slot {
    atom: Atom,
    value: u32,
}

const INLINE: u32 = 1 << 31;

/// Marks a free slot. Atoms never reach it: the interner would need four
/// billion distinct selector strings first.
const EMPTY: Atom = u32::MAX - 1;

const EMPTY_SLOT: Slot = Slot {
    atom: EMPTY,
    value: 0,
};

fn index_u32(n: usize) -> u32 {
    // Sizes are bounded by the snapshot, far below u32::MAX.
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Home slot of `atom` in a table of `capacity` slots (Fibonacci hashing,
/// then the high bits scaled to the capacity).
fn home(atom: Atom, capacity: u32) -> u32 {
    let h = atom.wrapping_mul(0x9e37_79b9);
    ((u64::from(h) * u64::from(capacity)) >> 32) as u32
}

impl Postings {
    /// Builds from `(key(app, atom), rank)` pairs in any order for apps
    /// `0..apps` and [`SENTINEL`]; duplicates collapse.
    pub(crate) fn from_pairs(mut pairs: Vec<(u64, u32)>, apps: u32) -> Postings {
        pairs.sort_unstable();
        pairs.dedup();
        let mut p = Postings {
            tables: Vec::with_capacity(apps as usize + 1),
            entries: pairs.len(),
            ..Postings::default()
        };
        let mut i = 0;
        let mut entries: Vec<Slot> = Vec::new();
        // Table t holds app t; table `apps` holds the any-app (SENTINEL) entries.
        for table in 0..=apps {
            let app = if table == apps { SENTINEL } else { table };
            entries.clear();
            while let Some(&(k, _)) = pairs.get(i) {
                if (k >> 32) as u32 != app {
                    break;
                }
                let run_end = i + pairs
                    .get(i..)
                    .unwrap_or(&[])
                    .partition_point(|&(k2, _)| k2 == k);
                let run = pairs.get(i..run_end).unwrap_or(&[]);
                i = run_end.max(i + 1);
                let value = match run {
                    // Ranks stay below 2^31: they count policies or accesses.
                    [(_, r)] if *r < INLINE => INLINE | *r,
                    _ => {
                        let at = index_u32(p.ranks.len());
                        p.ranks.push(index_u32(run.len()));
                        p.ranks.extend(run.iter().map(|&(_, r)| r));
                        at
                    }
                };
                entries.push(Slot {
                    atom: k as u32,
                    value,
                });
                if k as u32 != SENTINEL {
                    p.mark_posted(k as u32);
                }
            }
            p.add_table(&entries);
        }
        p
    }

    /// Lays out one table at most half full, so every probe sequence ends.
    fn add_table(&mut self, entries: &[Slot]) {
        let first = index_u32(self.slots.len());
        let capacity = if entries.is_empty() {
            0
        } else {
            index_u32(entries.len() * 2)
        };
        self.slots
            .resize(self.slots.len() + capacity as usize, EMPTY_SLOT);
        let table = self.slots.get_mut(first as usize..).unwrap_or(&mut []);
        for e in entries {
            let mut at = home(e.atom, capacity);
            while let Some(slot) = table.get_mut(at as usize) {
                if slot.atom == EMPTY {
                    *slot = *e;
                    break;
                }
                at = if at + 1 == capacity { 0 } else { at + 1 };
            }
        }
        self.tables.push((first, capacity));
        self.keys += entries.len();
    }

    fn mark_posted(&mut self, atom: Atom) {
        let word = atom as usize / 64;
        if self.posted.len() <= word {
            self.posted.resize(word + 1, 0);
        }
        if let Some(w) = self.posted.get_mut(word) {
            *w |= 1 << (atom % 64);
        }
    }

    fn is_posted(&self, atom: Atom) -> bool {
        atom == SENTINEL
            || self
                .posted
                .get(atom as usize / 64)
                .is_some_and(|w| w & (1 << (atom % 64)) != 0)
    }

    fn lookup(&self, app: u32, atom: Atom) -> Run<'_> {
        let any = self.tables.len().saturating_sub(1);
        let t = match app {
            SENTINEL => any,
            _ if (app as usize) < any => app as usize,
            _ => return Run::None,
        };
        let Some(&(first, capacity)) = self.tables.get(t) else {
            return Run::None;
        };
        let table = self
            .slots
            .get(first as usize..(first + capacity) as usize)
            .unwrap_or(&[]);
        let mut at = home(atom, capacity);
        // At most `capacity` probes, though a free slot always comes sooner.
        for _ in 0..capacity {
            let Some(slot) = table.get(at as usize) else {
                break;
            };
            if slot.atom == atom {
                if slot.value & INLINE != 0 {
                    return Run::One(slot.value & !INLINE);
                }
                let at = slot.value as usize;
                let len = self.ranks.get(at).copied().unwrap_or(0) as usize;
                return Run::Many(self.ranks.get(at + 1..at + 1 + len).unwrap_or(&[]));
            }
            if slot.atom == EMPTY {
                break;
            }
            at = if at + 1 == capacity { 0 } else { at + 1 };
        }
        Run::None
    }

    /// Appends to `out` the ranks posted under `(app, a)` for every atom `a`
    /// of `atoms`.
    pub(crate) fn collect(&self, app: u32, atoms: &[Atom], out: &mut Vec<u32>) {
        for &a in atoms {
            if !self.is_posted(a) {
                continue;
            }
            match self.lookup(app, a) {
                Run::None => {}
                Run::One(r) => out.push(r),
                Run::Many(rs) => out.extend_from_slice(rs),
            }
        }
    }

    /// The ranks under `(app, atom)`, ascending.
    #[cfg(test)]
    pub(crate) fn get(&self, app: u32, atom: Atom) -> Vec<u32> {
        let mut out = Vec::new();
        self.collect(app, &[atom], &mut out);
        out
    }

    /// Number of keys.
    pub(crate) fn keys(&self) -> usize {
        self.keys
    }

    /// Number of stored ranks.
    pub(crate) fn entries(&self) -> usize {
        self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interner_is_stable_and_only_knows_interned_strings() {
        let mut i = Interner::default();
        let a = i.intern("a");
        let b = i.intern("b");
        assert_ne!(a, b);
        assert_eq!(i.intern("a"), a);
        assert_eq!(i.get("b"), Some(b));
        assert_eq!(i.get("c"), None);
        let mut buf = String::new();
        let t = i.intern("tag:x");
        assert_eq!(i.get_prefixed(&mut buf, "tag:", "x"), Some(t));
        assert_eq!(i.len(), 3);
    }

    #[test]
    fn arena_returns_each_set_back() {
        let mut arena = SetArena::default();
        let s0 = arena.push(&[1, 2, 3]);
        let s1 = arena.push(&[]);
        let s2 = arena.push(&[7]);
        assert_eq!(arena.get(s0), &[1, 2, 3]);
        assert_eq!(arena.get(s1), &[] as &[Atom]);
        assert_eq!(arena.get(s2), &[7]);
        assert_eq!(arena.get(99), &[] as &[Atom]);
    }

    #[test]
    fn postings_group_sort_and_dedup() {
        let pairs = vec![
            (key(1, 2), 5),
            (key(1, 2), 3),
            (key(0, 0), 1),
            (key(1, 2), 5),
            (key(SENTINEL, 2), 9),
            (key(1, 7), 4),
        ];
        let p = Postings::from_pairs(pairs, 3);
        assert_eq!(p.get(1, 2), [3, 5]);
        assert_eq!(p.get(0, 0), [1]);
        assert_eq!(p.get(SENTINEL, 2), [9]);
        assert!(p.get(2, 1).is_empty());
        assert!(p.get(0, 2).is_empty());
        assert!(p.get(7, 2).is_empty(), "unknown app");
        assert!(
            p.get(3, 2).is_empty(),
            "the slot after the last app is not the any-app table"
        );
        let mut out = Vec::new();
        p.collect(1, &[0, 2, 3, 7, 8], &mut out);
        assert_eq!(out, [3, 5, 4]);
        // Many keys in one table: every one is found, absent ones are not.
        let big = Postings::from_pairs((0..500u32).map(|a| (key(0, a * 3), a)).collect(), 1);
        for a in 0..1500u32 {
            let want: &[u32] = if a % 3 == 0 { &[a / 3] } else { &[] };
            assert_eq!(big.get(0, a), want, "atom {a}");
        }
        assert_eq!(p.keys(), 4);
        assert_eq!(p.entries(), 5);
    }

    #[test]
    fn set_helpers() {
        assert!(contains(&[1, 4, 9], 4));
        assert!(!contains(&[1, 4, 9], 5));
        assert!(intersects(&[1, 4, 9], &[2, 9]));
        assert!(!intersects(&[1, 4], &[2, 3, 5]));
        assert_eq!(into_set(vec![3, 1, 3, 2]), vec![1, 2, 3]);
        assert_ne!(key(1, 0), key(0, 1));
        assert_ne!(key(SENTINEL, 3), key(3, SENTINEL));
    }
}
