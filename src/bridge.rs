//! The host end of the bridge: the iframe, the handshake listener and the
//! private `MessageChannel` port. [`Mount`] owns all of them; dropping it
//! removes the iframe and every listener (the gloo-net pattern).

use alloc::string::String;

use crate::listener::Listener as EventListener;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlIFrameElement, MessageEvent, MessagePort, Window};

use crate::js::{encode, JsRecord};
use crate::protocol::{From, Msg};
use crate::timer::Timer;

/// Called with each valid message the stream sends over the channel.
pub type OnMessage = fn(u32, Msg<JsValue>);
/// Callbacks a [`Mount`] calls with its embed id.
#[derive(Clone, Copy)]
pub struct Hooks {
    /// The stream's window said hello (first load or reload).
    pub hello: fn(u32),
    /// The iframe fired `load` (its document, or an error page, loaded).
    pub load: fn(u32),
    /// The page's history moved (back/forward): `popstate`.
    pub popstate: fn(u32),
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
        let _ = self.port.post_message(msg);
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
    /// Creates the hello listener for embed `id` whose iframe is `iframe`.
    /// Only a hello whose `event.source` is this iframe's window **and**
    /// whose `event.origin` is `origin` counts; everything else is ignored.
    pub fn new(
        id: u32,
        window: &Window,
        iframe: HtmlIFrameElement,
        origin: String,
        hooks: Hooks,
    ) -> Self {
        let frame = iframe.clone();
        let expected = origin.clone();
        let hello = EventListener::new(window, "message", move |ev| {
            let ev = &ev;
            let Some(ev) = ev.dyn_ref::<MessageEvent>() else {
                return;
            };
            if ev.origin() != expected {
                return;
            }
            let (Some(source), Some(win)) = (ev.source(), frame.content_window()) else {
                return;
            };
            if JsValue::from(source) != JsValue::from(win) {
                return;
            }
            if let Some(Msg::Hello) = Msg::decode(&JsRecord(&ev.data()), From::Stream) {
                (hooks.hello)(id);
            }
        });
        let load = EventListener::new(&iframe, "load", move |_| (hooks.load)(id));
        let popstate = EventListener::new(window, "popstate", move |_| (hooks.popstate)(id));
        Mount {
            iframe,
            origin,
            channel: None,
            watchdog: None,
            _hello: hello,
            _load: load,
            _popstate: popstate,
        }
    }

    /// Answers a hello: opens a fresh channel (closing any previous one),
    /// hands one port to the stream window at the pinned origin, and returns
    /// `false` if the window is gone.
    pub fn connect(&mut self, id: u32, on_message: OnMessage) -> bool {
        let Some(win) = self.iframe.content_window() else {
            return false;
        };
        let ch = crate::global::Chan::new();
        let port = ch.port1();
        let listener = EventListener::new(&port, "message", move |ev| {
            // Only the stream (holding the other end) posts here:
            // MessageEvents.
            let ev = ev.unchecked_ref::<MessageEvent>();
            // One message, or a batch of them (an array, in order).
            let data = ev.data();
            if let Some(msg) = Msg::decode(&JsRecord(&data), From::Stream) {
                on_message(id, msg);
            } else if let Some(batch) = data.dyn_ref::<Array>() {
                for m in batch.iter() {
                    if let Some(msg) = Msg::decode(&JsRecord(&m), From::Stream) {
                        on_message(id, msg);
                    }
                }
            }
        });
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
