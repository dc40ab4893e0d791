//! The host end of the bridge: the iframe, the handshake listener and the
//! private `MessageChannel` port. [`Mount`] owns all of them; dropping it
//! removes the iframe and every listener (the gloo-net pattern).

use alloc::string::String;

use crate::listener::Listener as EventListener;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlIFrameElement, MessageEvent, MessagePort, Window};

use crate::callback::Handler;
use crate::js::{as_string, encode, name, JsRecord};
use crate::protocol::{From, Msg};
use crate::timer::Timer;

/// Handlers a [`Mount`] registers, each called with its embed id and the
/// event.
#[derive(Clone, Copy)]
pub struct Hooks {
    /// A `message` on the page's window (check it with [`is_hello`]).
    pub window_message: Handler,
    /// The iframe fired `load` (its document, or an error page, loaded).
    pub load: Handler,
    /// The page's history moved (back/forward): `popstate`.
    pub popstate: Handler,
}

/// The private channel to one stream, set up by the handshake.
pub struct Channel {
    port: MessagePort,
    _listener: EventListener,
}

impl Channel {
    /// Sends an encoded message to the stream.
    pub fn post(&self, msg: &JsValue) {
        // A closed port drops messages silently; nothing can throw here
        // for plain objects of strings, numbers and booleans.
        let _ = crate::global::post(&self.port, msg);
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.port.close();
    }
}

/// A rendered stream: the iframe plus its listeners and channel.
pub struct Mount {
    /// The stream iframe.
    pub iframe: HtmlIFrameElement,
    /// The stream's origin (pinned: the origin of `rootURL`).
    pub origin: String,
    /// Set once the handshake succeeded; replaced on reconnect.
    pub channel: Option<Channel>,
    /// Reports an unreachable stream if no hello follows the iframe's load.
    pub watchdog: Option<Timer>,
    _hello: EventListener,
    _load: EventListener,
    _popstate: EventListener,
}

impl Drop for Mount {
    fn drop(&mut self) {
        self.iframe.remove();
    }
}

impl Mount {
    /// Listens for embed `id`'s hello (and its iframe's `load`, and the
    /// page's `popstate`).
    pub fn new(
        id: u32,
        window: &Window,
        iframe: HtmlIFrameElement,
        origin: String,
        hooks: Hooks,
    ) -> Self {
        Mount {
            _hello: EventListener::new(window, "message", hooks.window_message, id),
            _load: EventListener::new(&iframe, "load", hooks.load, id),
            _popstate: EventListener::new(window, "popstate", hooks.popstate, id),
            iframe,
            origin,
            channel: None,
            watchdog: None,
        }
    }

    /// What [`is_hello`] checks a window `message` against: this iframe
    /// and the pinned origin.
    pub fn expected(&self) -> (HtmlIFrameElement, String) {
        (self.iframe.clone(), self.origin.clone())
    }

    /// Answers a hello: opens a fresh channel (closing any previous one),
    /// hands one port to the stream window at the pinned origin, and returns
    /// `false` if the window is gone. `on_port(id, event)` receives what
    /// the stream posts (see [`each_message`]).
    pub fn connect(&mut self, id: u32, on_port: Handler) -> bool {
        let Some(win) = self.iframe.content_window() else {
            return false;
        };
        let ch = crate::global::Chan::new();
        let port = ch.port1();
        let listener = EventListener::new(&port, "message", on_port, id);
        port.start();
        let transfer = Array::of1(&ch.port2());
        if win
            .post_message_with_transfer(&encode(&Msg::Welcome), &self.origin, &transfer)
            .is_err()
        {
            return false;
        }
        self.channel = Some(Channel {
            port,
            _listener: listener,
        });
        self.watchdog = None;
        true
    }
}

/// Whether `ev` (a `message` on the page's window) is the hello of the
/// stream in `iframe`: its `event.source` is the iframe's window **and** its
/// `event.origin` is the pinned `origin`. Everything else is ignored.
///
/// The event's fields are read with `Reflect.get`, which reports a throwing
/// getter (a page-made event subclass) as an error instead of letting it
/// unwind through the wasm.
pub fn is_hello(ev: &JsValue, iframe: &HtmlIFrameElement, origin: &str) -> bool {
    let field = |k: &str| js_sys::Reflect::get(ev, &name(k)).unwrap_or(JsValue::UNDEFINED);
    if as_string(&field("origin")).as_deref() != Some(origin) {
        return false;
    }
    let Some(win) = iframe.content_window() else {
        return false;
    };
    field("source") == JsValue::from(win)
        && matches!(
            Msg::decode(&JsRecord(&field("data")), From::Stream),
            Some(Msg::Hello)
        )
}

/// Calls `f` with each valid message of a port `message` event: one
/// message, or a batch of them (an array, in order). Only the stream, which
/// holds the other end, posts on the port.
pub fn each_message(ev: &JsValue, mut f: impl FnMut(Msg<JsValue>)) {
    let data = ev.unchecked_ref::<MessageEvent>().data();
    if let Some(msg) = Msg::decode(&JsRecord(&data), From::Stream) {
        f(msg);
    } else if let Some(batch) = data.dyn_ref::<Array>() {
        for m in batch.iter() {
            if let Some(msg) = Msg::decode(&JsRecord(&m), From::Stream) {
                f(msg);
            }
        }
    }
}

/// The iframe's `style` (bound without exception plumbing: setting or
/// removing a property on it cannot throw).
pub fn style(iframe: &HtmlIFrameElement) -> crate::global::Style {
    iframe.unchecked_ref::<crate::global::Target>().style_of()
}

/// Sets the iframe's height in CSS px.
pub fn set_height(iframe: &HtmlIFrameElement, px: f64) {
    // `f64::ceil` is std-only; px is within 0..=MAX_HEIGHT.
    let whole = px as u32 as f64;
    let px = if whole < px { whole + 1.0 } else { whole };
    let mut v = crate::options::integer_string(px as i64);
    v.push_str("px");
    style(iframe).set("height", &v);
}
