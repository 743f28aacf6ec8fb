//! Filters compiled to atom sets: `include_any` of `all` lists minus `exclude_any`.

use crate::index::atoms::{Atom, Interner, contains, into_set};
use crate::model::{Clause, Filter};

/// Something atoms can be looked up in: one sorted set, or a user's facts plus
/// the session's attributes without merging them.
pub(crate) trait AtomSet {
    /// Whether `a` is present.
    fn has(&self, a: Atom) -> bool;
}

impl AtomSet for [Atom] {
    fn has(&self, a: Atom) -> bool {
        contains(self, a)
    }
}

/// A user's facts and a session's attributes, both sorted.
#[derive(Clone, Copy)]
pub(crate) struct SessionAtoms<'s> {
    pub(crate) principal: &'s [Atom],
    pub(crate) attributes: &'s [Atom],
}

impl AtomSet for SessionAtoms<'_> {
    fn has(&self, a: Atom) -> bool {
        contains(self.principal, a) || contains(self.attributes, a)
    }
}

/// A filter with every tag interned; each clause is a sorted set.
#[derive(Debug, Clone, Default)]
pub(crate) struct CompiledFilter {
    pub(crate) include: Vec<Box<[Atom]>>,
    pub(crate) exclude: Vec<Box<[Atom]>>,
}

fn compile_clauses(clauses: &[Clause], interner: &mut Interner) -> Vec<Box<[Atom]>> {
    clauses
        .iter()
        .map(|c| into_set(c.all.iter().map(|t| interner.intern(t)).collect()).into_boxed_slice())
        .collect()
}

fn clause_holds<S: AtomSet + ?Sized>(clause: &[Atom], set: &S) -> bool {
    // An empty conjunction holds (vacuous truth).
    clause.iter().all(|&a| set.has(a))
}

impl CompiledFilter {
    /// Interns every tag of `filter`.
    pub(crate) fn compile(filter: &Filter, interner: &mut Interner) -> CompiledFilter {
        CompiledFilter {
            include: compile_clauses(&filter.include_any, interner),
            exclude: compile_clauses(&filter.exclude_any, interner),
        }
    }

    /// Whether the include part selects everything: no clause at all (an
    /// absent filter does not restrict) or an empty clause (vacuously true).
    pub(crate) fn includes_everything(&self) -> bool {
        self.include.is_empty() || self.include.iter().any(|c| c.is_empty())
    }

    /// Whether some exclude clause holds.
    pub(crate) fn excludes<S: AtomSet + ?Sized>(&self, set: &S) -> bool {
        self.exclude.iter().any(|c| clause_holds(c, set))
    }

    /// Exact evaluation (the query path uses the [`FilterPool`] copy).
    #[cfg(test)]
    pub(crate) fn matches<S: AtomSet + ?Sized>(&self, set: &S) -> bool {
        let included = self.include.is_empty() || self.include.iter().any(|c| clause_holds(c, set));
        included && !self.excludes(set)
    }
}

/// Compiled filters stored back to back in one vector, so that checking a
/// run of candidate policies reads memory in order instead of chasing one
/// allocation per clause. Layout of a filter at offset `at`:
/// `[n_include, n_exclude, (len, atoms...) x n_include, (len, atoms...) x n_exclude]`.
#[derive(Debug, Default, Clone)]
pub(crate) struct FilterPool {
    words: Vec<u32>,
}

/// Splits the clause at the head of `words` from the words after it.
fn next_clause(words: &[u32]) -> (&[Atom], &[u32]) {
    match words.split_first() {
        Some((&len, rest)) => rest.split_at_checked(len as usize).unwrap_or((rest, &[])),
        None => (&[], &[]),
    }
}

