//! The baseline for `bench/http.sh`: a bare axum handler returning a small JSON body,
//! with no auth, no database and no middleware.
//!
//! `cargo run --release -p bulwark-api --example bare -- 127.0.0.1:18081`

use axum::Json;
use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18081".into());
    let app = Router::new().route(
        "/bare",
        get(|| async {
            Json(
                serde_json::json!({"uuid": "00000000-0000-4000-8000-000000000000", "name": "bare"}),
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await
}
