//! The token lifecycle of one embed: checks before a token is sent, the
//! refresh shortly before `exp` (or the sign-out at `exp`), the publisher's
//! `refreshAccessToken(next)`, and the `authError` / `tokenExpired` events,
//! each at most once per token.

use js_sys::{Function, JsString};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::callback::Callback;
use crate::embed::{emit, post, send, warn, with, Embed};
use crate::error::{Code, Error};
use crate::js::{claims_of, with_token};
use crate::protocol::{Msg, MAX_TOKEN};
use crate::timer::Timer;
use crate::token::{check, check_nonce, CLOCK_SKEW_SECS, REFRESH_LEAD_SECS};

fn now_secs() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// What a login-callback token must carry: `Some(pending)`, the nonce of
/// the login the reader started (if any); `None` for other tokens.
pub type NonceCheck<'a> = Option<Option<&'a str>>;

/// Checks a token before it is sent; returns its `exp`. The token stays a
/// JS string: an ASCII JWT's UTF-16 length is its length in bytes (and a
/// non-ASCII one is malformed anyway).
pub fn validate(token: &JsString, callback: NonceCheck) -> Result<Option<f64>, Error> {
    if token.length() as usize > MAX_TOKEN {
        return Err(Error::new(
            Code::TokenTooLarge,
            &["the token is larger than 16 KiB."],
        ));
    }
    let claims = claims_of(token);
    check(&claims, now_secs())?;
    if let Some(pending) = callback {
        check_nonce(&claims, pending)?;
    }
    Ok(match claims.exp {
        Some(Ok(exp)) => Some(exp),
        _ => None,
    })
}

/// Makes `token` (with its `exp`) the embed's current token and schedules
/// the refresh (if the publisher can refresh) or the expiry.
pub fn set_token(e: &mut Embed, token: Option<JsString>, exp: Option<f64>) {
    e.token = token;
    e.expired_reported = false;
    e.refresh_asked = false;
    e.due = exp.filter(|_| e.token.is_some()).map(|exp| {
        if e.opts.refresh_access_token.is_some() {
            exp - REFRESH_LEAD_SECS
        } else {
            exp + CLOCK_SKEW_SECS
        }
    });
    match e.due {
        None => e.timer = None,
        // A pending timer that fires no later than the new due time stays
        // (it re-arms itself when early): no clear/set per login.
        Some(due) if e.timer.is_some() && e.timer_at <= due => {}
        Some(due) => arm(e, due),
    }
}

/// Calls `on_timer(id)` at `due` (unix seconds).
pub(crate) fn arm(e: &mut Embed, due: f64) {
    let id = e.id;
    e.timer_at = due;
    e.timer = Some(Timer::new((due - now_secs()) * 1000.0, on_timer, id));
}

fn on_timer(id: u32, _: JsValue) {
    // The timer has fired: forget it (safe from inside its own callback).
    let Some(due) = with(id, |e| {
        e.timer = None;
        e.due
    })
    .flatten() else {
        return;
    };
    if now_secs() < due {
        // Early (a clamped long delay, or a later token since): wait again.
        with(id, |e| arm(e, due));
        return;
    }
    let can_refresh = with(id, |e| e.opts.refresh_access_token.is_some()) == Some(true);
    if can_refresh {
        request_refresh(id);
    } else {
        expire(id);
    }
}

/// The token expired and nobody can refresh it: sign the stream out and
/// tell the publisher once.
fn expire(id: u32) {
    with(id, |e| set_token(e, None, None));
    send(id, Msg::Logout);
    token_expired(id);
}

/// Emits `tokenExpired` unless it was already emitted for this token.
pub fn token_expired(id: u32) {
    let first = with(id, |e| !core::mem::replace(&mut e.expired_reported, true));
    if first == Some(true) {
        emit(id, "tokenExpired", &JsValue::UNDEFINED);
    }
}

/// Tells the publisher a token was refused before it reached the stream.
pub fn auth_error(id: u32, err: &Error) {
    let data = crate::js::object(&[("code", &err.code.as_str().into())]);
    emit(id, "authError", &data);
    if err.code == Code::TokenExpired {
        token_expired(id);
    }
}

/// Asks the publisher's `refreshAccessToken(next)` for a new token, at most
/// once per token (so a publisher handing back a bad token cannot loop),
/// or tells the stream there is none.
pub fn request_refresh(id: u32) {
    let cb = with(id, |e| {
        let first = !core::mem::replace(&mut e.refresh_asked, true);
        e.opts.refresh_access_token.clone().filter(|_| first)
    })
    .flatten();
    let Some(cb) = cb.and_then(|cb| cb.dyn_into::<Function>().ok()) else {
        send(id, Msg::RefreshAccessToken { token: None });
        return;
    };
    let next = Callback::new(on_next, id);
    let f = next.function().clone();
    // Replacing drops the previous `next`: calling it does nothing now.
    with(id, |e| {
        e.refresh_next = Some(next);
        e.refresh_used = false;
    });
    if let Err(err) = cb.call1(&JsValue::UNDEFINED, &f) {
        web_sys::console::error_2(&"Coral: refreshAccessToken threw:".into(), &err);
    }
}

/// The publisher's `next(token)` for embed `id` (see [`request_refresh`]):
/// works once.
fn on_next(id: u32, token: JsValue) {
    match with(id, |e| core::mem::replace(&mut e.refresh_used, true)) {
        Some(false) => {}
        Some(true) => {
            warn("Coral: refreshAccessToken's `next` was called more than once; ignored.");
            return;
        }
        None => return,
    }
    let token = token.dyn_into::<JsString>().ok().filter(|t| t.length() > 0);
    let checked = token.as_ref().map(|t| validate(t, None));
    match (token, checked) {
        (Some(t), Some(Ok(exp))) => {
            let msg = with_token(&Msg::RefreshAccessToken { token: None }, "token", &t);
            with(id, |e| set_token(e, Some(t), exp));
            post(id, &msg);
        }
        (_, checked) => {
            with(id, |e| set_token(e, None, None));
            send(id, Msg::RefreshAccessToken { token: None });
            if let Some(Err(err)) = checked {
                warn(&err.message);
                auth_error(id, &err);
            }
        }
    }
}

/// A `login` argument: a non-empty string that passes [`validate`].
pub fn check_token(
    token: &JsValue,
    callback: NonceCheck,
) -> Result<(JsString, Option<f64>), Error> {
    match token.dyn_ref::<JsString>().filter(|t| t.length() > 0) {
        Some(t) => Ok((t.clone(), validate(t, callback)?)),
        None => Err(Error::new(
            Code::InvalidArgument,
            &["login(token) needs a non-empty string token."],
        )),
    }
}
