//! `Coral.createStreamEmbed` and the `StreamEmbed` / event-emitter facades.
//!
//! Embed state lives in a registry keyed by a never-reused id; the JS
//! objects only hold that id, so a publisher dropping its `embed` variable
//! does not tear the stream down, and a stale handle can never reach a newer
//! embed. Publisher callbacks always run with no registry borrow held, so
//! they may call back into the SDK (`login`, `remove`, `on`, …).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};

use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlIFrameElement};

use crate::bridge::{set_height, Hooks, Mount};
use crate::callback::Callback;
use crate::error::{Code, Error};
use crate::events::Bus;
use crate::js::{encode, object, to_js_error, with_token, JsRecord};
use crate::options::{origin_of, parse, Options};
use crate::protocol::Msg;
use crate::session::{
    auth_error, check_token, request_refresh, set_token, token_expired, validate,
};
use crate::timer::Timer;
use crate::{lazy, page};

/// One embed's state.
pub(crate) struct Embed {
    pub(crate) id: u32,
    pub(crate) opts: Options<JsValue>,
    /// Stream root URL, no trailing slash.
    pub(crate) root: String,
    /// Stream origin, pinned.
    pub(crate) origin: String,
    pub(crate) container: Element,
    pub(crate) bus: Bus<Function>,
    /// The token the stream should have (reflects queued login/logout).
    pub(crate) token: Option<js_sys::JsString>,
    /// `tokenExpired` was already emitted for the current token.
    pub(crate) expired_reported: bool,
    /// `refreshAccessToken` was already asked for the current token.
    pub(crate) refresh_asked: bool,
    /// When the current token needs the refresh (or the sign-out), unix
    /// seconds.
    pub(crate) due: Option<f64>,
    /// Fires at `timer_at` (not after `due`); re-arms itself if early.
    pub(crate) timer: Option<Timer>,
    /// When `timer` fires, unix seconds.
    pub(crate) timer_at: f64,
    pub(crate) mount: Option<Mount>,
    pub(crate) ready_fired: bool,
    /// `next` for the pending `refreshAccessToken` call. Dropping it (on
    /// `remove()`, or when a newer `next` replaces it) makes it a no-op.
    pub(crate) refresh_next: Option<Callback>,
    /// `refresh_next` was called.
    pub(crate) refresh_used: bool,
    /// Pending lazy render (`autoRender`), cancelled by `remove()`.
    pub(crate) lazy: Option<lazy::Lazy>,
    /// The deferred `showPermalink` event.
    pub(crate) soon: Option<Timer>,
    /// `error` (stream unreachable) was reported for this embed.
    pub(crate) error_reported: bool,
}

/// How long after the iframe's `load` a silent stream counts as unreachable.
/// Generous, so a slow connection is not reported as a blocked stream.
const UNREACHABLE_MS: f64 = 10_000.0;

const HOOKS: Hooks = Hooks {
    window_message: on_window_message,
    load: on_load,
    popstate: on_popstate,
};

/// A global for the single-threaded wasm host (no `thread_local!` in
/// `no_std`). Only ever touched from the browser's main thread.
pub(crate) struct Global<T>(pub(crate) T);
// SAFETY: wasm32-unknown-unknown without atomics has exactly one thread.
unsafe impl<T> Sync for Global<T> {}

/// Boxed: moving a pointer is less code than moving an `Embed` (84 B gz).
#[allow(clippy::vec_box)]
static EMBEDS: Global<RefCell<Vec<Box<Embed>>>> = Global(RefCell::new(Vec::new()));
static NEXT_ID: Global<Cell<u32>> = Global(Cell::new(1));

/// Runs `f` on embed `id` if it exists. Never call publisher code inside `f`;
/// a re-entrant borrow (impossible by construction) reads as "no embed"
/// rather than panicking.
pub(crate) fn with<R>(id: u32, f: impl FnOnce(&mut Embed) -> R) -> Option<R> {
    let mut all = EMBEDS.0.try_borrow_mut().ok()?;
    lookup(&mut all, id).map(f)
}

