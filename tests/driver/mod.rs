//! A page for the state machine, in Rust: it plays `js/executor.js`. It
//! writes inputs as the same tape (so `stream_embed::wire` reads them),
//! parses the effects' JSON, answers the core's questions, keeps slots, runs
//! `Continue` and publisher "scripts" (re-entrant calls), and records every
//! other effect for the tests to assert on.
#![allow(dead_code)]

// Under wasm-bindgen-test (scripts/test.sh's browser layer) the scenarios
// run in headless Chromium, on the wasm32 build of the core.
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::collections::HashMap;

use serde_json::Value;
use stream_embed::machine::Core;

mod run;
mod tape;
mod values;

pub use tape::W;
pub use values::*;

/// What the page did, in order (slots resolved to values).
#[derive(Clone, Debug, PartialEq)]
pub enum Fx {
    Warn(String),
    Error(String),
    Bind(u32),
    Call {
        embed: u32,
        f: V,
        args: Vec<V>,
        why: String,
        event: String,
    },
    Frame {
        embed: u32,
        container: V,
        attrs: Vec<(String, String)>,
        css: String,
    },
    Style {
        embed: u32,
        prop: String,
        value: String,
    },
    Listen {
        embed: u32,
        what: u8,
        on: bool,
    },
    Connect {
        embed: u32,
        welcome: Value,
        origin: String,
    },
    /// A posted message, the token (if any) put in as a string.
    Post {
        embed: u32,
        msg: Value,
    },
    Timer {
        embed: u32,
        timer: u8,
        ms: i64,
    },
    Observe {
        embed: u32,
        container: V,
        margin: String,
        root: V,
    },
    Push(String),
    Script(Vec<(String, String)>),
    Global(String, String, Value),
    Unmount(u32),
    Ask(u8, Value),
}

/// The result of a call: its return value or its error (code, option,
/// message).
pub type Outcome = Result<Value, (String, String, String)>;

type Script = Box<dyn Fn(&mut Driver, &[V])>;

/// The page.
pub struct Driver {
    pub core: Core,
    pub now: f64,
    pub kept: HashMap<u32, V>,
    pub elements: HashMap<String, V>,
    pub origin: String,
    pub path: String,
    pub search: Vec<(String, String)>,
    pub hash: String,
    pub canonical: String,
    pub observer: bool,
    pub counts: bool,
    pub count_script: bool,
    pub storage: Option<String>,
    pub storage_works: bool,
    pub replace_works: bool,
    pub new_nonce: String,
    pub log: Vec<Fx>,
    pub scripts: HashMap<&'static str, Script>,
    /// Embeds the page holds (bound, not unmounted).
    pub live: Vec<u32>,
    pub base: Option<String>,
}

impl Default for Driver {
    fn default() -> Self {
        Driver {
            core: Core::new(),
            now: 1_000_000_000_000.0,
            kept: HashMap::new(),
            elements: [("coral_thread".to_owned(), V::Obj("div#coral_thread"))].into(),
            origin: "https://news.test".into(),
            path: "/article".into(),
            search: vec![],
            hash: String::new(),
            canonical: String::new(),
            observer: true,
            counts: false,
            count_script: false,
            storage: None,
            storage_works: true,
            replace_works: true,
            new_nonce: "nonce-0000000000000000000001".into(),
            log: vec![],
            scripts: HashMap::new(),
            live: vec![],
            base: Some("https://stream.test/embed.js".into()),
        }
    }
}

pub const STREAM: &str = "https://stream.test";

