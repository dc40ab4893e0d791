//! Running one input: the tape's page facts, the core's step, and the
//! effects applied (answers, slots, `Continue`, publisher scripts).

use serde_json::{json, Value};
use stream_embed::wire::Tape;

use super::values::{s, url_pairs};
use super::{Driver, Fx, Outcome, V, W};

impl Driver {
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