/// The embed with id `id`. Not inlined: `with` is instantiated for every
/// closure, and the search is the same each time.
#[inline(never)]
fn lookup(all: &mut [Box<Embed>], id: u32) -> Option<&mut Embed> {
    all.iter_mut().find(|e| e.id == id).map(|b| &mut **b)
}

fn not_mounted() -> JsValue {
    to_js_error(Error::new(
        Code::NotMounted,
        &["this stream embed was removed."],
    ))
}

pub(crate) fn warn(msg: &str) {
    web_sys::console::warn_1(&JsValue::from_str(msg));
}

/// Emits `name` with `data` (none if `undefined`) to embed `id`'s
/// listeners (see [`crate::emitter::emit_args`]).
pub(crate) fn emit(id: u32, name: &str, data: &JsValue) {
    let args = js_sys::Array::of1(&JsValue::from_str(name));
    if !data.is_undefined() {
        args.push(data);
    }
    crate::emitter::emit_args(id, name, &args, false);
}

/// A `message` on the page's window: connect if it is this stream's hello.
fn on_window_message(id: u32, ev: JsValue) {
    // Checked outside the registry borrow: reading `ev.data` of a page-made
    // event may run page code.
    let expected = with(id, |e| e.mount.as_ref().map(Mount::expected)).flatten();
    if let Some((iframe, origin)) = expected {
        if crate::bridge::is_hello(&ev, &iframe, &origin) {
            on_hello(id);
        }
    }
}

/// What the stream posts on the port.
fn on_port(id: u32, ev: JsValue) {
    crate::bridge::each_message(&ev, |msg| on_message(id, msg));
}

/// The stream window said hello: connect and send the current config.
fn on_hello(id: u32) {
    with(id, |e| {
        let config = Msg::Config(e.opts.stream_config());
        let config = match &e.token {
            Some(t) => with_token(&config, "accessToken", t),
            None => encode(&config),
        };
        if let Some(m) = e.mount.as_mut() {
            if m.connect(id, on_port) {
                if let Some(ch) = &m.channel {
                    ch.post(&config);
                }
            }
        }
    });
}

/// The iframe loaded; if the stream does not say hello soon, it is
/// unreachable (blocked by `frame-ancestors`, down, or no stream client).
fn on_load(id: u32, _: JsValue) {
    with(id, |e| {
        if let Some(m) = e.mount.as_mut().filter(|m| m.channel.is_none()) {
            if !e.error_reported {
                m.watchdog = Some(Timer::new(UNREACHABLE_MS, unreachable, id));
            }
        }
    });
}

fn unreachable(id: u32, _: JsValue) {
    let root = with(id, |e| {
        let silent = e.mount.as_ref().is_some_and(|m| m.channel.is_none());
        (silent && !core::mem::replace(&mut e.error_reported, true)).then(|| e.root.clone())
    })
    .flatten();
    let Some(root) = root else { return };
    let mut m = String::from("Coral: the stream at ");
    m.push_str(&root);
    m.push_str(
        " did not answer. Is this page's origin in the stream server's allowed origins (CSP frame-ancestors), and does the page's CSP allow frame-src for it?",
    );
    web_sys::console::error_1(&JsValue::from_str(&m));
    let data = object(&[
        ("code", &"STREAM_UNREACHABLE".into()),
        ("message", &JsValue::from_str(&m)),
    ]);
    emit(id, "error", &data);
}

/// Back/forward changed the page URL: tell the stream its `commentID`.
fn on_popstate(id: u32, _: JsValue) {
    let search = crate::global::location().search();
    let comment_id = page::query_param(&search, "commentID");
    let changed = with(id, |e| {
        let changed = e.opts.comment_id != comment_id;
        e.opts.comment_id = comment_id.clone();
        changed
    });
    if changed == Some(true) {
        send(id, Msg::CommentId { comment_id });
    }
}

