//! `GET /api/user/download?token=`: the archive behind an `archiveURL` of
//! `requestUserCommentsDownload` (Coral's path). The link is single-use and
//! expires after two weeks; it holds comments written up to its creation.
//! The ZIP is written while it is sent ([`crate::admin::download`]).

use super::{ApiError, Shared};
use crate::admin::download::{body, ChannelWriter};
use crate::admin::export::{self, ExportError, PAGE};
use crate::admin::pat;
use crate::admin::store::LinkError;
use crate::auth::now;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use std::io::Write as _;

/// `GET /api/user/download`.
pub fn router() -> Router<Shared> {
    Router::new().route("/api/user/download", get(download))
}

#[derive(Deserialize)]
struct LinkQuery {
    token: Option<String>,
}

fn link_error(e: LinkError) -> ApiError {
    match e {
        LinkError::Unknown => ApiError::new(
            StatusCode::NOT_FOUND,
            "DOWNLOAD_LINK_INVALID",
            "no such download link",
        ),
        LinkError::Used => ApiError::new(
            StatusCode::GONE,
            "DOWNLOAD_LINK_USED",
            "this download link was used: request a new one",
        ),
        LinkError::Expired => ApiError::new(
            StatusCode::GONE,
            "DOWNLOAD_LINK_EXPIRED",
            "this download link expired: request a new one",
        ),
    }
}

async fn download(
    State(st): State<Shared>,
    Query(q): Query<LinkQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let secret = q
        .token
        .filter(|t| t.starts_with(pat::DOWNLOAD_PREFIX) && t.len() < 128)
        .ok_or(link_error(LinkError::Unknown))?;
    let at = now();
    let (user, created_at) = st
        .store
        .redeem_download(&pat::digest(&secret), at)
        .await?
        .map_err(link_error)?;
    eprintln!(
        "admin: comments archive of {}:{} downloaded",
        user.profile, user.external_id
    );
    let (writer, rx) = ChannelWriter::new();
    let aborter = writer.aborter();
    let (store, row_id) = (st.store.clone(), user.row_id);
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        // The ZIP writer is synchronous: it runs here, on a blocking
        // thread, and waits for each page of comments from the runtime.
        let written = export::write_archive(writer, at, |after| {
            runtime.block_on(store.export_page(row_id, created_at, after, PAGE))
        });
        match written {
            Ok(mut w) => {
                let _ = w.flush();
            }
            Err(ExportError::Source(e)) => {
                eprintln!("admin: comments archive failed: {e}");
                aborter.fail("database error");
            }
            // The client went away: nobody is left to tell.
            Err(ExportError::Write(_)) => {}
        }
    });
    // Named after the newest content it can hold (the link's creation), as Coral.
    let name = export::archive_file_name(&user.username, created_at);
    let mut resp = (StatusCode::OK, body(rx)).into_response();
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
