//! Criterion benchmark of `Index::decide` (and the two list queries) on the
//! synthetic account of `support/workload.rs`: 10,000 policies, 100,000 users.
//!
//! `CARGO_TARGET_DIR=/work/targets/access nice -n 10 cargo bench --bench decide`
//! Criterion reports the mean time per call and, through `Throughput`,
//! decisions per second. For the median and p99 per decision run
//! `cargo run --release --example latency`.

#![allow(
    clippy::indexing_slicing,
    reason = "benchmark: the index is reduced modulo the length"
)]
#![allow(
    missing_docs,
    reason = "criterion's macros generate undocumented functions"
)]

use std::hint::black_box;

use bulwark_access::{Index, Principal};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/workload.rs"]
mod workload;

fn bench(c: &mut Criterion) {
    let snapshot = workload::snapshot(7);
    let index = Index::build(&snapshot);
    drop(snapshot);
    let queries = workload::queries(11, 100_000);

    let mut group = c.benchmark_group("access");
    group.throughput(Throughput::Elements(1));
    let mut i = 0usize;
    group.bench_function("decide", |b| {
        b.iter(|| {
            let q = &queries[i % queries.len()];
            i += 1;
            black_box(
                index
                    .decide(Principal::User(&q.user), &q.app, &q.attrs, workload::NOW)
                    .verdict,
            )
        })
    });
    group.bench_function("matching_policies", |b| {
        b.iter(|| {
            let q = &queries[i % queries.len()];
            i += 1;
            black_box(
                index
                    .matching_policies(Principal::User(&q.user), &q.app, &q.attrs, workload::NOW)
                    .len(),
            )
        })
    });
    group.bench_function("accesses", |b| {
        b.iter(|| {
            let q = &queries[i % queries.len()];
            i += 1;
            black_box(
                index
                    .accesses(Principal::User(&q.user), &q.app, workload::NOW)
                    .accesses
                    .len(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