/// The stream opened (or closed) a permalink: record it in the page URL.
fn push_comment_id(id: u32, comment_id: Option<String>) {
    with(id, |e| e.opts.comment_id = comment_id.clone());
    page::push_comment_id(comment_id.as_deref());
}

/// A validated message from the stream.
fn on_message(id: u32, msg: Msg<JsValue>) {
    match msg {
        Msg::Ready => {
            let first = with(id, |e| {
                if let Some(m) = &e.mount {
                    crate::bridge::style(&m.iframe).remove("visibility");
                }
                !core::mem::replace(&mut e.ready_fired, true)
            });
            if first == Some(true) {
                emit(id, "ready", &JsValue::UNDEFINED);
            }
        }
        Msg::Event { name, .. } if name == "tokenExpired" => token_expired(id),
        // Coral's deprecated network events only with `enableDeprecatedEvents`.
        Msg::Event { name, .. }
            if ["mutation.", "fetch.", "subscription."]
                .iter()
                .any(|p| name.starts_with(p))
                && with(id, |e| e.opts.enable_deprecated_events) != Some(true) => {}
        Msg::Event { name, data } => {
            let data = data.unwrap_or(JsValue::UNDEFINED);
            if name == "count.comments" {
                crate::counts::live(&data);
            }
            emit(id, &name, &data)
        }
        Msg::Height { px } => {
            with(id, |e| {
                if let Some(m) = &e.mount {
                    set_height(&m.iframe, px);
                }
            });
        }
        Msg::GetRefreshAccessToken => request_refresh(id),
        Msg::AuthState { logged_in } => {
            emit(id, "authState", &logged_in_object(logged_in));
        }
        Msg::Permalink { comment_id } => push_comment_id(id, comment_id),
        // Host-bound decoding never yields host → stream kinds.
        _ => {}
    }
}

fn logged_in_object(logged_in: bool) -> JsValue {
    object(&[("loggedIn", &logged_in.into())])
}

/// Posts an encoded message to embed `id`'s stream if connected (see
/// [`send`]).
pub(crate) fn post(id: u32, msg: &JsValue) {
    with(id, |e| {
        if let Some(ch) = e.mount.as_ref().and_then(|m| m.channel.as_ref()) {
            ch.post(msg);
        }
    });
}

/// Sends `msg` to embed `id`'s stream if connected; otherwise it is
/// delivered by the `config` sent on connection (state-based queueing).
pub(crate) fn send(id: u32, msg: Msg<JsValue>) {
    post(id, &encode(&msg));
}

/// What the exports return: nothing in the shipped (`tiny`) build, whose
/// loader holds the handle (see [`call`]); a [`StreamEmbed`] class instance
/// in test builds.
#[cfg(feature = "tiny")]
pub type Handle = ();
/// What the exports return (see the `tiny` definition).
#[cfg(not(feature = "tiny"))]
pub type Handle = StreamEmbed;

#[cfg(feature = "tiny")]
pub(crate) fn handle(_: StreamEmbed) -> Handle {}

#[cfg(not(feature = "tiny"))]
pub(crate) fn handle(e: StreamEmbed) -> Handle {
    e
}

/// The emitter handed to `events` when the loader gave no `bind`.
#[cfg(not(feature = "tiny"))]
fn emitter(id: u32) -> JsValue {
    StreamEmbed { id }.into()
}

#[cfg(feature = "tiny")]
fn emitter(_: u32) -> JsValue {
    JsValue::UNDEFINED
}

/// Creates an embed. Exported to JS as `createStreamEmbed(config)` by the
/// loader, which passes the URL of the embed script as `script_url`, and
/// `bind`: the SDK calls `bind(id)` with the new embed's id and gets back the
/// loader's handle, which it hands to the `events` callback as the emitter;
/// the handle's methods reach the embed through [`call`].
#[wasm_bindgen(js_name = createStreamEmbed)]
pub fn create_stream_embed(
    config: JsValue,
    script_url: Option<String>,
    bind: Option<Function>,
) -> Result<Handle, JsValue> {
    create(config, script_url, None, bind)
        .map(handle)
        .map_err(to_js_error)
}

