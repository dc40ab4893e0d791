//! The token lifecycle of one embed: checks before a token is sent, the
//! refresh shortly before `exp` (or the sign-out at `exp`), the publisher's
//! `refreshAccessToken(next)`, and the `authError` / `tokenExpired` events,
//! each at most once per token.

use crate::error::{Code, Error, Result};
use crate::protocol::{Msg, MAX_TOKEN};
use crate::token::{check, check_nonce, CLOCK_SKEW_SECS, REFRESH_LEAD_SECS};

use super::effect::{object, Arg, Effects};
use super::input::{Ref, Token};
use super::state::{Core, TimerKind};

/// Longest delay `setTimeout` honours (about 24.8 days); longer ones fire
/// at once, so the core never asks for more.
pub const MAX_DELAY_MS: f64 = 2_147_483_647.0;

/// What a login-callback token must carry: `Some(pending)`, the nonce of the
/// login the reader started (if any); `None` for other tokens.
pub type NonceCheck<'a> = Option<Option<&'a str>>;

/// Checks a token before it is sent (at `now`, unix ms); returns its
/// `exp`.
pub fn validate(t: &Token, nonce: NonceCheck, now: f64) -> Result<Option<f64>> {
    if t.len as usize > MAX_TOKEN {
        return Err(Error::new(
            Code::TokenTooLarge,
            &["the token is larger than 16 KiB."],
        ));
    }
    check(&t.claims, now / 1000.0)?;
    if let Some(pending) = nonce {
        check_nonce(&t.claims, pending)?;
    }
    Ok(match t.claims.exp {
        Some(Ok(exp)) => Some(exp),
        _ => None,
    })
}

/// A `login` argument: a non-empty string that passes [`validate`].
pub fn check_login(token: Option<&Token>, nonce: NonceCheck, now: f64) -> Result<Option<f64>> {
    match token.filter(|t| t.len > 0) {
        Some(t) => validate(t, nonce, now),
        None => Err(Error::new(
            Code::InvalidArgument,
            &["login(token) needs a non-empty string token."],
        )),
    }
}

impl Core {
    /// Posts `msg` to embed `id`'s stream if connected, with the token in
    /// slot `token` as its property `key`. Before the connection, the
    /// `config` sent on connection carries the state instead.
    pub fn send(&self, fx: &mut Effects, id: u32, msg: &Msg<Ref>, key: &str, token: u32) {
        if self.embed(id).is_some_and(|e| e.connected) {
            fx.post(id, msg, key, token);
        }
    }

    /// Makes `token` (a checked token of this input) embed `id`'s token and
    /// tells the stream.
    pub fn login(&mut self, fx: &mut Effects, id: u32, token: &Token, exp: Option<f64>, now: f64) {
        let slot = self.keep(
            fx,
            Ref {
                x: token.at,
                ..Ref::default()
            },
        );
        self.set_token(fx, id, slot, exp, now);
        let msg = Msg::Login {
            token: alloc::string::String::new(),
        };
        self.send(fx, id, &msg, "token", slot);
    }

    /// `logout()` (and the sign-out at `exp`).
    pub fn logout(&mut self, fx: &mut Effects, id: u32, now: f64) {
        self.set_token(fx, id, 0, None, now);
        self.send(fx, id, &Msg::Logout, "", 0);
    }

    /// Makes the token in `slot` (0: none), with its `exp`, embed `id`'s
    /// token, and schedules its refresh (if the publisher can refresh) or
    /// its expiry.
    pub fn set_token(&mut self, fx: &mut Effects, id: u32, slot: u32, exp: Option<f64>, now: f64) {
        let Some(e) = self.embed_mut(id) else { return };
        let s = &mut e.session;
        let old = core::mem::replace(&mut s.token, slot);
        s.expired_reported = false;
        s.refresh_asked = false;
        s.due = exp.filter(|_| slot != 0).map(|exp| {
            if s.refresh != 0 {
                exp - REFRESH_LEAD_SECS
            } else {
                exp + CLOCK_SKEW_SECS
            }
        });
        match (s.due, s.timer_at) {
            (None, Some(_)) => {
                s.timer_at = None;
                fx.timer(id, TimerKind::Token as u8, -1);
            }
            // A running timer that fires no later than the new due time
            // stays (it re-arms itself when early).
            (Some(due), Some(at)) if at <= due => {}
            (Some(due), _) => arm(fx, id, s, due, now),
            (None, None) => {}
        }
        self.release(fx, old);
    }

