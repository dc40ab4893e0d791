//! The channel to each stream: the handshake (hello from the iframe's
//! window at the pinned origin, welcome with a private port to exactly that
//! origin), reconnection, the messages the stream may send, and the
//! unreachable-stream watchdog. Every inbound message is decoded and
//! validated here ([`Msg::from_stream`]: stream → host kinds only) before
//! anything acts on it.

use alloc::string::String;

use crate::options::integer_string;
use crate::protocol::{Msg, Record, RecordMut};

use super::effect::{object, Arg, Effects, Listen, Query};
use super::input::{Answer, Page, Rec, Ref};
use super::page;
use super::state::{Core, TimerKind};
use super::{Answers, Stop};

/// The stream's comment count event.
const COUNT: &str = "count.comments";

/// A `count.comments` event's `{number, text, storyID, storyURL}` for the
/// page's badges of that story, by id and by URL: handed to the count
/// script's `CoralCount.setCount` in its own batch format, so the badges
/// change at once with the script's markup (Coral's
/// `withLiveCommentCount`). The script's global is read as `window`'s own
/// data property: a page element named `CoralCount` is not it.
fn live_counts(fx: &mut Effects, d: &Rec) {
    let Some(number) = d.get_num("number") else {
        return;
    };
    let text = d.get_str("text");
    let mut json = String::from("{\"counts\":[");
    let mut first = true;
    for (key, field) in [("id", "storyID"), ("url", "storyURL")] {
        let Some(story) = d.get_str(field).filter(|s| !s.is_empty()) else {
            continue;
        };
        if !core::mem::replace(&mut first, false) {
            json.push(',');
        }
        let mut o = super::effect::JsonObject::new(&mut json);
        o.set_str(key, &story);
        o.set_num("count", number);
        if let Some(t) = &text {
            o.set_str("text", t);
        }
        o.close();
    }
    json.push_str("]}");
    fx.global("CoralCount", "setCount", &json);
}

/// How long after the iframe's `load` a silent stream counts as
/// unreachable. Generous, so a slow connection is not reported as a
/// blocked stream.
pub const UNREACHABLE_MS: i64 = 10_000;

impl Core {
    /// A `message` on the page's window: embed `id`'s hello if it comes
    /// from its iframe's window (`id` is the embed whose iframe's window the
    /// executor found to be `event.source`) **and** from the pinned origin.
    pub fn on_window_message(
        &mut self,
        fx: &mut Effects,
        id: u32,
        origin: &str,
        data: Option<&Rec>,
    ) {
        let Some(e) = self.embed(id) else { return };
        let hello = matches!(data.and_then(Msg::<Ref>::from_stream), Some(Msg::Hello));
        if e.mounted && hello && origin == e.origin {
            self.connect(fx, id);
        }
    }

    /// Answers a hello: a fresh channel (closing any earlier one, so a
    /// reloaded stream reconnects), `welcome` to the pinned origin, then the
    /// current `config` with the current token.
    fn connect(&mut self, fx: &mut Effects, id: u32) {
        let Some(e) = self.embed_mut(id) else { return };
        fx.connect(id, &e.origin);
        e.connected = true;
        if core::mem::replace(&mut e.watchdog, false) {
            fx.timer(id, TimerKind::Watchdog as u8, -1);
        }
        let mut config = e.opts.stream_config();
        config.can_refresh = e.session.refresh != 0;
        fx.post(id, &Msg::Config(config), "accessToken", e.session.token);
    }