/// `call`'s method number for `Coral.createLoginNonce()` (no embed).
#[cfg(feature = "tiny")]
const LOGIN_NONCE: u32 = 99;

/// The methods of an embed handle, by number (the loader's `METHODS` order).
#[cfg(feature = "tiny")]
#[wasm_bindgen]
pub fn call(id: u32, method: u32, args: js_sys::Array) -> Result<JsValue, JsValue> {
    let e = StreamEmbed { id };
    let done = JsValue::UNDEFINED;
    if let Some(r) = crate::emitter::call(id, method, &args) {
        // An embed that no longer exists (freed) answers `NOT_MOUNTED`.
        with(id, |_| ()).ok_or_else(not_mounted)?;
        return r.map_err(to_js_error);
    }
    Ok(match method {
        LOGIN_NONCE => crate::nonce::create().map_err(to_js_error)?,
        FREE => {
            free(id);
            done
        }
        0 => e.render().map(|_| done)?,
        1 => e.remove().map(|_| done)?,
        2 => e.login(args.get(0)).map(|_| done)?,
        3 => e.logout().map(|_| done)?,
        9 => e.handle_login_callback()?.into(),
        _ => e.rendered().into(),
    })
}

/// `call`'s method number that frees an embed (the loader's
/// `FinalizationRegistry` calls it once the page holds no handle to it).
#[cfg(feature = "tiny")]
const FREE: u32 = 98;

pub(crate) fn create(
    config: JsValue,
    script_url: Option<String>,
    element: Option<Element>,
    bind: Option<Function>,
) -> Result<StreamEmbed, Error> {
    if !config.is_object() {
        return Err(Error::invalid_option("config", "an object"));
    }
    let mut opts = parse(&JsRecord(&config))?;
    for w in opts.warnings.drain(..) {
        warn(&w);
    }
    let root = match (&opts.root_url, script_url.as_deref().and_then(origin_of)) {
        // Scheme-relative (`//host`, as in Coral's docs): the page's scheme.
        (Some(r), _) if r.starts_with("//") => {
            let mut abs = crate::global::location().protocol();
            abs.push_str(r);
            abs
        }
        (Some(r), _) => r.clone(),
        (None, Some(origin)) => origin,
        (None, None) => {
            return Err(Error::invalid_option(
                "rootURL",
                "set when the embed script's URL is unknown",
            ))
        }
    };
    let origin = origin_of(&root).unwrap_or_default();
    let container = element
        .or_else(|| crate::global::element_by_id(&opts.id))
        .ok_or_else(|| {
            Error::new(
                Code::ContainerNotFound,
                &["no element with id `", &opts.id, "` for the stream."],
            )
        })?;
    let search = crate::global::location().search();
    if opts.story_url.is_none() {
        opts.story_url = page::story_url(&search);
    }
    if opts.comment_id.is_none() {
        opts.comment_id = page::query_param(&search, "commentID");
    }
    if opts.story_id.is_none() {
        opts.story_id = page::query_param(&search, "storyID");
    }
    if let Some(c) = &opts.custom_scroll_container {
        if !c.is_instance_of::<Element>() {
            return Err(Error::invalid_option(
                "customScrollContainer",
                "a DOM element",
            ));
        }
    }
    crate::counts::inject(&root);

    let id = NEXT_ID.0.get();
    NEXT_ID.0.set(id.wrapping_add(1));
    let events = opts.events.take();
    let auto_render = opts.auto_render;
    let callback = opts.handle_login_callback;
    let permalink = opts.comment_id.is_some();
    let observer_missing = !lazy::supported();
    // A stale or broken token in the options must not kill the stream
    // (Coral #4270): start signed out and tell the publisher instead.
    let initial = opts.access_token.take().map(|t| {
        let t = js_sys::JsString::from(t.as_str());
        let checked = validate(&t, None);
        (t, checked)
    });
    if let Some((_, Err(err))) = &initial {
        warn(&err.message);
    }
    // Never borrowed here: publisher code never runs under a borrow.
    if let Ok(mut all) = EMBEDS.0.try_borrow_mut() {
        all.push(Box::new(Embed {
            id,
            opts,
            root,
            origin,
            container,
            bus: Bus::default(),
            token: None,
            expired_reported: false,
            refresh_asked: false,
            due: None,
            timer: None,
            timer_at: 0.0,
            mount: None,
            ready_fired: false,
            refresh_next: None,
            refresh_used: false,
            lazy: None,
            soon: None,
            error_reported: false,
        }));
    }
    let embed = StreamEmbed { id };
    // The loader's handle learns its id first, so calls made from `events`
    // reach this embed.
    let emitter = match bind {
        Some(bind) => bind
            .call1(&JsValue::UNDEFINED, &id.into())
            .unwrap_or_default(),
        None => emitter(id),
    };
    if let Some(f) = events.and_then(|f| f.dyn_into::<Function>().ok()) {
        if let Err(err) = f.call1(&JsValue::UNDEFINED, &emitter) {
            web_sys::console::error_2(&"Coral: the `events` callback threw:".into(), &err);
        }
    }
    match initial {
        Some((t, Ok(exp))) => {
            with(id, |e| set_token(e, Some(t), exp));
        }
        Some((_, Err(err))) => {
            auth_error(id, &err);
            if err.code == Code::TokenExpired {
                request_refresh(id);
            }
        }
        None => {}
    }
    if callback {
        if let Err(err) = login_callback(id) {
            warn(&err.message);
            auth_error(id, &err);
        }
    }
    if permalink {
        // Asynchronous, so listeners added after construction still hear it.
        let soon = Timer::new(0.0, show_permalink, id);
        with(id, |e| e.soon = Some(soon));
    }
    if auto_render {
        // Lazily, unless a permalink is asked for or the browser lacks
        // IntersectionObserver.
        let lazy = with(id, |e| {
            if e.opts.comment_id.is_some() || observer_missing {
                None
            } else {
                let root = e.opts.custom_scroll_container.as_ref();
                Some(lazy::observe(id, &e.container, root, on_entries))
            }
        })
        .flatten();
        match lazy {
            Some(l) => {
                with(id, |e| e.lazy = Some(l));
            }
            _ => render(id).map_err(|_| Error::new(Code::NotMounted, &["render failed."]))?,
        }
    }
    Ok(embed)
}

