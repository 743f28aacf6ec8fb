//! Diagnostic jobs: let an operator check the worker fleet end to end
//! (`POST /bulwark/v1/jobs` with kind `diagnostic.*`). They do nothing harmful: echo a
//! payload, sleep a bounded time, or fail a given number of times first.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::{Value, json};

use super::{JobContext, JobError, JobHandler, JobRegistry};

struct Echo;
struct Sleep;
struct FailFirst;

#[async_trait]
impl JobHandler for Echo {
    async fn run(&self, ctx: &JobContext, payload: &Value) -> Result<Value, JobError> {
        Ok(json!({"echo": payload, "worker": ctx.worker, "attempt": ctx.attempt}))
    }
}

#[async_trait]
impl JobHandler for Sleep {
    async fn run(&self, ctx: &JobContext, payload: &Value) -> Result<Value, JobError> {
        let ms = payload
            .get("ms")
            .and_then(Value::as_u64)
            .unwrap_or(100)
            .min(60_000);
        tokio::time::sleep(Duration::from_millis(ms)).await;
        Ok(json!({"slept_ms": ms, "worker": ctx.worker, "attempt": ctx.attempt}))
    }
}

#[async_trait]
impl JobHandler for FailFirst {
    async fn run(&self, ctx: &JobContext, payload: &Value) -> Result<Value, JobError> {
        let times = payload.get("times").and_then(Value::as_i64).unwrap_or(1);
        if i64::from(ctx.attempt) <= times {
            return Err(JobError::Retryable(format!(
                "planned failure {} of {times}",
                ctx.attempt
            )));
        }
        Ok(json!({"succeeded_on_attempt": ctx.attempt, "worker": ctx.worker}))
    }
}

/// Adds `diagnostic.echo`, `diagnostic.sleep` and `diagnostic.fail`.
pub fn register_diagnostics(registry: &mut JobRegistry) {
    registry.register("diagnostic.echo", Arc::new(Echo));
    registry.register("diagnostic.sleep", Arc::new(Sleep));
    registry.register("diagnostic.fail", Arc::new(FailFirst));
}
