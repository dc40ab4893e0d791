//! The publisher-facing event bus with EventEmitter2's semantics, as Coral
//! creates it (`{wildcard: true, delimiter: "."}`), generic over the
//! listener type so it is tested natively.
//!
//! Names are `.`-separated segments. In a listener's pattern `*` matches
//! exactly one segment and `**` any number of them, none included
//! (`createComment.*`, `**.success`, `**`). Emitting a name that contains
//! wildcards (the publisher's own `emit`) matches the other way too, as in
//! EventEmitter2. `off` and `removeAllListeners` expand the wildcards of
//! the name they are given against the registered patterns (`off("a.*", f)`
//! removes `f` from `a.b`), and take the registered patterns literally.
//!
//! Dispatch follows gloo-history: [`Bus::targets`] snapshots the listeners
//! to call (consuming `once`/`many` counts) and the caller invokes them after
//! releasing every borrow, so a listener may call back into the embed.

use alloc::{borrow::ToOwned, string::String, vec::Vec};

/// One registered listener.
#[derive(Debug, Clone)]
struct Entry<F> {
    /// The pattern; `None` for an `onAny` listener.
    pattern: Option<String>,
    f: F,
    /// Calls left for `once`/`many`; 0 means unlimited.
    left: u32,
    /// Marked for removal: each method marks, then one `sweep` removes
    /// (one `retain` in the payload instead of one per method).
    dead: bool,
}

/// A listener to invoke for one emitted event.
#[derive(Debug, Clone, PartialEq)]
pub struct Target<F> {
    /// The listener.
    pub f: F,
    /// `true` for `onAny` listeners, which also receive the event name.
    pub any: bool,
}

/// Listener registry for one embed.
#[derive(Debug, Clone)]
pub struct Bus<F> {
    entries: Vec<Entry<F>>,
}

impl<F> Default for Bus<F> {
    fn default() -> Self {
        Bus {
            entries: Vec::new(),
        }
    }
}

/// The `.`-separated segments of `s` (0.17 kB gz less than `str::split`).
pub fn segments(s: &str) -> impl Iterator<Item = &str> + Clone {
    let mut rest = Some(s);
    core::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == b'.') {
            Some(i) => {
                rest = r.get(i + 1..);
                r.get(..i)
            }
            None => rest.take(),
        }
    })
}

/// Most segments a matched name can have: a name (an event name, or the
/// name given to `off`, `listeners`, …) is at most 128 bytes, so 129
/// segments.
const MAX_SEGMENTS: usize = 129;

/// Whether `pattern` matches `name`, segment by segment: `*` in `pattern`
/// is one segment, `**` zero or more; with `both`, the wildcards of `name`
/// count too. Dynamic programming over the segments (no backtracking, so
/// no pattern can make it slow), on the stack; a name of more than
/// [`MAX_SEGMENTS`] segments matches nothing.
pub fn matches(pattern: &str, name: &str, both: bool) -> bool {
    let mut segs = [""; MAX_SEGMENTS];
    let mut n = 0;
    for seg in segments(name) {
        let Some(slot) = segs.get_mut(n) else {
            return false;
        };
        *slot = seg;
        n += 1;
    }
    // row[j]: the pattern's segments so far match name[..j]. Before any,
    // only an empty name, or (with `both`) one of `**`s only, matches.
    let mut row = [true; MAX_SEGMENTS + 1];
    let mut all = true;
    for (cell, b) in row.iter_mut().skip(1).zip(&segs[..]).take(n) {
        all &= both && *b == "**";
        *cell = all;
    }
    for a in segments(pattern) {
        let mut diag = false; // the previous row's value at j - 1
        let mut left = false; // this row's value at j - 1
        for (j, cell) in row.iter_mut().enumerate().take(n + 1) {
            let up = *cell;
            let b = match j {
                0 => None,
                _ => segs.get(j - 1).copied(),
            };
            let now = match b {
                // Only `**` (either side) matches an empty prefix.
                None => up && a == "**",
                Some(_) if a == "**" => up || left,
                Some("**") if both => up || left,
                Some(b) => diag && (a == b || a == "*" || (both && b == "*")),
            };
            diag = up;
            left = now;
            *cell = now;
        }
    }
    row.get(n).copied().unwrap_or(false)
}

impl<F: Clone + PartialEq> Bus<F> {
    /// Adds `f` for `pattern` (`None`: every event, as `onAny`), called at
    /// most `times` times (0: unlimited), first if `prepend`. A pattern with
    /// two `**` in a row is ignored, as EventEmitter2 ignores it.
    pub fn add(&mut self, pattern: Option<&str>, f: F, times: u32, prepend: bool) {
        if pattern.is_some_and(|p| {
            segments(p)
                .zip(segments(p).skip(1))
                .any(|s| s == ("**", "**"))
        }) {
            return;
        }
        let e = Entry {
            pattern: pattern.map(str::to_owned),
            f,
            left: times,
            dead: false,
        };
        if prepend {
            self.entries.insert(0, e);
        } else {
            self.entries.push(e);
        }
    }