fn word(n: usize) -> u32 {
    // Clause sizes and counts come from the snapshot, far below u32::MAX.
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl FilterPool {
    /// Stores `filter` and returns its offset. Without `keep_include` only the
    /// exclusions are stored: for app filters whose include part is universal.
    pub(crate) fn push(&mut self, filter: &CompiledFilter, keep_include: bool) -> u32 {
        let at = word(self.words.len());
        let include: &[Box<[Atom]>] = if keep_include { &filter.include } else { &[] };
        self.words.push(word(include.len()));
        self.words.push(word(filter.exclude.len()));
        for clause in include.iter().chain(&filter.exclude) {
            self.words.push(word(clause.len()));
            self.words.extend_from_slice(clause);
        }
        at
    }

    /// Exact evaluation of the filter stored at `at`.
    pub(crate) fn matches<S: AtomSet + ?Sized>(&self, at: u32, set: &S) -> bool {
        let words = self.words.get(at as usize..).unwrap_or(&[]);
        let (Some(&n_include), Some(&n_exclude)) = (words.first(), words.get(1)) else {
            return false;
        };
        let mut rest = words.get(2..).unwrap_or(&[]);
        let mut included = n_include == 0;
        for _ in 0..n_include {
            let (clause, tail) = next_clause(rest);
            rest = tail;
            included = included || clause_holds(clause, set);
        }
        if !included {
            return false;
        }
        for _ in 0..n_exclude {
            let (clause, tail) = next_clause(rest);
            rest = tail;
            if clause_holds(clause, set) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, reason = "tests")]

    use super::*;

    fn clause(tags: &[&str]) -> Clause {
        Clause {
            all: tags.iter().map(|t| (*t).to_owned()).collect(),
        }
    }

    fn filter(include: &[&[&str]], exclude: &[&[&str]]) -> Filter {
        Filter {
            include_any: include.iter().map(|c| clause(c)).collect(),
            exclude_any: exclude.iter().map(|c| clause(c)).collect(),
        }
    }

    fn eval(f: &Filter, present: &[&str]) -> bool {
        let mut interner = Interner::default();
        let compiled = CompiledFilter::compile(f, &mut interner);
        let set = into_set(present.iter().filter_map(|p| interner.get(p)).collect());
        compiled.matches(set.as_slice())
    }

    #[test]
    fn include_is_a_disjunction_of_conjunctions() {
        let f = filter(&[&["a", "b"], &["c"]], &[]);
        assert!(eval(&f, &["a", "b"]));
        assert!(eval(&f, &["c"]));
        assert!(!eval(&f, &["a"]));
        assert!(!eval(&f, &["b", "d"]));
    }

    #[test]
    fn exclude_removes_what_include_selected() {
        let f = filter(&[&["a"]], &[&["x", "y"], &["z"]]);
        assert!(eval(&f, &["a", "x"]));
        assert!(!eval(&f, &["a", "x", "y"]));
        assert!(!eval(&f, &["a", "z"]));
    }

    #[test]
    fn empty_include_selects_everything_and_empty_exclude_nothing() {
        let f = filter(&[], &[]);
        assert!(eval(&f, &[]));
        assert!(CompiledFilter::compile(&f, &mut Interner::default()).includes_everything());
        let g = filter(&[], &[&["blocked"]]);
        assert!(eval(&g, &["x"]));
        assert!(!eval(&g, &["blocked"]));
    }

    #[test]
    fn empty_clauses_are_vacuously_true() {
        let inc = filter(&[&["a"], &[]], &[]);
        assert!(eval(&inc, &[]));
        assert!(CompiledFilter::compile(&inc, &mut Interner::default()).includes_everything());
        let exc = filter(&[&["a"]], &[&[]]);
        assert!(!eval(&exc, &["a"]));
    }

    #[test]
    fn pooled_filters_evaluate_like_compiled_ones() {
        let mut interner = Interner::default();
        let filters = [
            filter(&[&["a", "b"], &["c"]], &[&["x"]]),
            filter(&[], &[]),
            filter(&[&[]], &[&["y", "z"]]),
            filter(&[&["a"]], &[&[]]),
        ];
        let compiled: Vec<CompiledFilter> = filters
            .iter()
            .map(|f| CompiledFilter::compile(f, &mut interner))
            .collect();
        let mut pool = FilterPool::default();
        let offsets: Vec<u32> = compiled.iter().map(|c| pool.push(c, true)).collect();
        let without_include = pool.push(&compiled[0], false);
        let atoms = ["a", "b", "c", "x", "y", "z"];
        for mask in 0u32..64 {
            let set = into_set(
                atoms
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .filter_map(|(_, a)| interner.get(a))
                    .collect(),
            );
            for (c, &at) in compiled.iter().zip(&offsets) {
                assert_eq!(
                    pool.matches(at, set.as_slice()),
                    c.matches(set.as_slice()),
                    "mask {mask}"
                );
            }
            assert_eq!(
                pool.matches(without_include, set.as_slice()),
                !compiled[0].excludes(set.as_slice())
            );
        }
    }

    #[test]
    fn session_atoms_see_both_halves() {
        let s = SessionAtoms {
            principal: &[1, 5],
            attributes: &[3],
        };
        assert!(s.has(1) && s.has(3) && s.has(5));
        assert!(!s.has(2));
    }
}
