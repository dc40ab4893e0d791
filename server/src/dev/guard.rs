//! Who may call the development routes.
//!
//! `POST /dev/token` and `POST /login` sign tokens with the development
//! secret, so a browser must never be tricked into calling them for another
//! site. Two attacks are refused here:
//!
//! * **DNS rebinding**: a page on `http://attacker.example:3000` whose name
//!   later resolves to 127.0.0.1 talks to this server *same-origin* from the
//!   browser's point of view; only its `Host` header gives it away. Every
//!   development route requires `Host` (and an absolute request URI's
//!   authority) to be the publisher origin's `host:port`.
//! * **Cross-site posts**: a form or `fetch(…, {mode: "no-cors"})` from any
//!   other site can send `text/plain` or form bodies without a preflight.
//!   `POST /dev/token` requires `Content-Type: application/json` (which a
//!   cross-site page cannot send without a CORS preflight this server never
//!   answers); `POST /login` requires a form body **and** an `Origin` header
//!   equal to the publisher origin (a same-origin form post). A
//!   `Sec-Fetch-Site` other than `same-origin` (or `none`, a typed URL, for
//!   `GET`) is refused, and so is any `Origin` other than the publisher's.

use axum::http::{header, HeaderMap, Uri};
use url::Url;

/// Why a development route refused a request. `code()` is the stable API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `Host` (or the request URI's authority) is not the publisher origin's.
    HostMismatch,
    /// `Sec-Fetch-Site` says another site (or a same-site sibling) sent it.
    CrossSite,
    /// `Origin` is missing where required, or names another origin.
    OriginMismatch,
    /// The body's media type is not the one the route takes.
    ContentType(&'static str),
}

impl Refusal {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::HostMismatch => "DEV_HOST_MISMATCH",
            Refusal::CrossSite => "DEV_CROSS_SITE",
            Refusal::OriginMismatch => "DEV_ORIGIN_MISMATCH",
            Refusal::ContentType(_) => "DEV_CONTENT_TYPE",
        }
    }

    /// A human-readable message.
    pub fn message(&self) -> String {
        match self {
            Refusal::HostMismatch => {
                "development routes answer only requests addressed to the publisher origin".into()
            }
            Refusal::CrossSite => "development routes refuse cross-site requests".into(),
            Refusal::OriginMismatch => {
                "the request's Origin must be the publisher origin (a same-origin request)".into()
            }
            Refusal::ContentType(want) => format!("the body must be sent as {want}"),
        }
    }
}

/// What a development route expects of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `GET /login`: a page anyone may link to; only `Host` is checked.
    LoginPage,
    /// `POST /login`: a same-origin form post (`Origin` required).
    LoginForm,
    /// `POST /dev/token`: JSON, same-origin or a non-browser client.
    Token,
    /// `GET /dev/users`: same-origin or a non-browser client.
    Users,
}

/// The `application/x-www-form-urlencoded` media type.
pub const FORM: &str = "application/x-www-form-urlencoded";
/// The `application/json` media type.
pub const JSON: &str = "application/json";

/// Checks a request to a development route against the publisher origin.
pub fn check(route: Route, publisher: &Url, uri: &Uri, headers: &HeaderMap) -> Result<(), Refusal> {
    check_host(publisher, uri, headers)?;
    if route == Route::LoginPage {
        return Ok(());
    }
    let is_get = route == Route::Users;
    match header_str(headers, "sec-fetch-site")? {
        None | Some("same-origin") => {}
        Some("none") if is_get => {}
        Some(_) => return Err(Refusal::CrossSite),
    }
    match header_str(headers, header::ORIGIN.as_str())? {
        Some(o) if same_origin(publisher, o) => {}
        Some(_) => return Err(Refusal::OriginMismatch),
        None if route == Route::LoginForm => return Err(Refusal::OriginMismatch),
        None => {}
    }
    let want = match route {
        Route::LoginForm => FORM,
        Route::Token => JSON,
        Route::LoginPage | Route::Users => return Ok(()),
    };
    match header_str(headers, header::CONTENT_TYPE.as_str()) {
        Ok(Some(ct)) if media_type_is(ct, want) => Ok(()),
        _ => Err(Refusal::ContentType(want)),
    }
}

/// Whether `content_type`'s essence (before any `;` parameter) is `want`.
pub fn media_type_is(content_type: &str, want: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case(want))
}

/// One header as text; present twice or not visible ASCII counts as forged.
fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, Refusal> {
    let mut values = headers.get_all(name).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(refusal_for(name));
    }
    first
        .to_str()
        .map(|s| Some(s.trim()))
        .map_err(|_| refusal_for(name))
}

fn refusal_for(name: &str) -> Refusal {
    match name {
        "host" => Refusal::HostMismatch,
        "origin" => Refusal::OriginMismatch,
        "content-type" => Refusal::ContentType(JSON),
        _ => Refusal::CrossSite,
    }
}

/// `Host` and the absolute-form authority (if any) both name the publisher.
fn check_host(publisher: &Url, uri: &Uri, headers: &HeaderMap) -> Result<(), Refusal> {
    let host = header_str(headers, header::HOST.as_str())?;
    let authority = uri.authority().map(|a| a.as_str());
    if host.is_none() && authority.is_none() {
        return Err(Refusal::HostMismatch);
    }
    for given in [host, authority].into_iter().flatten() {
        if !authority_matches(publisher, given) {
            return Err(Refusal::HostMismatch);
        }
    }
    Ok(())
}

/// Whether `authority` (`host[:port]`, as in a `Host` header) is the
/// publisher origin's host and port. Only host characters are accepted, so
/// `localhost:3000@evil` or `evil/x` can never be read as something else.
fn authority_matches(publisher: &Url, authority: &str) -> bool {
    let host_chars =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if authority.is_empty() || !authority.chars().all(host_chars) {
        return false;
    }
    match Url::parse(&format!("{}://{authority}/", publisher.scheme())) {
        Ok(u) => {
            u.host_str()
                .zip(publisher.host_str())
                .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
                && u.port_or_known_default() == publisher.port_or_known_default()
        }
        Err(_) => false,
    }
}

/// Whether the serialized origin `origin` (an `Origin` header) is `publisher`'s.
pub fn same_origin(publisher: &Url, origin: &str) -> bool {
    if origin == "null" {
        return false;
    }
    Url::parse(origin).is_ok_and(|u| {
        u.origin() == publisher.origin() && matches!(u.path(), "" | "/") && u.query().is_none()
    })
}
