//! Browser tests of what the host's Rust decides against what the browser
//! itself does (wasm-bindgen-test in headless Chromium).
//!
//! The scenarios of the state machine (`tests/machine_*.rs`) also run in
//! this layer, on the wasm32 build of the core (scripts/test.sh); the DOM
//! side (the executor applying effects on a real page, two origins) is the
//! end-to-end suite's (`tests/e2e/`). This file checks the one place where
//! the host must agree with the browser rather than decide: the pinned
//! origin that Rust derives from `rootURL` (or the script's URL) must be
//! exactly the `MessageEvent.origin` the browser reports for the iframe it
//! loads, or the stream could never connect (too strict) or a look-alike
//! could (too loose).
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, JsString};
use stream_embed::options::{origin_of, NOT_ORIGINS, ORIGIN_CASES};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The browser's origin of `url` (`new URL(url).origin`) if it parses as an
/// absolute http(s) URL.
fn browser_origin(url: &str) -> Option<String> {
    let f = Function::new_with_args(
        "u",
        "try { var x = new URL(u); return /^https?:$/.test(x.protocol) ? x.origin : null; } catch (e) { return null; }",
    );
    f.call1(&JsValue::UNDEFINED, &JsString::from(url))
        .ok()?
        .as_string()
}

/// The shipped host derives origins in Rust (`options::origin_of`, no URL
/// parser in the payload); on every URL of the shared table it agrees with
/// the browser's parser, and it refuses what it cannot read the browser's
/// way.
#[wasm_bindgen_test]
fn rust_origins_are_the_browsers() {
    for (u, o) in ORIGIN_CASES {
        assert_eq!(origin_of(u).as_deref(), Some(o), "{u}");
        assert_eq!(browser_origin(u).as_deref(), Some(o), "{u}");
    }
    for bad in NOT_ORIGINS {
        assert_eq!(origin_of(bad), None, "{bad}");
    }
}

/// Whatever origin Rust accepts is the browser's, over a grid of schemes,
/// cases, userinfo, hosts, ports and tails (Rust may refuse more, never
/// accept differently).
#[wasm_bindgen_test]
fn every_origin_rust_accepts_is_the_browsers() {
    let schemes = [
        "http",
        "https",
        "HTTP",
        "hTtPs",
        "ftp",
        "javascript",
        "data",
    ];
    let seps = ["://", ":/", ":///", ":"];
    let users = ["", "u@", "u:p@", "@", "a@b@"];
    let hosts = [
        "example.com",
        "EXAMPLE.com",
        "127.0.0.1",
        "[::1]",
        "[::FFFF:1.2.3.4]",
        "xn--bcher-kva.example",
        "a..b",
        "",
        "-x.com",
        "x_y.com",
        "0x7f.1",
        "%41.com",
        "example.com.",
    ];
    let ports = [
        "", ":", ":80", ":443", ":0", ":65535", ":65536", ":08080", ":+1", ":1e3",
    ];
    let tails = ["", "/", "/p?q#h", "?q", "#h", "\\x", "/..", " "];
    let mut accepted = 0;
    for s in schemes {
        for sep in seps {
            for u in users {
                for h in hosts {
                    for p in ports {
                        for t in tails {
                            let url = [s, sep, u, h, p, t].concat();
                            if let Some(o) = origin_of(&url) {
                                accepted += 1;
                                assert_eq!(browser_origin(&url), Some(o), "{url}");
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(
        accepted > 1000,
        "the grid exercised only {accepted} accepted URLs"
    );
}
