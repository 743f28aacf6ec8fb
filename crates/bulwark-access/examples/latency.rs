//! Per-decision latency of `Index::decide`: median, p99 and throughput on the
//! synthetic account of `benches/support/workload.rs` (10,000 policies,
//! 100,000 users).
//!
//! `CARGO_TARGET_DIR=/work/targets/access nice -n 10 cargo run --release --example latency`

#![allow(
    clippy::indexing_slicing,
    reason = "percentiles index a sorted, non-empty vector"
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use bulwark_access::{Index, Principal, Verdict};

#[path = "../benches/support/workload.rs"]
mod workload;

const DECISIONS: usize = 100_000;

/// Nanoseconds this thread has run on a CPU (Linux `schedstat`), so that
/// time spent waiting for a core on a busy machine can be told apart.
fn on_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn main() {
    let started = Instant::now();
    let snapshot = workload::snapshot(7);
    let generated = started.elapsed();

    let started = Instant::now();
    let index = Index::build(&snapshot);
    let built = started.elapsed();
    drop(snapshot);
    println!("workload generated in {generated:.2?}, index built in {built:.2?}");
    println!("{:#?}", index.stats());

    let queries = workload::queries(11, DECISIONS);
    let decide = |q: &workload::Query| {
        index.decide(Principal::User(&q.user), &q.app, &q.attrs, workload::NOW)
    };

    // Warm caches and branch predictors.
    for q in queries.iter().take(20_000) {
        black_box(decide(q));
    }

    // Throughput: one clock read for the whole run.
    let cpu_before = on_cpu_ns();
    let started = Instant::now();
    for q in &queries {
        black_box(decide(q));
    }
    let total = started.elapsed();
    let on_cpu = cpu_before
        .zip(on_cpu_ns())
        .map(|(a, b)| Duration::from_nanos(b.saturating_sub(a)));

    // Latency: one clock read pair per decision.
    let mut samples = Vec::with_capacity(DECISIONS);
    let mut verdicts = [0usize; 3];
    for q in &queries {
        let t = Instant::now();
        let d = black_box(decide(q));
        samples.push(t.elapsed());
        verdicts[match d.verdict {
            Verdict::Allow => 0,
            Verdict::Deny => 1,
            Verdict::StepUp(_) => 2,
        }] += 1;
    }
    samples.sort_unstable();
    let mean = samples.iter().sum::<Duration>() / DECISIONS as u32;
    let policies: usize = queries
        .iter()
        .take(10_000)
        .map(|q| {
            index
                .matching_policies(Principal::User(&q.user), &q.app, &q.attrs, workload::NOW)
                .len()
        })
        .sum();

    println!(
        "decisions: {DECISIONS} (allow {}, deny {}, step-up {})",
        verdicts[0], verdicts[1], verdicts[2]
    );
    println!(
        "matching policies per decision (mean of 10k): {:.1}",
        policies as f64 / 10_000.0
    );
    println!(
        "throughput: {:.0} decisions/s (single thread, wall clock)",
        DECISIONS as f64 / total.as_secs_f64()
    );
    if let Some(cpu) = on_cpu {
        println!(
            "on-CPU time per decision: {:.2?} ({:.0} decisions per CPU-second; wall/CPU {:.2})",
            cpu / DECISIONS as u32,
            DECISIONS as f64 / cpu.as_secs_f64(),
            total.as_secs_f64() / cpu.as_secs_f64(),
        );
    }
    println!(
        "latency per decision: mean {:.2?}  p50 {:.2?}  p90 {:.2?}  p99 {:.2?}  p99.9 {:.2?}  max {:.2?}",
        mean,
        percentile(&samples, 0.50),
        percentile(&samples, 0.90),
        percentile(&samples, 0.99),
        percentile(&samples, 0.999),
        samples[samples.len() - 1],
    );
}