/// Checks `token` and makes it embed `id`'s token (see `login`).
fn login(id: u32, token: &JsValue, callback: crate::session::NonceCheck) -> Result<(), Error> {
    let (token, exp) = check_token(token, callback)?;
    // The publisher's own string goes on the wire (no copy into wasm).
    let msg = with_token(
        &Msg::Login {
            token: String::new(),
        },
        "token",
        &token,
    );
    with(id, |e| set_token(e, Some(token), exp));
    post(id, &msg);
    Ok(())
}

/// A login-callback token from the address bar, if it answers the login
/// this reader started (its nonce), signs embed `id` in.
fn login_callback(id: u32) -> Result<bool, Error> {
    let Some(token) = page::take_callback_token()? else {
        return Ok(false);
    };
    let pending = crate::nonce::take();
    login(id, &token.into(), Some(pending.as_deref())).map(|_| true)
}

/// `showPermalink` for the `commentID` the embed started with.
fn show_permalink(id: u32, _: JsValue) {
    let comment_id = with(id, |e| {
        e.soon = None;
        e.opts.comment_id.clone()
    })
    .flatten();
    if let Some(c) = comment_id {
        emit(
            id,
            "showPermalink",
            &object(&[("commentID", &c.as_str().into())]),
        );
    }
}

/// The container moved relative to the viewport: once it is near, stop
/// observing and render.
fn on_entries(id: u32, entries: JsValue) {
    if lazy::near(&entries) {
        with(id, |e| e.lazy = None);
        let _ = render(id);
    }
}

