//! What the host sends: the welcome (with the channel's port), then
//! `config`, `login`, `logout`, `refreshAccessToken` and `commentID` over
//! the port; and the page height the stream reports back.

use gloo_events::EventListener;
use js_sys::{Function, JsString};
use stream_embed::js::JsRecord;
use stream_embed::protocol::{From, Msg, Record, MAX_TOKEN, NS, TYPE, VERSION};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, MessagePort};

use crate::config::page_config;
use crate::state::{send, with, Port};

/// Calls a page callback; one that throws is reported, never propagated.
pub(crate) fn call(f: Option<Function>, arg: &JsValue) {
    if let Some(f) = f {
        if let Err(e) = f.call1(&JsValue::UNDEFINED, arg) {
            web_sys::console::error_2(&"stream client: callback threw:".into(), &e);
        }
    }
}

/// Sets the token (a JS string) and tells the host, then the page.
pub(crate) fn set_token(token: Option<JsValue>) {
    let logged_in = token.is_some();
    let arg = token.clone().unwrap_or(JsValue::UNDEFINED);
    let Some((changed, cb)) = with(|s| {
        // `===`: strings compare by value.
        let changed = s.token != token;
        s.token = token;
        let cb = if logged_in {
            &s.callbacks.on_login
        } else {
            &s.callbacks.on_logout
        };
        (changed, cb.clone())
    }) else {
        return;
    };
    // Acknowledge first: the host hears the new state without waiting for
    // the page's callback (and a callback that signs out again is answered
    // after this, in order).
    send(Msg::AuthState { logged_in });
    if changed {
        call(cb, &arg);
    }
}

fn on_host_message(msg: Msg<JsValue>) {
    match msg {
        Msg::Config(c) => {
            let token = c.access_token.as_deref().map(JsValue::from_str);
            let cb = with(|s| {
                s.config = Some(c.clone());
                s.callbacks.on_config.clone()
            })
            .flatten();
            call(cb, &page_config(&c));
            set_token(token);
        }
        Msg::Login { token } => set_token(Some(JsValue::from_str(&token))),
        Msg::CommentId { comment_id } => {
            let cb = with(|s| {
                if let Some(c) = s.config.as_mut() {
                    c.comment_id = comment_id.clone();
                }
                s.callbacks.on_comment_id.clone()
            })
            .flatten();
            call(cb, &comment_id.map(JsValue::from).unwrap_or(JsValue::NULL));
        }
        Msg::Logout => set_token(None),
        Msg::RefreshAccessToken { token } => {
            let token = token
                .map(|t| JsValue::from_str(&t))
                .filter(|t| with(|s| s.rejected.as_ref() != Some(t)) == Some(true));
            set_token(token);
        }
        _ => {}
    }
}

/// The token of a `login` message, read in place: the one message that
/// comes often, decoded as `Msg::decode` does without copying the token
/// into wasm memory (and back out for `onLogin`).
fn login_token(rec: &JsRecord) -> Option<JsValue> {
    if rec.get_num(NS) != Some(VERSION) || rec.get_str(TYPE)? != "login" {
        return None;
    }
    let token = rec.raw("token");
    // A non-empty string of at most MAX_TOKEN UTF-8 bytes (a UTF-16 unit
    // takes one to three; measure exactly only when it matters).
    let units = token.dyn_ref::<JsString>()?.length() as usize;
    let fits = units > 0
        && (units * 3 <= MAX_TOKEN
            || (units <= MAX_TOKEN && token.as_string().is_some_and(|t| t.len() <= MAX_TOKEN)));
    fits.then_some(token)
}

/// The host's `welcome` (checked by the caller to come from the parent):
/// take its port and deliver what waited for it.
pub(crate) fn on_welcome(ev: &MessageEvent) {
    let Some(port) = ev.ports().get(0).dyn_into::<MessagePort>().ok() else {
        return;
    };
    let listener = EventListener::new(&port, "message", |ev| {
        // Only the host (holding the other end) posts here: MessageEvents.
        let data = ev.unchecked_ref::<MessageEvent>().data();
        let rec = JsRecord(&data);
        if let Some(token) = login_token(&rec) {
            set_token(Some(token));
        } else if let Some(msg) = Msg::decode(&rec, From::Host) {
            on_host_message(msg);
        }
    });
    port.start();
    let outbox = with(|s| {
        s.port = Some(Port {
            port,
            _listener: listener,
        });
        s.last_height = -1.0;
        std::mem::take(&mut s.outbox)
    })
    .unwrap_or_default();
    for m in outbox {
        send(m);
    }
    report_height();
}

/// Tells the host the page's height when it changed.
pub(crate) fn report_height() {
    let h = with(|s| {
        let el = s.window.document()?.document_element()?;
        let h = el.get_bounding_client_rect().height().ceil();
        (h != s.last_height).then(|| {
            s.last_height = h;
            h
        })
    })
    .flatten();
    if let Some(px) = h {
        send(Msg::Height { px });
    }
}
