//! The one client of the page: its state, and sending to the host.

use std::cell::RefCell;

use gloo_events::EventListener;
use js_sys::Function;
use stream_embed::js::encode;
use stream_embed::protocol::{Config, Msg};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessagePort, ResizeObserver, Window};

/// The channel to the host: its port, closed on drop, and its listener.
pub(crate) struct Port {
    pub(crate) port: MessagePort,
    pub(crate) _listener: EventListener,
}

impl Drop for Port {
    fn drop(&mut self) {
        self.port.close();
    }
}

/// The page's callbacks (`connect`'s argument).
pub(crate) struct Callbacks {
    pub(crate) on_config: Option<Function>,
    pub(crate) on_login: Option<Function>,
    pub(crate) on_logout: Option<Function>,
    pub(crate) on_comment_id: Option<Function>,
}

pub(crate) struct State {
    pub(crate) window: Window,
    pub(crate) callbacks: Callbacks,
    pub(crate) _welcome: EventListener,
    pub(crate) port: Option<Port>,
    /// Messages sent before the channel existed, delivered on connection.
    pub(crate) outbox: Vec<Msg<JsValue>>,
    /// A message went out in this task; later ones wait in `pending`.
    pub(crate) in_task: bool,
    /// Encoded messages waiting for this task's flush (see [`send`]).
    pub(crate) pending: Vec<JsValue>,
    pub(crate) config: Option<Config>,
    /// The current token, as the JS string the host sent (not copied into
    /// wasm memory and back for `onLogin`).
    pub(crate) token: Option<JsValue>,
    /// The last token the server rejected: a refresh yielding it again is
    /// not applied, so a bad token cannot loop.
    pub(crate) rejected: Option<JsValue>,
    pub(crate) last_height: f64,
    pub(crate) resize: Option<(ResizeObserver, Closure<dyn FnMut()>)>,
}

impl Drop for State {
    fn drop(&mut self) {
        if let Some((ro, _)) = &self.resize {
            ro.disconnect();
        }
    }
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

/// Runs `f` on the client's state, if there is a client.
pub(crate) fn with<R>(f: impl FnOnce(&mut State) -> R) -> Option<R> {
    STATE.with(|s| s.borrow_mut().as_mut().map(f))
}

/// Installs `state` as the page's client; the previous one is dropped.
pub(crate) fn replace(state: State) {
    let old = STATE.with(|s| s.borrow_mut().replace(state));
    drop(old);
}

/// Sends `msg` to the host. The first message of a task goes out at once
/// (an acknowledgment is not held up by the page's callbacks); the rest of
/// that task's messages go out together at its end (one microtask later), as
/// one array (a batch, in order), so a burst of events costs two
/// `postMessage`s, not one per event.
pub(crate) fn send(msg: Msg<JsValue>) {
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
