//! An embed's life: creation (options, stream origin, container, the
//! `events` callback, then the initial token, the login callback, the
//! permalink and the render or lazy render), `render()` and `remove()`.
//! The login-callback flow is in `login_callback`, Talk v4's options in
//! `talk`.
//!
//! Each call first gathers what it needs, asking the executor where it must
//! ([`Stop::Ask`]: the input runs again with the answer), and changes state
//! only afterwards, so running an input again is harmless.

use alloc::{boxed::Box, string::String, vec::Vec};

use crate::error::{Code, Error};
use crate::options::{origin_of, parse};
use crate::protocol::Val;

use super::effect::{Arg, Effects, Query};
use super::emitter::removed;
use super::input::{Answer, Create};
use super::login_callback::{callback, claims};
use super::page;
use super::state::{Core, Embed, Pending, Session, TimerKind};
use super::talk::talk_options;
use super::{Answers, Stop};

/// The iframe's style: full width (the iOS Safari workaround), no border,
/// hidden and 0 px high until the stream says `ready`. Set through CSSOM,
/// which a strict publisher CSP (no `'unsafe-inline'` styles) allows.
const FRAME_CSS: &str =
    "display:block;width:1px;min-width:100%;height:0;border:0;overflow:hidden;visibility:hidden";

impl Core {
    /// `createStreamEmbed(config)` (or, with `element`, `Coral.Talk.render`):
    /// validates the options, finds the stream origin and the container,
    /// then registers the embed and calls `events`.
    pub fn create(
        &mut self,
        fx: &mut Effects,
        input: Create,
        answers: &mut Answers,
    ) -> Result<(), Stop> {
        let Create {
            options,
            base,
            element,
            page,
        } = input;
        let mut warnings = Vec::new();
        let (rec, container) = match (element, options) {
            (Some(Val::Other(r)), o) if r.element => {
                (talk_options(o.as_ref(), &page, &mut warnings), Some(r))
            }
            (Some(_), _) => return Err(Error::invalid_option("element", "a DOM element").into()),
            (None, Some(o)) => (o, None),
            (None, None) => return Err(Error::invalid_option("config", "an object").into()),
        };
        // Talk v4 renders at once unless `lazy`.
        let talk = container.is_some() && rec.entry("autoRender").is_none();
        let mut opts = Box::new(parse(&rec)?);
        let scroll = match opts.custom_scroll_container.take() {
            Some(r) if !r.element => {
                return Err(Error::invalid_option("customScrollContainer", "a DOM element").into())
            }
            r => r,
        };
        let root = match (opts.root_url.take(), base.as_deref().and_then(origin_of)) {
            // Scheme-relative (`//host`, as in Coral's docs): the page's
            // scheme.
            (Some(r), _) if r.starts_with("//") => {
                // `https:` of `https://host` (bytes: a `&str` pattern links
                // core's two-way searcher).
                let colon = page.origin.bytes().position(|b| b == b':');
                let scheme = colon.and_then(|i| page.origin.get(..=i));
                let mut abs = String::from(scheme.unwrap_or("https:"));
                abs.push_str(&r);
                abs
            }
            (Some(r), _) => r,
            (None, Some(origin)) => origin,
            (None, None) => {
                return Err(Error::invalid_option(
                    "rootURL",
                    "set when the embed script's URL is unknown",
                )
                .into())
            }
        };
        let container = match container {
            Some(r) => r,
            None => match answers.ask(Query::Find(opts.id.clone()))? {
                Answer::Val(Val::Other(r)) => r,
                _ => {
                    return Err(Error::new(
                        Code::ContainerNotFound,
                        &["no element with id `", &opts.id, "` for the stream."],
                    )
                    .into())
                }
            },
        };
        // Nothing can fail from here on.
        warnings.append(&mut opts.warnings);
        for w in warnings {
            fx.log(false, &w);
        }
        if opts.story_id.is_none() {
            opts.story_id = page::query_param(&page, "storyID");
        }
        if opts.story_url.is_none() {
            opts.story_url = Some(page::story_url(&page));
        }
        if opts.comment_id.is_none() {
            opts.comment_id = page::query_param(&page, "commentID");
        }
        // The page shows comment counts: add the count script once, as
        // Coral's embed does (it fills `.coral-count` elements).
        if page.counts && !core::mem::replace(&mut self.counts_injected, true) && !page.count_script
        {
            let mut src = root.clone();
            src.push_str("/assets/js/count.js");
            fx.script(&[("class", "coral-script"), ("src", &src)]);
        }
        let id = self.next_id;
        self.next_id = id.wrapping_add(1);
        let container = self.keep(fx, container);
        let scroll = match scroll {
            Some(r) => self.keep(fx, r),
            None => 0,
        };
        let refresh = match opts.refresh_access_token.take() {
            Some(r) => self.keep(fx, r),
            None => 0,
        };
        let events = opts.events.take().and(rec.entry("events")).map(|e| e.x);
        let origin = origin_of(&root).unwrap_or_default();
        self.embeds.push(Box::new(Embed {
            id,
            opts,
            root,
            origin,
            container,
            scroll,
            bus: Default::default(),
            session: Session {
                refresh,
                ..Session::default()
            },
            mounted: false,
            connected: false,
            lazy: false,
            ready_fired: false,
            error_reported: false,
            watchdog: false,
            soon: false,
            pending: Some(Pending { page, talk }),
        }));
        // The loader's handle learns its id first, so calls made from
        // `events` reach this embed.
        fx.bind(id);
        if let Some(x) = events {
            fx.call(
                id,
                Arg::Input(x),
                "Coral: the `events` callback threw:",
                "",
                false,
                &[Arg::Handle(id)],
            );
        }
        fx.cont(id);
        Ok(())
    }