impl Driver {
    /// Creates and renders an embed (`coral_thread`, story `s`, plus
    /// `extra` options) whose `events` callback adds the `onAny` listener
    /// `any`; returns its id. Its effects are left for the test.
    pub fn render_with_any(&mut self, extra: &[(&'static str, V)]) -> u32 {
        let d = self;
        let mut o = vec![
            ("id", s("coral_thread")),
            ("storyID", s("s")),
            ("events", V::Func("events")),
        ];
        o.extend(extra.iter().cloned());
        d.scripts.insert(
            "events",
            Box::new(|d: &mut Driver, args: &[V]| {
                let V::Handle(id) = args[0] else { panic!() };
                d.call(id, 7, V::Func("any"), V::Undef).unwrap();
            }),
        );
        let id = d.create(&o).unwrap();
        d.call(id, 0, V::Undef, V::Undef).unwrap();
        id
    }

    pub fn new() -> Self {
        Driver::default()
    }

    /// The current time in unix seconds.
    pub fn secs(&self) -> f64 {
        self.now / 1000.0
    }
}

impl Driver {
    /// `Coral.createStreamEmbed(options)`: the new embed's id.
    pub fn create(&mut self, options: &[(&str, V)]) -> Result<u32, (String, String, String)> {
        let before = self.live.len();
        self.run(0, &|d, w| {
            let kept = d.kept.clone();
            w.val(&d.base.clone().map(V::Str).unwrap_or(V::Undef), &kept);
            d.page(w);
            w.record(Some(options), &kept);
        })?;
        assert_eq!(self.live.len(), before + 1, "an embed was bound");
        Ok(*self.live.last().unwrap())
    }

    /// A method call on embed `id` (numbers as in `method`) with two
    /// arguments (`Undef` ones at the end are left out).
    pub fn call(&mut self, id: u32, method: u8, a: V, b: V) -> Outcome {
        let mut args = vec![a, b];
        while args.last() == Some(&V::Undef) {
            args.pop();
        }
        self.call_args(id, method, &args)
    }

    /// A method call with any arguments.
    pub fn call_args(&mut self, id: u32, method: u8, args: &[V]) -> Outcome {
        self.run(2, &|d, w| {
            let kept = d.kept.clone();
            w.nums.extend([id as f64, method as f64, args.len() as f64]);
            for (i, a) in args.iter().enumerate() {
                match (a, method, i) {
                    (V::Str(t), 2, 0) => w.token(t, &kept),
                    _ => {
                        w.val(a, &kept);
                    }
                }
            }
        })
    }

    pub fn login(&mut self, id: u32, token: &str) -> Outcome {
        self.call(id, 2, s(token), V::Undef)
    }

    /// Embed `id`'s iframe window says `data` from `origin` (`from_frame`:
    /// `event.source` is the iframe's window).
    pub fn window_message(
        &mut self,
        id: u32,
        from_frame: bool,
        origin: &str,
        data: Option<&[(&str, V)]>,
    ) {
        self.run(3, &|d, w| {
            let kept = d.kept.clone();
            w.nums.push(if from_frame { id as f64 } else { 0.0 });
            w.str(origin);
            w.record(data, &kept);
        })
        .unwrap();
    }

    /// The stream's hello, from its iframe at the stream origin.
    pub fn hello(&mut self, id: u32) {
        self.window_message(
            id,
            true,
            STREAM,
            Some(&[("$streamEmbed", V::Num(1.0)), ("t", s("hello"))]),
        );
    }

    /// Messages on embed `id`'s port (each with `$streamEmbed: 1` added),
    /// one input each, as the executor reports a batch.
    pub fn port(&mut self, id: u32, msgs: &[&[(&str, V)]]) {
        for m in msgs {
            self.run(4, &|d, w| {
                let kept = d.kept.clone();
                w.nums.push(id as f64);
                let mut props: Vec<(&str, V)> = vec![("$streamEmbed", V::Num(1.0))];
                props.extend(m.iter().cloned());
                w.record(Some(&props), &kept);
            })
            .unwrap();
        }
    }

    /// The stream's `event` message `name` with its `data` on embed `id`'s port.
    pub fn stream_event(&mut self, id: u32, name: &str, data: V) {
        self.port(
            id,
            &[&[("t", s("event")), ("name", s(name)), ("data", data)]],
        );
    }

    pub fn event(&mut self, kind: u8, id: u32, extra: &[f64]) {
        self.run(kind, &|_, w| {
            w.nums.push(id as f64);
            w.nums.extend(extra);
        })
        .unwrap();
    }

    pub fn popstate(&mut self, id: u32) {
        self.run(6, &|d, w| {
            w.nums.push(id as f64);
            d.page(w);
        })
        .unwrap();
    }

    pub fn timer(&mut self, id: u32, timer: u8) {
        self.event(8, id, &[timer as f64]);
    }

    /// `next(v)` of embed `id`'s refresh request `gen`.
    pub fn next(&mut self, id: u32, gen: u32, v: V) {
        self.run(9, &|d, w| {
            let kept = d.kept.clone();
            w.nums.extend([id as f64, gen as f64]);
            match &v {
                V::Str(t) => w.token(t, &kept),
                v => {
                    w.val(v, &kept);
                }
            }
        })
        .unwrap();
    }

    /// The effects recorded since the last call, taken.
    pub fn take(&mut self) -> Vec<Fx> {
        std::mem::take(&mut self.log)
    }

    /// The messages posted to embed `id` since the last `take`.
    pub fn posts(log: &[Fx], id: u32) -> Vec<Value> {
        log.iter()
            .filter_map(|f| match f {
                Fx::Post { embed, msg } if *embed == id => Some(msg.clone()),
                _ => None,
            })
            .collect()
    }

    /// The listener calls since the last `take`: (function, arguments).
    pub fn calls(log: &[Fx]) -> Vec<(V, Vec<V>)> {
        log.iter()
            .filter_map(|f| match f {
                Fx::Call { f, args, .. } => Some((f.clone(), args.clone())),
                _ => None,
            })
            .collect()
    }
}

/// Options for the `coral_thread` container and story `story-1`, plus `extra`.
pub fn opts(extra: &[(&'static str, V)]) -> Vec<(&'static str, V)> {
    let mut o = vec![("id", s("coral_thread")), ("storyID", s("story-1"))];
    o.extend(extra.iter().cloned());
    o
}

/// The code and option of an error a call must have thrown.
pub fn code(r: Result<impl Sized, (String, String, String)>) -> (String, String) {
    match r {
        Ok(_) => panic!("expected an error"),
        Err((c, o, _)) => (c, o),
    }
}