/// Creates the iframe and starts listening for its hello.
fn render(id: u32) -> Result<(), JsValue> {
    let window = crate::global::window();
    let made = with(id, |e| -> Result<(), JsValue> {
        if e.mount.is_some() {
            return Ok(());
        }
        e.lazy = None;
        // Mounted again after `remove()`: the token's timer runs again.
        if let (None, Some(due)) = (&e.timer, e.due) {
            crate::session::arm(e, due);
        }
        let params = crate::global::Params::new("");
        let fields = [
            ("storyID", &e.opts.story_id),
            ("storyURL", &e.opts.story_url),
            ("storyMode", &e.opts.story_mode),
            ("commentID", &e.opts.comment_id),
        ];
        for (k, v) in fields {
            if let Some(v) = v {
                params.append(k, v);
            }
        }
        let mut src = e.root.clone();
        src.push_str("/embed/stream?");
        src.push_str(&params.to_query());
        let iframe: HtmlIFrameElement = crate::global::create_element("iframe").unchecked_into();
        iframe.set_src(&src);
        iframe.set_title("Comments");
        let el = iframe.unchecked_ref::<crate::global::Target>();
        el.set_attr("referrerpolicy", "no-referrer");
        el.set_attr("scrolling", "no");
        // CSSOM, not a `style` attribute: a strict publisher CSP (no
        // 'unsafe-inline' for style-src) blocks style attributes.
        crate::bridge::style(&iframe).set_css_text(
            "display:block;width:1px;min-width:100%;height:0;border:0;overflow:hidden;visibility:hidden",
        );
        let mount = Mount::new(id, &window, iframe, e.origin.clone(), HOOKS);
        crate::global::append(&e.container, &mount.iframe)?;
        e.mount = Some(mount);
        Ok(())
    });
    made.ok_or_else(not_mounted)?
}

/// Unmounts embed `id` (Coral's `remove()`): the iframe with its listeners
/// and channel, a pending lazy render and the embed's timers go, dropped
/// outside the registry borrow. Its options, listeners and token stay, so
/// `render()` mounts it again (single-page apps); [`free`] drops the rest.
fn remove(id: u32) -> Result<(), JsValue> {
    let taken = with(id, |e| {
        if e.mount.is_none() && e.lazy.is_none() {
            return None;
        }
        e.ready_fired = false;
        e.error_reported = false;
        Some((
            e.mount.take(),
            e.lazy.take(),
            e.timer.take(),
            e.soon.take(),
            e.refresh_next.take(),
        ))
    })
    .flatten();
    match taken {
        Some(parts) => {
            drop(parts);
            Ok(())
        }
        // Never rendered (or already removed): Coral throws here too.
        None => Err(to_js_error(Error::new(
            Code::NotMounted,
            &["this stream embed is not mounted."],
        ))),
    }
}

/// Drops embed `id` and everything it holds (once the page holds no handle
/// to it); later calls with its id answer `NOT_MOUNTED`.
pub fn free(id: u32) {
    let taken = EMBEDS.0.try_borrow_mut().ok().and_then(|mut all| {
        let pos = all.iter().position(|x| x.id == id)?;
        Some(all.swap_remove(pos))
    });
    drop(taken);
}

/// A comment stream embedded in the page (Coral's `StreamEmbed`). It is
/// also the emitter handed to the `events` option: it has EventEmitter2's
/// `on`, `off`, `once`, `onAny` and `offAny` (one class instead of two keeps
/// the payload smaller).
#[cfg_attr(not(feature = "tiny"), wasm_bindgen)]
pub struct StreamEmbed {
    id: u32,
}

#[cfg_attr(not(feature = "tiny"), wasm_bindgen)]
impl StreamEmbed {
    /// Renders the stream iframe now (no-op if already rendered).
    pub fn render(&self) -> Result<(), JsValue> {
        render(self.id)
    }

    /// Removes the iframe and frees every listener. Throws `NOT_MOUNTED` if
    /// nothing was rendered; the embed cannot be used afterwards.
    pub fn remove(&self) -> Result<(), JsValue> {
        remove(self.id)
    }