    /// Finishes creating embed `id` once its `events` callback has run:
    /// the initial token, the login callback, the permalink, the render.
    pub fn finish(
        &mut self,
        fx: &mut Effects,
        id: u32,
        answers: &mut Answers,
        now: f64,
    ) -> Result<(), Stop> {
        let Some(e) = self.embed(id) else {
            return Ok(());
        };
        let Some(pending) = &e.pending else {
            return Ok(());
        };
        // Gather: nothing changes before the last answer.
        let initial = match &e.opts.access_token {
            Some(t) => {
                let t = claims(answers, t)?;
                let checked = super::session::validate(&t, None, now);
                Some((t, checked))
            }
            None => None,
        };
        let callback = if e.opts.handle_login_callback {
            match callback(&pending.page, answers, now) {
                Err(Stop::Ask(q)) => return Err(Stop::Ask(q)),
                Err(Stop::Throw(err)) => Err(err),
                Ok(c) => Ok(c),
            }
        } else {
            Ok(None)
        };
        // Commit.
        let Some(e) = self.embed_mut(id) else {
            return Ok(());
        };
        let observer = e.pending.as_ref().is_some_and(|p| p.page.observer);
        let talk = e.pending.take().is_some_and(|p| p.talk);
        e.opts.access_token = None;
        let permalink = e.opts.comment_id.is_some();
        let eager = permalink || !observer;
        let (auto_render, container, scroll) = (e.opts.auto_render, e.container, e.scroll);
        match initial {
            // A stale or broken token in the options must not kill the
            // stream (Coral #4270): start signed out and tell the publisher.
            Some((t, Ok(exp))) => self.login(fx, id, &t, exp, now),
            Some((_, Err(err))) => {
                fx.log(false, &err.message);
                self.auth_error(fx, id, &err);
                if err.code == Code::TokenExpired {
                    self.request_refresh(fx, id);
                }
            }
            None => {}
        }
        match callback {
            Ok(Some((t, exp))) => self.login(fx, id, &t, exp, now),
            Ok(None) => {}
            Err(err) => {
                fx.log(false, &err.message);
                self.auth_error(fx, id, &err);
            }
        }
        if permalink {
            // Asynchronous, so listeners added after construction hear it.
            if let Some(e) = self.embed_mut(id) {
                e.soon = true;
            }
            fx.timer(id, TimerKind::Permalink as u8, 0);
        }
        if talk || (auto_render && eager) {
            self.render(fx, id, now).map_err(Stop::Throw)?;
        } else if auto_render {
            if let Some(e) = self.embed_mut(id) {
                e.lazy = true;
            }
            fx.observe(id, container, "100px", scroll);
        }
        Ok(())
    }

