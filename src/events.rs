//! The publisher-facing event bus (`on`, `off`, `once`, `onAny`, `offAny`),
//! generic over the listener type so it is tested natively.
//!
//! Dispatch follows gloo-history: [`Bus::targets`] snapshots the listeners
//! to call (consuming `once` entries) and the caller invokes them after
//! releasing every borrow, so a listener may call back into the embed.

use alloc::{borrow::ToOwned, string::String, vec::Vec};

/// One registered listener.
#[derive(Debug, Clone)]
struct Entry<F> {
    /// `None` for an `onAny` listener.
    name: Option<String>,
    f: F,
    once: bool,
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

impl<F: Clone + PartialEq> Bus<F> {
    /// Adds a listener for `name`.
    pub fn on(&mut self, name: &str, f: F) {
        self.push(Some(name), f, false);
    }

    /// Adds a listener for `name` that is removed after its first call.
    pub fn once(&mut self, name: &str, f: F) {
        self.push(Some(name), f, true);
    }

    /// Adds a listener for every event.
    pub fn on_any(&mut self, f: F) {
        self.push(None, f, false);
    }

    fn push(&mut self, name: Option<&str>, f: F, once: bool) {
        self.entries.push(Entry {
            name: name.map(str::to_owned),
            f,
            once,
        });
    }

    /// Removes the most recently added listener `f` for `name`, as
    /// EventEmitter2 does. Returns whether one was removed.
    pub fn off(&mut self, name: &str, f: &F) -> bool {
        let pos = self
            .entries
            .iter()
            .rposition(|e| e.name.as_deref() == Some(name) && e.f == *f);
        // `retain` rather than `remove(i)`: no bounds-check panic path.
        let mut k = 0;
        self.entries.retain(|_| {
            k += 1;
            Some(k - 1) != pos
        });
        pos.is_some()
    }

    /// Removes the `onAny` listener `f`, or all of them when `f` is `None`.
    pub fn off_any(&mut self, f: Option<&F>) {
        self.entries
            .retain(|e| e.name.is_some() || f.is_some_and(|f| e.f != *f));
    }

    /// The listeners to call for `name`, in order: `onAny` listeners first
    /// (as EventEmitter2), then named ones in registration order. `once`
    /// listeners are removed here, so each runs at most once even if a
    /// listener re-emits.
    pub fn targets(&mut self, name: &str) -> Vec<Target<F>> {
        let mut any = Vec::new();
        let mut named = Vec::new();
        self.entries.retain(|e| match &e.name {
            None => {
                any.push(Target {
                    f: e.f.clone(),
                    any: true,
                });
                true
            }
            Some(n) if n == name => {
                named.push(Target {
                    f: e.f.clone(),
                    any: false,
                });
                !e.once
            }
            Some(_) => true,
        });
        any.extend(named);
        any
    }

    /// Number of registered listeners.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no listener is registered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs(t: Vec<Target<&'static str>>) -> Vec<(&'static str, bool)> {
        t.into_iter().map(|t| (t.f, t.any)).collect()
    }

    #[test]
    fn named_listeners_run_in_order_after_any_listeners() {
        let mut b = Bus::default();
        b.on("ready", "a");
        b.on_any("star");
        b.on("ready", "b");
        b.on("loginPrompt", "c");
        assert_eq!(
            fs(b.targets("ready")),
            [("star", true), ("a", false), ("b", false)]
        );
        assert_eq!(fs(b.targets("loginPrompt")), [("star", true), ("c", false)]);
        assert_eq!(fs(b.targets("other")), [("star", true)]);
    }

    #[test]
    fn once_runs_once_and_off_removes_latest_match() {
        let mut b = Bus::default();
        b.once("ready", "o");
        b.on("ready", "a");
        b.on("ready", "a");
        assert_eq!(
            fs(b.targets("ready")),
            [("o", false), ("a", false), ("a", false)]
        );
        assert_eq!(fs(b.targets("ready")), [("a", false), ("a", false)]);
        assert!(b.off("ready", &"a"));
        assert_eq!(fs(b.targets("ready")), [("a", false)]);
        assert!(!b.off("ready", &"zzz"));
        assert!(!b.off("other", &"a"));
        assert!(b.off("ready", &"a"));
        assert!(b.targets("ready").is_empty());
        assert!(b.is_empty());
    }

    #[test]
    fn off_any_removes_one_or_all_any_listeners_only() {
        let mut b = Bus::default();
        b.on_any("x");
        b.on_any("y");
        b.on("e", "x");
        b.off_any(Some(&"x"));
        assert_eq!(fs(b.targets("e")), [("y", true), ("x", false)]);
        b.on_any("z");
        b.off_any(None);
        assert_eq!(fs(b.targets("e")), [("x", false)]);
        assert_eq!(b.len(), 1);
    }
}
