//! The stream client: the library the page inside the stream iframe loads.
//!
//! It answers the host's handshake (a secret-free `hello` to the parent,
//! then everything over the `MessageChannel` port the host hands back from
//! its pinned origin), keeps the current token, calls the page's
//! `onConfig` / `onLogin` / `onLogout` callbacks, forwards events to the
//! publisher, reports the page height with a `ResizeObserver`, and verifies
//! the session with the stream server (`verifySession`).
//!
//! Modules: [`state`] (the client and sending), [`host`] (the host's
//! messages and the height), [`config`] (the settings the page sees),
//! [`session`] (the verified session).
#![warn(missing_docs)]

mod config;
mod host;
pub mod session;
mod state;

use gloo_events::EventListener;
use js_sys::{Function, Object};
use serde::Serialize;
use stream_embed::js::{encode, JsRecord};
use stream_embed::protocol::{From, Msg, Record, Val};
use stream_embed::token::payload_json;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, ResizeObserver};

use crate::config::page_config;
use crate::host::{on_welcome, report_height, set_token};
use crate::state::{send, with, Callbacks, State};

/// Stable error code the stream reports when the server says the token expired.
const TOKEN_EXPIRED: &str = "TOKEN_EXPIRED";

fn callback(rec: &JsRecord, key: &str) -> Option<Function> {
    match rec.get(key) {
        Val::Func(f) => f.dyn_into().ok(),
        _ => None,
    }
}

/// Connects to the host page. `callbacks` may have `onConfig(config)`,
/// `onLogin(token)`, `onLogout()` and `onCommentID(id or null)` (the
/// reader moved through the page history to or from a permalink). Only one
/// client exists per page; a second `connect` replaces the first.
#[wasm_bindgen]
pub fn connect(
    #[wasm_bindgen(unchecked_param_type = "StreamCallbacks")] callbacks: JsValue,
) -> Result<StreamClient, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let parent = window.parent().ok().flatten();
    let rec = JsRecord(&callbacks);
    let expected = parent.clone();
    let welcome = EventListener::new(&window, "message", move |ev| {
        let Some(ev) = ev.dyn_ref::<MessageEvent>() else {
            return;
        };
        let from_parent = match (ev.source(), &expected) {
            (Some(src), Some(p)) => JsValue::from(src) == JsValue::from(p.clone()),
            _ => false,
        };
        if from_parent {
            if let Some(Msg::Welcome) = Msg::decode(&JsRecord(&ev.data()), From::Host) {
                on_welcome(ev);
            }
        }
    });
    let resize = Closure::<dyn FnMut()>::new(report_height);
    let ro = ResizeObserver::new(resize.as_ref().unchecked_ref())?;
    if let Some(el) = window.document().and_then(|d| d.document_element()) {
        ro.observe(&el);
    }
    state::replace(State {
        window: window.clone(),
        callbacks: Callbacks {
            on_config: callback(&rec, "onConfig"),
            on_login: callback(&rec, "onLogin"),
            on_logout: callback(&rec, "onLogout"),
            on_comment_id: callback(&rec, "onCommentID"),
        },
        _welcome: welcome,
        port: None,
        outbox: Vec::new(),
        in_task: false,
        pending: Vec::new(),
        config: None,
        token: None,
        rejected: None,
        last_height: -1.0,
        resize: Some((ro, resize)),
    });
    // The hello carries no secret: it is the only wildcard-target message.
    if let Some(p) = parent.filter(|p| JsValue::from(p.clone()) != JsValue::from(window.clone())) {
        p.post_message(&encode(&Msg::<JsValue>::Hello), "*")?;
    }
    Ok(StreamClient { _private: () })
}

/// `authError`'s payload.
#[derive(Serialize)]
struct AuthError<'a> {
    code: &'a str,
}

/// Handle returned by [`connect`].
#[wasm_bindgen]
pub struct StreamClient {
    _private: (),
}

#[wasm_bindgen]
impl StreamClient {
    /// The current SSO token, if any.
    #[wasm_bindgen(getter)]
    pub fn token(&self) -> Option<String> {
        with(|s| s.token.as_ref().and_then(JsValue::as_string)).flatten()
    }

    /// Whether a token is present.
    #[wasm_bindgen(getter, js_name = loggedIn)]
    pub fn logged_in(&self) -> bool {
        with(|s| s.token.is_some()).unwrap_or(false)
    }

    /// The settings the host sent (without the token), once connected.
    #[wasm_bindgen(getter, unchecked_return_type = "StreamConfig | undefined")]
    pub fn config(&self) -> JsValue {
        with(|s| s.config.as_ref().map(page_config))
            .flatten()
            .unwrap_or(JsValue::UNDEFINED)
    }

    /// The token's claims, decoded but NOT verified (display only).
    pub fn claims(&self) -> JsValue {
        with(|s| s.token.as_ref().and_then(JsValue::as_string))
            .flatten()
            .and_then(|t| payload_json(&t))
            .and_then(|j| js_sys::JSON::parse(&j).ok())
            .unwrap_or(JsValue::UNDEFINED)
    }

    /// The current token, verified by the stream server: resolves to the
    /// session, or rejects with an `Error` carrying `code` (see
    /// `SessionError`). The answer is for the token current at the call.
    #[wasm_bindgen(js_name = verifySession, unchecked_return_type = "Promise<Session>")]
    pub fn verify_session(&self) -> js_sys::Promise {
        let token = self.token();
        wasm_bindgen_futures::future_to_promise(async move {
            let session = session::verify(token).await?;
            serde_wasm_bindgen::to_value(&session).map_err(JsValue::from)
        })
    }

    /// Forwards the event `name` (e.g. `loginPrompt`) to the publisher.
    pub fn emit(&self, name: String, data: JsValue) {
        let data = (!data.is_undefined() && !data.is_null()).then_some(data);
        send(Msg::Event { name, data });
    }

    /// Tells the host the stream has rendered; the iframe becomes visible.
    pub fn ready(&self) {
        send(Msg::Ready);
        report_height();
    }

    /// The reader opened a comment permalink (or closed it, with `null`):
    /// the host records it in the page URL with `history.pushState`.
    #[wasm_bindgen(js_name = setCommentID)]
    pub fn set_comment_id(&self, comment_id: Option<String>) {
        with(|s| {
            if let Some(c) = s.config.as_mut() {
                c.comment_id = comment_id.clone();
            }
        });
        send(Msg::Permalink { comment_id });
    }

    /// The reader signed out inside the stream.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self) {
        set_token(None);
    }

    /// The server rejected the current token with `code`: clear it, tell the
    /// publisher (`authError {code}`, plus `tokenExpired` for
    /// `TOKEN_EXPIRED`) and ask for a fresh token if the publisher can give
    /// one.
    #[wasm_bindgen(js_name = rejectToken)]
    pub fn reject_token(&self, code: String) {
        let can_refresh = with(|s| {
            s.rejected = s.token.clone();
            s.config.as_ref().is_some_and(|c| c.can_refresh)
        })
        .unwrap_or(false);
        let data = serde_wasm_bindgen::to_value(&AuthError { code: &code })
            .unwrap_or_else(|_| Object::new().into());
        send(Msg::Event {
            name: "authError".into(),
            data: Some(data),
        });
        if code == TOKEN_EXPIRED {
            send(Msg::Event {
                name: "tokenExpired".into(),
                data: None,
            });
        }
        set_token(None);
        if can_refresh {
            send(Msg::GetRefreshAccessToken);
        }
    }
}