    /// `render()`: creates the iframe and starts listening for its hello
    /// (no-op if rendered).
    pub fn render(&mut self, fx: &mut Effects, id: u32, now: f64) -> Result<(), Error> {
        let e = self.embed_mut(id).ok_or_else(removed)?;
        if e.mounted {
            return Ok(());
        }
        if core::mem::replace(&mut e.lazy, false) {
            fx.observe(id, 0, "", 0);
        }
        // Mounted again after `remove()`: the token's timer runs again.
        if let (None, Some(due)) = (e.session.timer_at, e.session.due) {
            super::session::arm(fx, id, &mut e.session, due, now);
        }
        let mut query = String::new();
        let o = &e.opts;
        for (k, v) in [
            ("storyID", &o.story_id),
            ("storyURL", &o.story_url),
            ("storyMode", &o.story_mode),
            ("commentID", &o.comment_id),
        ] {
            if let Some(v) = v {
                page::push_pair(&mut query, k, v);
            }
        }
        let mut src = e.root.clone();
        src.push_str("/embed/stream?");
        src.push_str(&query);
        fx.frame(
            id,
            e.container,
            &[
                ("src", &src),
                ("title", "Comments"),
                ("referrerpolicy", "no-referrer"),
                ("scrolling", "no"),
            ],
            FRAME_CSS,
        );
        e.mounted = true;
        Core::listen_all(fx, id, true);
        Ok(())
    }

    /// `remove()`: unmounts embed `id` as Coral does. The iframe with its
    /// listeners and port, a pending lazy render and the embed's timers go;
    /// its options, listeners and token stay, so `render()` mounts it again
    /// (single-page apps). Throws `NOT_MOUNTED` if it is neither mounted
    /// nor scheduled.
    pub fn remove(&mut self, fx: &mut Effects, id: u32) -> Result<(), Error> {
        let Some(e) = self.embed_mut(id).filter(|e| e.mounted || e.lazy) else {
            return Err(Error::new(
                Code::NotMounted,
                &["this stream embed is not mounted."],
            ));
        };
        fx.unmount(id);
        e.mounted = false;
        e.connected = false;
        e.lazy = false;
        e.ready_fired = false;
        e.error_reported = false;
        e.watchdog = false;
        e.soon = false;
        e.session.timer_at = None;
        // A pending `next` does nothing now.
        e.session.request = e.session.request.wrapping_add(1);
        Ok(())
    }

    /// The page dropped embed `id`'s handle: forget it and everything it
    /// holds; later calls with its id throw `NOT_MOUNTED`.
    pub fn free(&mut self, fx: &mut Effects, id: u32) {
        let Some(pos) = self.embeds.iter().position(|e| e.id == id) else {
            return;
        };
        let e = self.embeds.swap_remove(pos);
        fx.unmount(id);
        // `e` is out of `self.embeds`: its slots can be let go of in place.
        for (_, f) in e.bus.each() {
            self.release(fx, *f);
        }
        for slot in [e.container, e.scroll, e.session.token, e.session.refresh] {
            self.release(fx, slot);
        }
    }

    /// The lazy render's observer fired.
    pub fn on_intersect(&mut self, fx: &mut Effects, id: u32, near: bool, now: f64) {
        if near && self.embed(id).is_some_and(|e| e.lazy) {
            let _ = self.render(fx, id, now);
        }
    }
}