    /// Drops the entries marked dead.
    fn sweep(&mut self) {
        self.entries.retain(|e| !e.dead);
    }

    /// Entry `i`'s pattern, if it is the first entry with that pattern.
    fn first_of_pattern(&self, i: usize) -> Option<&str> {
        let p = self.entries.get(i)?.pattern.as_deref()?;
        let earlier = self.entries.iter().take(i);
        (!earlier.into_iter().any(|e| e.pattern.as_deref() == Some(p))).then_some(p)
    }

    /// Removes listener `f` from the patterns `name` covers (`off`,
    /// `removeListener`), as EventEmitter2's listener tree does: visiting
    /// the covered patterns oldest first, a pattern whose only listener is
    /// `f` loses it and the search goes on; a pattern with several
    /// listeners loses its first `f` and the search stops. Returns whether
    /// anything was removed.
    pub fn off(&mut self, name: &str, f: &F) -> bool {
        let mut removed = false;
        for i in 0..self.entries.len() {
            // Each pattern is visited once, at its first entry, so the
            // counts below are those before this call changed anything.
            let found = self.first_of_pattern(i).and_then(|p| {
                if !matches(name, p, false) {
                    return None;
                }
                let mine = |e: &&Entry<F>| e.pattern.as_deref() == Some(p);
                let count = self.entries.iter().filter(mine).count();
                let pos = self.entries.iter().position(|e| mine(&e) && e.f == *f)?;
                Some((count, pos))
            });
            let Some((count, pos)) = found else {
                continue;
            };
            if let Some(e) = self.entries.get_mut(pos) {
                e.dead = true;
            }
            removed = true;
            if count > 1 {
                break;
            }
        }
        self.sweep();
        removed
    }

    /// Removes the first `onAny` listener `f`, or all of them for `None`.
    pub fn off_any(&mut self, f: Option<&F>) {
        let mut done = false;
        for e in self.entries.iter_mut().filter(|e| e.pattern.is_none()) {
            if !done && f.is_none_or(|f| e.f == *f) {
                e.dead = true;
                done = f.is_some();
            }
        }
        self.sweep();
    }

    /// Removes every named listener whose pattern `name` covers, or every
    /// named listener for `None` (`removeAllListeners`; `onAny` listeners
    /// stay, as in EventEmitter2).
    pub fn remove_all(&mut self, name: Option<&str>) {
        for e in self.entries.iter_mut() {
            if let Some(p) = &e.pattern {
                e.dead = name.is_none_or(|n| matches(n, p, false));
            }
        }
        self.sweep();
    }

    /// The listeners an event `name` would call, `onAny` ones aside
    /// (`listeners`), or the `onAny` listeners for `None` (`listenersAny`).
    pub fn listeners(&self, name: Option<&str>) -> Vec<F> {
        self.each_listener(name).cloned().collect()
    }

    /// [`Bus::listeners`] without collecting them.
    pub fn each_listener<'a>(&'a self, name: Option<&'a str>) -> impl Iterator<Item = &'a F> {
        self.entries
            .iter()
            .filter(move |e| match (&e.pattern, name) {
                (Some(p), Some(n)) => matches(p, n, true),
                (p, n) => p.is_none() && n.is_none(),
            })
            .map(|e| &e.f)
    }

    /// The patterns that have listeners, each once, oldest first
    /// (`eventNames`).
    pub fn event_names(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.entries.len()).filter_map(|i| self.first_of_pattern(i))
    }

    /// The listeners to call for an emitted `name`, in order: `onAny`
    /// listeners first (as EventEmitter2), then the matching ones in
    /// registration order. `once`/`many` counts are consumed here, so each
    /// runs as often as asked even if a listener re-emits. `both`: the
    /// wildcards of `name` match too (the publisher's own `emit`; names
    /// from the stream are taken literally).
    pub fn targets(&mut self, name: &str, both: bool) -> Vec<Target<F>> {
        let mut out = Vec::new();
        for e in self.entries.iter().filter(|e| e.pattern.is_none()) {
            out.push(Target {
                f: e.f.clone(),
                any: true,
            });
        }
        for e in self.entries.iter_mut() {
            let Some(p) = &e.pattern else { continue };
            if matches(p, name, both) {
                out.push(Target {
                    f: e.f.clone(),
                    any: false,
                });
                match e.left {
                    0 => {}
                    1 => e.dead = true,
                    n => e.left = n - 1,
                }
            }
        }
        self.sweep();
        out
    }

    /// Number of registered listeners.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no listener is registered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every registered listener, in order, with whether it is an `onAny`
    /// listener.
    pub fn each(&self) -> impl Iterator<Item = (bool, &F)> + '_ {
        self.entries.iter().map(|e| (e.pattern.is_none(), &e.f))
    }
}

#[cfg(test)]
mod tests;