    /// Signs the reader in with `token`, replacing any current token without
    /// reloading the stream. Queued until the stream is connected.
    pub fn login(&self, token: JsValue) -> Result<(), JsValue> {
        with(self.id, |_| ()).ok_or_else(not_mounted)?;
        login(self.id, &token, None).map_err(to_js_error)
    }

    /// Signs in with a login-callback token found in the page URL
    /// (`#jwt=…` or `?jwt=…`), removing it from the address bar first. The
    /// token must carry, as its `nonce` claim, the pending value of
    /// `Coral.createLoginNonce()`. Returns whether a token was found. Errors
    /// as `login`, plus `LOGIN_CALLBACK_UNEXPECTED` and `LOGIN_CALLBACK_STUCK`;
    /// on any error the session is unchanged.
    #[cfg_attr(not(feature = "tiny"), wasm_bindgen(js_name = handleLoginCallback))]
    pub fn handle_login_callback(&self) -> Result<bool, JsValue> {
        with(self.id, |_| ()).ok_or_else(not_mounted)?;
        login_callback(self.id).map_err(to_js_error)
    }

    /// Signs the reader out. Queued until the stream is connected.
    pub fn logout(&self) -> Result<(), JsValue> {
        with(self.id, |e| set_token(e, None, None)).ok_or_else(not_mounted)?;
        send(self.id, Msg::Logout);
        Ok(())
    }

    /// Adds a listener for the event `name` (a pattern: see the emitter).
    pub fn on(&self, name: JsValue, f: JsValue) -> Result<(), JsValue> {
        self.emitter(crate::emitter::method::ON, &[name, f])
    }

    /// Removes a listener added with `on` or `once`.
    pub fn off(&self, name: JsValue, f: JsValue) -> Result<(), JsValue> {
        self.emitter(crate::emitter::method::OFF, &[name, f])
    }

    /// Adds a listener for `name` that runs once.
    pub fn once(&self, name: JsValue, f: JsValue) -> Result<(), JsValue> {
        self.emitter(crate::emitter::method::ONCE, &[name, f])
    }

    /// Adds a listener for every event; called as `f(name, data)`.
    #[cfg_attr(not(feature = "tiny"), wasm_bindgen(js_name = onAny))]
    pub fn on_any(&self, f: JsValue) -> Result<(), JsValue> {
        self.emitter(crate::emitter::method::ON_ANY, &[f])
    }

    /// Removes one `onAny` listener, or all of them without an argument.
    #[cfg_attr(not(feature = "tiny"), wasm_bindgen(js_name = offAny))]
    pub fn off_any(&self, f: JsValue) -> Result<(), JsValue> {
        self.emitter(crate::emitter::method::OFF_ANY, &[f])
    }

    /// Runs emitter method `m` (the shipped build reaches every emitter
    /// method through `call`; this class exposes the five above for tests).
    fn emitter(&self, m: u32, args: &[JsValue]) -> Result<(), JsValue> {
        with(self.id, |_| ()).ok_or_else(not_mounted)?;
        let a = js_sys::Array::new();
        for v in args {
            a.push(v);
        }
        match crate::emitter::call(self.id, m, &a) {
            Some(Err(e)) => Err(to_js_error(e)),
            _ => Ok(()),
        }
    }

    /// The embed's id (test builds only).
    #[cfg(not(feature = "tiny"))]
    #[doc(hidden)]
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Whether the stream iframe is in the page.
    #[cfg_attr(not(feature = "tiny"), wasm_bindgen(getter))]
    pub fn rendered(&self) -> bool {
        with(self.id, |e| e.mount.is_some()).unwrap_or(false)
    }
}

/// Number of live embeds in the registry (test builds only: it proves that
/// `remove()` frees everything).
#[cfg(not(feature = "tiny"))]
#[doc(hidden)]
pub fn live_embeds() -> usize {
    EMBEDS.0.borrow().len()
}
