//! The stream client: the library the page inside the stream iframe loads.
//!
//! It answers the host's handshake (a secret-free `hello` to the parent,
//! then everything over the `MessageChannel` port the host hands back from
//! its pinned origin), keeps the current token, calls the page's
//! `onConfig` / `onLogin` / `onLogout` callbacks, forwards events to the
//! publisher and reports the page height with a `ResizeObserver`.
#![warn(missing_docs)]

use std::cell::RefCell;

use gloo_events::EventListener;
use js_sys::{Function, JsString, Object};
use stream_embed::js::{encode, JsRecord};
use stream_embed::protocol::{Config, From, Msg, Record, Val, MAX_TOKEN, NS, TYPE, VERSION};
use stream_embed::token::payload_json;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, MessagePort, ResizeObserver, Window};

/// Stable error code the stream reports when the server says the token expired.
const TOKEN_EXPIRED: &str = "TOKEN_EXPIRED";

struct Port {
    port: MessagePort,
    _listener: EventListener,
}

impl Drop for Port {
    fn drop(&mut self) {
        self.port.close();
    }
}

struct State {
    window: Window,
    on_config: Option<Function>,
    on_login: Option<Function>,
    on_logout: Option<Function>,
    on_comment_id: Option<Function>,
    _welcome: EventListener,
    port: Option<Port>,
    /// Messages sent before the channel existed, delivered on connection.
    outbox: Vec<Msg<JsValue>>,
    /// A message went out in this task; later ones wait in `pending`.
    in_task: bool,
    /// Encoded messages waiting for this task's flush (see [`send`]).
    pending: Vec<JsValue>,
    config: Option<Config>,
    /// The current token, as the JS string the host sent (not copied into
    /// wasm memory and back for `onLogin`).
    token: Option<JsValue>,
    /// The last token the server rejected: a refresh yielding it again is
    /// not applied, so a bad token cannot loop.
    rejected: Option<JsValue>,
    last_height: f64,
    _resize: Option<(ResizeObserver, Closure<dyn FnMut()>)>,
}

