//! `GET /api/health`: liveness, engine, schema version, the durability
//! setting in force and the enabled profiles.

use super::{ApiError, Shared};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

/// `GET /api/health`.
pub fn router() -> Router<Shared> {
    Router::new().route("/api/health", get(health))
}

async fn health(State(st): State<Shared>) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({
        "ok": true,
        "engine": st.store.engine().name(),
        "schemaVersion": st.store.schema_version().await?,
        "durability": st.store.durability().await?,
        "profiles": st.cfg.profile_names(),
        "production": st.cfg.production,
    })))
}
