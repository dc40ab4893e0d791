//! Hostile input to the state machine and its wire, natively: random tapes
//! never panic; thousands of random window and port messages from wrong
//! origins, wrong windows or with junk fields change nothing; the executor
//! and the core agree on every effect, input and method number.
//! `cargo test -p stream-embed --test machine_hostile`

mod driver;

use driver::*;
use stream_embed::machine::Core;

/// xorshift: deterministic and dependency-free.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<T: Clone>(&mut self, a: &[T]) -> T {
        a[(self.next() % a.len() as u64) as usize].clone()
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn random_tapes_never_panic() {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let mut core = Core::new();
    let texts = ["", "a", "é✓𝄞", "$streamEmbed", "hello", "\u{0}\u{ffff}"];
    for _ in 0..20_000 {
        let n = (r.next() % 40) as usize;
        let nums: Vec<f64> = (0..n)
            .map(|_| {
                r.pick(&[
                    0.0,
                    1.0,
                    2.0,
                    3.0,
                    4.0,
                    5.0,
                    6.0,
                    7.0,
                    8.0,
                    10.0,
                    11.0,
                    -1.0,
                    1e20,
                    f64::NAN,
                    0.5,
                    3e9,
                ])
            })
            .collect();
        let text = r.pick(&texts);
        let fx = stream_embed::wire::run(&mut core, &nums, text);
        let _: serde_json::Value = serde_json::from_str(&fx).expect("effects are JSON");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn random_and_spoofed_messages_change_nothing() {
    let mut d = Driver::new();
    let id = d
        .create(&[("id", s("coral_thread")), ("events", V::Func("events"))])
        .unwrap();
    d.call(id, 7, V::Func("any"), V::Undef).unwrap();
    d.call(id, 0, V::Undef, V::Undef).unwrap();
    let mut r = Rng(7);
    // Every message type, plus near misses.
    let types: Vec<&str> = stream_embed::protocol::TYPES
        .into_iter()
        .chain(["HELLO", "", "__proto__"])
        .collect();
    // Every field a message can carry, plus a pollution key.
    let fields: Vec<&str> = stream_embed::protocol::FIELDS
        .into_iter()
        .chain(["__proto__"])
        .collect();
    let junk = || {
        vec![
            V::Undef,
            V::Null,
            V::Bool(true),
            V::Num(f64::NAN),
            V::Num(1e308),
            V::Num(-0.0),
            s("x"),
            s(&"y".repeat(20_000)),
            V::Func("fn"),
            V::Obj("obj"),
            V::Accessor,
            s("\u{0}\u{d7ff}"),
        ]
    };
    d.take();
    for i in 0..5_000 {
        let mut rec: Vec<(&str, V)> = vec![
            (
                "$streamEmbed",
                r.pick(&[
                    V::Num(1.0),
                    s("1"),
                    V::Num(2.0),
                    V::Bool(true),
                    V::Num(1.0000001),
                ]),
            ),
            ("t", s(r.pick(&types))),
        ];
        for _ in 0..(r.next() % 4) {
            let k = r.pick(&fields);
            rec.push((k, r.pick(&junk())));
        }
        // A third origin, or another window, says anything at all.
        let (from_frame, origin) = r.pick(&[
            (false, STREAM),
            (true, "https://evil.test"),
            (false, "null"),
        ]);
        d.window_message(id, from_frame, origin, Some(&rec));
        if i % 10 == 0 {
            d.window_message(id, true, STREAM, None);
        }
    }
    assert_eq!(d.take(), [], "a spoofed message did something");
    // The real stream connects; its messages are validated one by one.
    d.hello(id);
    d.take();
    for _ in 0..5_000 {
        let t = r.pick(&types);
        let v = r.pick(&junk());
        let m: Vec<(&str, V)> = vec![("t", s(t)), (r.pick(&stream_embed::protocol::FIELDS), v)];
        d.port(id, &[&m]);
    }
    for f in d.take() {
        match f {
            Fx::Style { prop, value, .. } => {
                assert!(
                    prop == "visibility" || (prop == "height" && value.ends_with("px")),
                    "{prop}: {value}"
                )
            }
            Fx::Call {
                f: V::Func("any"), ..
            }
            | Fx::Push(_)
            | Fx::Ask(5, _) => {}
            Fx::Post { msg, .. } => assert_eq!(msg["t"], "refreshAccessToken", "{msg}"),
            other => panic!("unexpected effect {other:?}"),
        }
    }
}

/// The numbers in `src` after `case ` in a JS `switch`.
#[cfg(not(target_arch = "wasm32"))]
fn cases(src: &str) -> Vec<u32> {
    src.split("case ")
        .skip(1)
        .filter_map(|c| c.split(':').next()?.trim().parse().ok())
        .collect()
}

// (Reads js/ from the disk: native only.)
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_executor_and_the_core_agree_on_every_number() {
    let executor =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/js/executor.js")).unwrap();
    let loader =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/js/loader.js")).unwrap();
    // Every effect op is applied: `run`'s switch has cases 0..=21.
    let run = executor.split("export function run").nth(1).unwrap();
    let ops = cases(run.split("next.forEach").next().unwrap());
    assert_eq!(ops, (0..=21).collect::<Vec<_>>());
    // The loader's method names are the core's, in order.
    let list = loader.split("var METHODS = (").nth(1).unwrap();
    let list = list.split(").split").next().unwrap();
    let methods: String = list.split('"').skip(1).step_by(2).collect();
    assert_eq!(
        methods.split(' ').collect::<Vec<_>>(),
        stream_embed::machine::input::METHODS
    );
    // The answers the executor gives are the queries the core asks.
    let answer = executor
        .split("function answer")
        .nth(1)
        .unwrap()
        .split("\n}\n")
        .next()
        .unwrap();
    assert_eq!(cases(answer), [0, 1, 2, 3, 4, 6]);
}
