//! The state of every embed on the page, and the slots of the JS values the
//! core keeps. No behaviour here beyond lookups and bookkeeping; the
//! modules above (`emitter`, `session`, `bridge`, `lifecycle`) change it.

use alloc::{boxed::Box, string::String, vec::Vec};

use crate::events::Bus;
use crate::options::Options;

use super::effect::Effects;
use super::input::{Page, Ref};

/// The timers an embed can have running, by number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum TimerKind {
    /// The token's refresh (or sign-out) time.
    Token = 0,
    /// A stream that loaded but never said hello.
    Watchdog = 1,
    /// `showPermalink`, just after construction.
    Permalink = 2,
}

impl TimerKind {
    /// The timer numbered `n`.
    pub fn from_number(n: f64) -> Option<TimerKind> {
        [TimerKind::Token, TimerKind::Watchdog, TimerKind::Permalink]
            .into_iter()
            .find(|t| *t as u8 as f64 == n)
    }
}

/// What creation still has to do once the `events` callback has run.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// The page's address at creation (for the login callback).
    pub page: Page,
    /// `Coral.Talk.render`: render at once.
    pub talk: bool,
}

/// The token lifecycle of one embed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Session {
    /// Slot of the token the stream should have (0: signed out). It
    /// reflects queued `login`/`logout` calls.
    pub token: u32,
    /// Slot of `refreshAccessToken` (0: none).
    pub refresh: u32,
    /// `tokenExpired` was emitted for the current token.
    pub expired_reported: bool,
    /// `refreshAccessToken` was asked for the current token.
    pub refresh_asked: bool,
    /// When the current token needs its refresh (or sign-out), unix s.
    pub due: Option<f64>,
    /// When the running token timer fires, unix s (`None`: not running).
    pub timer_at: Option<f64>,
    /// The current `refreshAccessToken` request (0: none); an older
    /// request's `next` does nothing.
    pub request: u32,
    /// The current request's `next` was called.
    pub next_used: bool,
}

/// One embed.
#[derive(Debug)]
pub struct Embed {
    /// Never reused.
    pub id: u32,
    /// Validated options (`events`, `refreshAccessToken` and the token
    /// are taken out). Boxed, as is every large value that moves.
    pub opts: Box<Options<Ref>>,
    /// Stream root URL, no trailing slash.
    pub root: String,
    /// The stream's origin: the only one the token goes to.
    pub origin: String,
    /// Slot of the container element.
    pub container: u32,
    /// Slot of `customScrollContainer` (0: the viewport).
    pub scroll: u32,
    /// Publisher listeners (slots of functions).
    pub bus: Bus<u32>,
    /// Tokens.
    pub session: Session,
    /// The iframe is in the page.
    pub mounted: bool,
    /// The handshake succeeded (a port is open).
    pub connected: bool,
    /// A lazy render is waiting for the container to near the viewport.
    pub lazy: bool,
    /// `ready` was emitted.
    pub ready_fired: bool,
    /// `error` (stream unreachable) was emitted.
    pub error_reported: bool,
    /// The unreachable-stream timer runs.
    pub watchdog: bool,
    /// The `showPermalink` timer runs.
    pub soon: bool,
    /// Creation is not finished (see [`Pending`]).
    pub pending: Option<Pending>,
}

impl Embed {
    /// Whether this embed holds `slot`.
    pub fn uses(&self, slot: u32) -> bool {
        self.container == slot
            || self.scroll == slot
            || self.session.token == slot
            || self.session.refresh == slot
            || self.bus.each().any(|(_, f)| *f == slot)
    }
}

/// Every embed, and the slot counter.
#[derive(Debug)]
pub struct Core {
    /// Boxed: moving a pointer is less code than moving an `Embed`.
    #[allow(clippy::vec_box)]
    pub(crate) embeds: Vec<Box<Embed>>,
    pub(crate) next_id: u32,
    pub(crate) next_slot: u32,
    /// The count script was added to the page (once per page).
    pub(crate) counts_injected: bool,
}

impl Default for Core {
    fn default() -> Self {
        Core {
            embeds: Vec::new(),
            next_id: 1,
            next_slot: 1,
            counts_injected: false,
        }
    }
}

impl Core {
    /// A page with no embed.
    pub fn new() -> Self {
        Core::default()
    }

    /// Embed `id`, if it exists.
    pub fn embed(&self, id: u32) -> Option<&Embed> {
        self.embeds.iter().find(|e| e.id == id).map(|b| &**b)
    }

    /// Embed `id`, mutably.
    pub fn embed_mut(&mut self, id: u32) -> Option<&mut Embed> {
        self.embeds
            .iter_mut()
            .find(|e| e.id == id)
            .map(|b| &mut **b)
    }

    /// Number of embeds (tests: `remove` forgets them).
    pub fn len(&self) -> usize {
        self.embeds.len()
    }

    /// Whether there is no embed.
    pub fn is_empty(&self) -> bool {
        self.embeds.is_empty()
    }

    /// A slot for `r`: the one the executor already holds it in, or a new
    /// one (with the effect that fills it).
    pub fn keep(&mut self, fx: &mut Effects, r: Ref) -> u32 {
        if r.slot != 0 {
            return r.slot;
        }
        let slot = self.next_slot;
        self.next_slot = slot.wrapping_add(1);
        fx.keep(r.x, slot);
        slot
    }

    /// Lets go of `slot` unless an embed still holds it.
    pub fn release(&mut self, fx: &mut Effects, slot: u32) {
        if slot != 0 && !self.embeds.iter().any(|e| e.uses(slot)) {
            fx.free(slot);
        }
    }
}