impl Drop for State {
    fn drop(&mut self) {
        if let Some((ro, _)) = &self._resize {
            ro.disconnect();
        }
    }
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

fn with<R>(f: impl FnOnce(&mut State) -> R) -> Option<R> {
    STATE.with(|s| s.borrow_mut().as_mut().map(f))
}

/// Sends `msg` to the host. The first message of a task goes out at once
/// (an acknowledgment is not held up by the page's callbacks); the rest of
/// that task's messages go out together at its end (one microtask later), as
/// one array (a batch, in order), so a burst of events costs two
/// `postMessage`s, not one per event.
fn send(msg: Msg<JsValue>) {
    with(|s| {
        let Some(p) = &s.port else {
            s.outbox.push(msg);
            return;
        };
        let m = encoded(&msg);
        if s.in_task {
            s.pending.push(m);
        } else {
            s.in_task = true;
            let _ = p.port.post_message(&m);
            FLUSH.with(|f| s.window.queue_microtask(f.as_ref().unchecked_ref()));
        }
    });
}

thread_local! {
    /// Runs [`flush`] from a microtask. One per page, not per client: a
    /// microtask queued by a client that `connect` has since replaced still
    /// finds it alive (and finds the new client's state).
    static FLUSH: Closure<dyn FnMut()> = Closure::new(flush);
}

/// End of a task that sent something: post what it queued after its first
/// message.
fn flush() {
    with(|s| {
        s.in_task = false;
        let pending = std::mem::take(&mut s.pending);
        let Some(p) = &s.port else { return };
        let _ = match <[JsValue; 1]>::try_from(pending) {
            Ok([one]) => p.port.post_message(&one),
            Err(many) if many.is_empty() => Ok(()),
            Err(many) => p
                .port
                .post_message(&many.into_iter().collect::<js_sys::Array>()),
        };
    });
}

thread_local! {
    /// The two `authState` messages, encoded once: posting copies them, and
    /// every login, logout and config is answered with one.
    static AUTH_STATE: [JsValue; 2] = [false, true].map(|logged_in| encode(&Msg::AuthState { logged_in }));
}

fn encoded(msg: &Msg<JsValue>) -> JsValue {
    match msg {
        Msg::AuthState { logged_in } => AUTH_STATE.with(|m| m[usize::from(*logged_in)].clone()),
        _ => encode(msg),
    }
}

fn call(f: Option<Function>, arg: &JsValue) {
    if let Some(f) = f {
        if let Err(e) = f.call1(&JsValue::UNDEFINED, arg) {
            web_sys::console::error_2(&"stream client: callback threw:".into(), &e);
        }
    }
}

fn config_object(c: &Config) -> JsValue {
    // Same field names as on the wire, without the token.
    let mut public = c.clone();
    public.access_token = None;
    let o = encode(&Msg::Config(public));
    for k in [stream_embed::protocol::NS, stream_embed::protocol::TYPE] {
        let _ = js_sys::Reflect::delete_property(o.unchecked_ref::<Object>(), &k.into());
    }
    o
}

/// Sets the token (a JS string) and tells the host, then the page.
fn set_token(token: Option<JsValue>) {
    let logged_in = token.is_some();
    let arg = token.clone().unwrap_or(JsValue::UNDEFINED);
    let Some((changed, cb)) = with(|s| {
        // `===`: strings compare by value.
        let changed = s.token != token;
        s.token = token;
        let cb = if logged_in { &s.on_login } else { &s.on_logout };
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
                s.on_config.clone()
            })
            .flatten();
            call(cb, &config_object(&c));
            set_token(token);
        }
        Msg::Login { token } => set_token(Some(JsValue::from_str(&token))),
        Msg::CommentId { comment_id } => {
            let cb = with(|s| {
                if let Some(c) = s.config.as_mut() {
                    c.comment_id = comment_id.clone();
                }
                s.on_comment_id.clone()
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

fn on_welcome(ev: &MessageEvent) {
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

fn report_height() {
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

fn callback(rec: &JsRecord, key: &str) -> Option<Function> {
    match rec.get(key) {
        Val::Func(f) => f.dyn_into().ok(),
        _ => None,
    }
}

/// Connects to the host page. `callbacks` may have `onConfig(config)`,
/// `onLogin(token)`, `onLogout()` and `onCommentID(id or null)` (the
/// reader moved through the page history to or from a permalink). Only one client exists per page; a
/// second `connect` replaces the first.
#[wasm_bindgen]
pub fn connect(callbacks: JsValue) -> Result<StreamClient, JsValue> {
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
    let state = State {
        window: window.clone(),
        on_config: callback(&rec, "onConfig"),
        on_login: callback(&rec, "onLogin"),
        on_logout: callback(&rec, "onLogout"),
        on_comment_id: callback(&rec, "onCommentID"),
        _welcome: welcome,
        port: None,
        outbox: Vec::new(),
        in_task: false,
        pending: Vec::new(),
        config: None,
        token: None,
        rejected: None,
        last_height: -1.0,
        _resize: Some((ro, resize)),
    };
    let old = STATE.with(|s| s.borrow_mut().replace(state));
    drop(old);
    // The hello carries no secret: it is the only wildcard-target message.
    if let Some(p) = parent.filter(|p| JsValue::from(p.clone()) != JsValue::from(window.clone())) {
        p.post_message(&encode(&Msg::<JsValue>::Hello), "*")?;
    }
    Ok(StreamClient { _private: () })
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
    #[wasm_bindgen(getter)]
    pub fn config(&self) -> JsValue {
        with(|s| s.config.as_ref().map(config_object))
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
        let data = Object::new();
        let _ = js_sys::Reflect::set(&data, &"code".into(), &JsValue::from_str(&code));
        send(Msg::Event {
            name: "authError".into(),
            data: Some(data.into()),
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