    /// Embed `id`'s token timer fired.
    pub fn on_token_timer(&mut self, fx: &mut Effects, id: u32, now: f64) {
        let Some(e) = self.embed_mut(id) else { return };
        e.session.timer_at = None;
        let Some(due) = e.session.due else { return };
        if now / 1000.0 < due {
            // Early (a clamped long delay): wait again.
            arm(fx, id, &mut e.session, due, now);
        } else if e.session.refresh != 0 {
            self.request_refresh(fx, id);
        } else {
            // Nobody can refresh it: sign the stream out, tell the
            // publisher once.
            self.logout(fx, id, now);
            self.token_expired(fx, id);
        }
    }

    /// Emits `tokenExpired` unless it was emitted for this token.
    pub fn token_expired(&mut self, fx: &mut Effects, id: u32) {
        let first = self
            .embed_mut(id)
            .is_some_and(|e| !core::mem::replace(&mut e.session.expired_reported, true));
        if first {
            self.emit(fx, id, "tokenExpired", &[], false);
        }
    }

    /// Tells the publisher a token was refused before it reached the stream.
    pub fn auth_error(&mut self, fx: &mut Effects, id: u32, err: &Error) {
        let data = object("code", err.code.as_str());
        self.emit(fx, id, "authError", &[Arg::Json(&data)], false);
        if err.code == Code::TokenExpired {
            self.token_expired(fx, id);
        }
    }

    /// Asks the publisher's `refreshAccessToken(next)` for a new token, at
    /// most once per token (a publisher handing back a bad token cannot
    /// loop), or tells the stream there is none.
    pub fn request_refresh(&mut self, fx: &mut Effects, id: u32) {
        let Some(e) = self.embed_mut(id) else { return };
        let s = &mut e.session;
        let first = !core::mem::replace(&mut s.refresh_asked, true);
        if s.refresh == 0 || !first {
            self.send(fx, id, &Msg::RefreshAccessToken { token: None }, "", 0);
            return;
        }
        // A new request: the `next` of an older one does nothing now.
        s.request = s.request.wrapping_add(1);
        s.next_used = false;
        let (f, gen) = (s.refresh, s.request);
        fx.call(
            id,
            Arg::Slot(f),
            "Coral: refreshAccessToken threw:",
            "",
            false,
            &[Arg::Next(gen)],
        );
    }

    /// The publisher called `next` of request `gen`: it works once, and only
    /// for the latest request.
    pub fn on_next(
        &mut self,
        fx: &mut Effects,
        id: u32,
        gen: u32,
        token: Option<&Token>,
        now: f64,
    ) {
        let Some(e) = self.embed_mut(id) else { return };
        if gen == 0 || gen != e.session.request {
            return;
        }
        if core::mem::replace(&mut e.session.next_used, true) {
            fx.log(
                false,
                "Coral: refreshAccessToken's `next` was called more than once; ignored.",
            );
            return;
        }
        let token = token.filter(|t| t.len > 0);
        match token.map(|t| (t, validate(t, None, now))) {
            Some((t, Ok(exp))) => {
                let r = Ref {
                    x: t.at,
                    ..Ref::default()
                };
                let slot = self.keep(fx, r);
                self.set_token(fx, id, slot, exp, now);
                let msg = Msg::RefreshAccessToken { token: None };
                self.send(fx, id, &msg, "token", slot);
            }
            checked => {
                self.set_token(fx, id, 0, None, now);
                self.send(fx, id, &Msg::RefreshAccessToken { token: None }, "", 0);
                if let Some((_, Err(err))) = checked {
                    fx.log(false, &err.message);
                    self.auth_error(fx, id, &err);
                }
            }
        }
    }
}

/// Starts embed `id`'s token timer for `due` (unix s).
pub fn arm(fx: &mut Effects, id: u32, s: &mut super::state::Session, due: f64, now: f64) {
    s.timer_at = Some(due);
    let ms = due * 1000.0 - now;
    let ms = if ms > MAX_DELAY_MS {
        MAX_DELAY_MS
    } else if ms > 0.0 {
        ms
    } else {
        0.0
    };
    fx.timer(id, TimerKind::Token as u8, ms as i64);
}
