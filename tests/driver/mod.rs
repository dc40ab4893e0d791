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

use serde_json::{json, Value};
use stream_embed::machine::Core;
use stream_embed::wire::Tape;

/// A JS value on the simulated page.
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    /// A function, by name.
    Func(&'static str),
    /// Any other object, by name.
    Obj(&'static str),
    /// A DOM element, by name.
    El(&'static str),
    /// An accessor property (its getter must never run).
    Accessor,
    /// Decoded JSON the core made (event data).
    Json(Value),
    /// An embed's handle.
    Handle(u32),
    /// `next` of a refresh request: (embed, request).
    Next(u32, u32),
}

pub fn s(v: &str) -> V {
    V::Str(v.to_owned())
}

/// A JWT-shaped string with these claims (header `alg: HS256`).
pub fn jwt(claims: Value) -> String {
    jwt_with(serde_json::json!({"alg": "HS256", "typ": "JWT"}), claims)
}

pub fn jwt_with(header: Value, claims: Value) -> String {
    let b = |v: &Value| b64(v.to_string().as_bytes());
    format!("{}.{}.c2ln", b(&header), b(&claims))
}

fn b64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..=c.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn unb64(s: &str) -> Option<Vec<u8>> {
    stream_embed::token::base64url_decode(s)
}

/// A Coral SSO token for `user`, expiring at `exp` (unix s).
pub fn coral_token(user: &str, exp: f64) -> String {
    jwt(
        serde_json::json!({"user": {"id": user, "email": format!("{user}@x.test"), "username": user}, "exp": exp}),
    )
}

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

/// The tape the executor writes.
pub struct W {
    pub nums: Vec<f64>,
    pub text: String,
    pub x: Vec<V>,
}

impl W {
    pub fn str(&mut self, s: &str) {
        self.nums.push(s.encode_utf16().count() as f64);
        self.text.push_str(s);
    }

    pub fn val(&mut self, v: &V, kept: &HashMap<u32, V>) -> u8 {
        self.x.push(v.clone());
        let slot = |v: &V| {
            kept.iter()
                .find(|(_, k)| *k == v)
                .map(|(s, _)| *s as f64)
                .unwrap_or(0.0)
        };
        let tag = match v {
            V::Undef => 0,
            V::Null => 1,
            V::Bool(b) => 2 + *b as u8,
            V::Num(_) => 4,
            V::Str(_) => 5,
            V::Func(_) => 6,
            V::Accessor => 8,
            V::El(_) => 9,
            _ => 7,
        };
        self.nums.push(tag as f64);
        match v {
            V::Num(n) => self.nums.push(*n),
            V::Str(s) => self.str(s),
            V::Func(_) | V::Obj(_) | V::El(_) | V::Json(_) | V::Handle(_) | V::Next(..) => {
                self.nums.push(slot(v))
            }
            _ => {}
        }
        tag
    }

    /// An object with these own data properties (`None`: not an object).
    pub fn record(&mut self, o: Option<&[(&str, V)]>, kept: &HashMap<u32, V>) {
        match o {
            None => {
                self.val(&V::Undef, kept);
            }
            Some(props) => {
                self.val(&V::Obj("record"), kept);
                self.nums.push(props.len() as f64);
                for (k, v) in props {
                    self.str(k);
                    self.val(v, kept);
                }
            }
        }
    }

    fn json_val(&mut self, v: Option<&Value>, kept: &HashMap<u32, V>) {
        let v = match v {
            None => V::Undef,
            Some(Value::Null) => V::Null,
            Some(Value::Bool(b)) => V::Bool(*b),
            Some(Value::Number(n)) => V::Num(n.as_f64().unwrap()),
            Some(Value::String(s)) => V::Str(s.clone()),
            Some(other) => V::Json(other.clone()),
        };
        self.val(&v, kept);
    }

    /// A token, decoded as the executor does.
    pub fn token(&mut self, t: &str, kept: &HashMap<u32, V>) {
        let p: Vec<&str> = t.split('.').collect();
        let seg = |s: Option<&&str>| -> Option<Value> {
            let s = s?;
            let ok = s
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=');
            let v: Value =
                serde_json::from_slice(&unb64(s.trim_end_matches('=')).filter(|_| ok)?).ok()?;
            v.is_object().then_some(v)
        };
        let (h, b) = (seg(p.first()), seg(p.get(1)));
        self.x.push(V::Str(t.to_owned()));
        self.nums
            .extend([10.0, t.encode_utf16().count() as f64, p.len() as f64]);
        let own = |o: Option<&Value>, k: &str| o.and_then(|o| o.get(k)).cloned();
        let u = own(b.as_ref(), "user");
        self.json_val(own(h.as_ref(), "alg").as_ref(), kept);
        self.json_val(b.as_ref(), kept);
        for k in ["sub", "exp", "nonce", "user"] {
            self.json_val(own(b.as_ref(), k).as_ref(), kept);
        }
        for k in ["id", "email", "username"] {
            self.json_val(own(u.as_ref(), k).as_ref(), kept);
        }
    }
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

    pub fn page(&self, w: &mut W) {
        w.str(&self.origin);
        w.str(&self.path);
        for (params, hash) in [(&self.search, None), (&vec![], Some(&self.hash))] {
            let params = match hash {
                None => params.clone(),
                Some(h) => url_pairs(h.strip_prefix('#').unwrap_or(h)),
            };
            if let Some(h) = hash {
                w.str(h);
            }
            w.nums.push(params.len() as f64);
            for (k, v) in &params {
                w.str(k);
                w.str(v);
            }
        }
        w.str(&self.canonical);
        w.nums.push(self.observer as u8 as f64);
        w.nums.push(self.counts as u8 as f64);
        w.nums.push(self.count_script as u8 as f64);
    }

    /// Runs one input, written by `fill` after its kind and time.
    pub fn run(&mut self, kind: u8, fill: &dyn Fn(&mut Driver, &mut W)) -> Outcome {
        let mut w = W {
            nums: vec![kind as f64, self.now],
            text: String::new(),
            x: vec![V::Undef],
        };
        fill(self, &mut w);
        let mut result = Ok(Value::Null);
        let mut next = vec![];
        loop {
            assert!(
                Tape::new(&w.nums, &w.text).input().is_some(),
                "a valid tape"
            );
            // What the wasm export runs on the page's core.
            let effects: Vec<Vec<Value>> =
                serde_json::from_str(&stream_embed::wire::run(&mut self.core, &w.nums, &w.text))
                    .expect("effects are JSON");
            let mut again = false;
            for e in effects {
                let op = e[0].as_u64().unwrap() as u8;
                let n = |i: usize| e.get(i).and_then(Value::as_i64).unwrap_or(0);
                let t = |i: usize| e.get(i).and_then(Value::as_str).unwrap_or("").to_owned();
                let id = n(1) as u32;
                match op {
                    0 => result = Ok(e[1].clone()),
                    1 => result = Err((t(1), t(3), t(2))),
                    2 => self.log.push(Fx::Warn(t(1))),
                    3 => self.log.push(Fx::Error(t(1))),
                    4 => {
                        self.log.push(Fx::Ask(
                            n(1) as u8,
                            e.get(2).cloned().unwrap_or(Value::Null),
                        ));
                        self.answer(&mut w, n(1) as u8, &t(2), n(2));
                        again = true;
                    }
                    5 => {
                        self.log.push(Fx::Bind(id));
                        self.live.push(id);
                    }
                    6 => {
                        let arg = |i: usize| -> V {
                            let (tag, v) = (
                                e[i].as_u64().unwrap_or_else(|| panic!("{e:?} {i}")),
                                &e[i + 1],
                            );
                            let k = v.as_u64().unwrap_or(0) as u32;
                            match tag {
                                0 => match v {
                                    Value::String(s) => V::Str(s.clone()),
                                    v => V::Json(v.clone()),
                                },
                                1 => self.kept.get(&k).cloned().expect("a kept slot"),
                                2 => w.x[k as usize].clone(),
                                3 => V::Handle(k),
                                4 => V::Next(id, k),
                                _ => panic!("arg tag {tag}"),
                            }
                        };
                        let f = arg(4);
                        let args: Vec<V> = (6..e.len()).step_by(2).map(arg).collect();
                        self.log.push(Fx::Call {
                            embed: id,
                            f: f.clone(),
                            args: args.clone(),
                            why: t(2),
                            event: t(3),
                        });
                        if let V::Func(name) = f {
                            if let Some(script) = self.scripts.remove(name) {
                                script(self, &args);
                                self.scripts.insert(name, script);
                            }
                        }
                    }
                    7 => {
                        let v = w.x[n(1) as usize].clone();
                        assert!(
                            !self
                                .kept
                                .values()
                                .any(|k| *k == v && matches!(v, V::Func(_))),
                            "a function kept twice: {v:?}"
                        );
                        assert!(self.kept.insert(n(2) as u32, v).is_none(), "slot reused");
                    }
                    8 => {
                        assert!(self.kept.remove(&id).is_some(), "freed an empty slot {id}");
                    }
                    9 => {
                        let attrs = e[3]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|a| {
                                (
                                    a[0].as_str().unwrap().to_owned(),
                                    a[1].as_str().unwrap().to_owned(),
                                )
                            })
                            .collect();
                        let container = self.kept[&(n(2) as u32)].clone();
                        self.log.push(Fx::Frame {
                            embed: id,
                            container,
                            attrs,
                            css: t(4),
                        });
                    }
                    10 => self.log.push(Fx::Style {
                        embed: id,
                        prop: t(2),
                        value: t(3),
                    }),
                    11 => self.log.push(Fx::Listen {
                        embed: id,
                        what: n(2) as u8,
                        on: n(3) == 1,
                    }),
                    12 => self.log.push(Fx::Connect {
                        embed: id,
                        welcome: e[2].clone(),
                        origin: t(3),
                    }),
                    13 => {
                        let mut msg = e[2].clone();
                        if n(4) != 0 {
                            let V::Str(tok) = self.kept[&(n(4) as u32)].clone() else {
                                panic!("token not a string")
                            };
                            msg[t(3)] = Value::String(tok);
                        }
                        self.log.push(Fx::Post { embed: id, msg });
                    }
                    14 => self.log.push(Fx::Timer {
                        embed: id,
                        timer: n(2) as u8,
                        ms: n(3),
                    }),
                    15 => {
                        let container = self.kept.get(&(n(2) as u32)).cloned().unwrap_or(V::Undef);
                        let root = self.kept.get(&(n(4) as u32)).cloned().unwrap_or(V::Null);
                        self.log.push(Fx::Observe {
                            embed: id,
                            container,
                            margin: t(3),
                            root,
                        });
                    }
                    16 => self.log.push(Fx::Push(t(1))),
                    17 => {
                        self.log.push(Fx::Unmount(id));
                        self.live.retain(|l| *l != id);
                    }
                    18 => next.push(id),
                    19 => {
                        result = Ok(Value::Array(
                            e[1..]
                                .iter()
                                .map(|s| {
                                    json!(format!("{:?}", self.kept[&(s.as_u64().unwrap() as u32)]))
                                })
                                .collect(),
                        ))
                    }
                    20 => self.log.push(Fx::Script(pairs(&e[1]))),
                    21 => self.log.push(Fx::Global(t(1), t(2), e[3].clone())),
                    op => panic!("unknown effect {op}"),
                }
            }
            if !again {
                break;
            }
        }
        for id in next {
            self.run(10, &|_, w| w.nums.push(id as f64))
                .expect("continue never throws");
        }
        result
    }

    fn answer(&mut self, w: &mut W, q: u8, arg: &str, x: i64) {
        let kept = self.kept.clone();
        match q {
            0 => {
                let el = self.elements.get(arg).cloned().unwrap_or(V::Null);
                w.val(&el, &kept);
            }
            1 => {
                let v = self.storage.take().map(V::Str).unwrap_or(V::Null);
                w.val(&v, &kept);
            }
            2 => {
                if self.replace_works {
                    let (path, rest) = arg
                        .strip_prefix(&self.origin)
                        .unwrap()
                        .split_once('?')
                        .unwrap_or((arg.strip_prefix(&self.origin).unwrap(), ""));
                    let (query, hash) = rest.split_once('#').unwrap_or((rest, ""));
                    let (path, hash) = match path.split_once('#') {
                        Some((p, h)) => (p, h),
                        None => (path, hash),
                    };
                    self.path = path.to_owned();
                    self.search = url_pairs(query);
                    self.hash = if hash.is_empty() {
                        String::new()
                    } else {
                        format!("#{hash}")
                    };
                }
                w.val(&V::Bool(self.replace_works), &kept);
            }
            3 => w.token(arg, &kept),
            4 => {
                let v = if self.storage_works {
                    self.storage = Some(self.new_nonce.clone());
                    s(&self.new_nonce)
                } else {
                    V::Undef
                };
                w.val(&v, &kept);
            }
            5 => {
                w.nums.push(11.0);
                self.page(w);
            }
            6 => {
                w.nums.push(12.0);
                let V::Json(Value::Object(o)) = w.x[x as usize].clone() else {
                    panic!("a record of a non-JSON value")
                };
                w.val(&V::Obj("record"), &kept);
                w.nums.push(o.len() as f64);
                for (k, v) in &o {
                    w.str(k);
                    w.json_val(Some(v), &kept);
                }
            }
            q => panic!("unknown query {q}"),
        }
    }

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

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a[0].as_str().unwrap().to_owned(),
                a[1].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `URLSearchParams` in Rust, for the fake page (form_urlencoded).
pub fn url_pairs(s: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(s.strip_prefix('?').unwrap_or(s).as_bytes())
        .into_owned()
        .collect()
}