    /// One message the stream posted on embed `id`'s port (the executor
    /// reports each message of a batch as an input of its own). A
    /// permalink needs the page's address and a count its fields: they are
    /// asked for before anything changes.
    pub fn on_port_message(
        &mut self,
        fx: &mut Effects,
        id: u32,
        rec: &Rec,
        answers: &mut Answers,
    ) -> Result<(), Stop> {
        let Some(msg) = Msg::<Ref>::from_stream(rec) else {
            return Ok(());
        };
        let Some(e) = self.embed_mut(id) else {
            return Ok(());
        };
        match msg {
            Msg::Ready => {
                fx.style(id, "visibility", "");
                if !core::mem::replace(&mut e.ready_fired, true) {
                    self.emit(fx, id, "ready", &[], false);
                }
            }
            Msg::Event { name, .. } if name == "tokenExpired" => self.token_expired(fx, id),
            // Coral's deprecated network events only with
            // `enableDeprecatedEvents`, whatever the stream sends.
            Msg::Event { name, .. }
                if !e.opts.enable_deprecated_events
                    && ["mutation.", "fetch.", "subscription."]
                        .iter()
                        .any(|p| name.starts_with(p)) => {}
            Msg::Event { name, data } => {
                // The payload stays a JS value: the listeners get the
                // stream's own object.
                let data = rec.entry("data").filter(|_| data.is_some());
                if let (Some(d), COUNT) = (data, name.as_str()) {
                    if let Answer::Rec(r) = answers.ask(Query::Record(d.x))? {
                        live_counts(fx, &r);
                    }
                }
                match data {
                    Some(d) => self.emit(fx, id, &name, &[Arg::Input(d.x)], false),
                    None => self.emit(fx, id, &name, &[], false),
                };
            }
            Msg::Height { px } => {
                // `f64::ceil` is std-only; px is within 0..=MAX_HEIGHT.
                let whole = px as u32 as f64;
                let px = if whole < px { whole + 1.0 } else { whole };
                let mut v = integer_string(px as i64);
                v.push_str("px");
                fx.style(id, "height", &v);
            }
            Msg::GetRefreshAccessToken => self.request_refresh(fx, id),
            Msg::AuthState { logged_in } => {
                let data = if logged_in {
                    "{\"loggedIn\":true}"
                } else {
                    "{\"loggedIn\":false}"
                };
                self.emit(fx, id, "authState", &[Arg::Json(data)], false);
            }
            Msg::Permalink { comment_id } => {
                // The reader opened (or closed) a permalink: record it in
                // the page's URL.
                let page = answers.page()?;
                fx.push_url(&page::with_comment_id(&page, comment_id.as_deref()));
                if let Some(e) = self.embed_mut(id) {
                    e.opts.comment_id = comment_id;
                }
            }
            // Stream-bound decoding never yields host → stream kinds.
            _ => {}
        }
        Ok(())
    }

    /// Back/forward changed the page's URL: tell the stream its
    /// `commentID`.
    pub fn on_popstate(&mut self, fx: &mut Effects, id: u32, page: &Page) {
        let comment_id = page::query_param(page, "commentID");
        let Some(e) = self.embed_mut(id) else { return };
        if e.opts.comment_id != comment_id {
            e.opts.comment_id = comment_id.clone();
            self.send(fx, id, &Msg::CommentId { comment_id }, "", 0);
        }
    }

    /// The iframe loaded; if the stream does not say hello soon, it is
    /// unreachable (blocked by `frame-ancestors`, down, or no stream
    /// client).
    pub fn on_frame_load(&mut self, fx: &mut Effects, id: u32) {
        let Some(e) = self.embed_mut(id) else { return };
        if e.mounted && !e.connected && !e.error_reported {
            e.watchdog = true;
            fx.timer(id, TimerKind::Watchdog as u8, UNREACHABLE_MS);
        }
    }

    /// The watchdog fired: report the silent stream, once.
    pub fn on_watchdog(&mut self, fx: &mut Effects, id: u32) {
        let Some(e) = self.embed_mut(id) else { return };
        e.watchdog = false;
        if !e.mounted || e.connected || core::mem::replace(&mut e.error_reported, true) {
            return;
        }
        let mut m = String::from("Coral: the stream at ");
        m.push_str(&e.root);
        m.push_str(
            " did not answer. Is this page's origin in the stream server's allowed origins (CSP frame-ancestors), and does the page's CSP allow frame-src for it?",
        );
        fx.log(true, &m);
        let mut data = String::new();
        let mut o = super::effect::JsonObject::new(&mut data);
        o.set_str("code", "STREAM_UNREACHABLE");
        o.set_str("message", &m);
        o.close();
        self.emit(fx, id, "error", &[Arg::Json(&data)], false);
    }

    /// `showPermalink` for the `commentID` the embed started with.
    pub fn on_permalink_timer(&mut self, fx: &mut Effects, id: u32) {
        let Some(e) = self.embed_mut(id) else { return };
        e.soon = false;
        if let Some(c) = e.opts.comment_id.clone() {
            self.emit(
                fx,
                id,
                "showPermalink",
                &[Arg::Json(&object("commentID", &c))],
                false,
            );
        }
    }

    /// The embed's window and iframe listeners, on or off.
    pub fn listen_all(fx: &mut Effects, id: u32, on: bool) {
        for what in [Listen::WindowMessage, Listen::FrameLoad, Listen::PopState] {
            fx.listen(id, what, on);
        }
    }
}
