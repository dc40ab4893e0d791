//! The AMP comment page (`/embed/stream/amp?storyID=|storyURL=`), Coral's
//! path for `<amp-iframe>` (coralproject/talk docs/docs/amp.md). An AMP
//! page cannot run the SDK, so this page shows the story's comments read
//! only, with a link to join the conversation on the article, and sends
//! AMP's `embed-size` messages so the `amp-iframe` fits it.
//!
//! It carries no token and changes nothing, so any page may frame it (AMP
//! caches serve AMP pages from their own origins): `frame-ancestors *`.

use super::stream_page::{stream_html, stream_html_page};
use super::Shared;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

/// The AMP page's `Content-Security-Policy`.
pub const AMP_CSP: &str = "frame-ancestors *; default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'none'";

/// `/embed/stream/amp`.
pub fn router() -> Router<Shared> {
    Router::new().route("/embed/stream/amp", get(page))
}

async fn page(State(st): State<Shared>) -> Response {
    stream_html_page(stream_html(&st.cfg, "amp"), AMP_CSP)
}
