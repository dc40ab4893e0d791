//! Property tests (native, ≥ 10,000 cases each) for the pure decoders that
//! face untrusted input: the wire protocol, the structural token helpers and
//! the origin parser. Only the crate's public API is used.
//!
//! `cargo test -p stream-embed --test proptest`
//!
//! One file per decoder: `messages`, `tokens`, `origins`, `options`; the
//! generators they share are in `strategies`.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use stream_embed::options::origin_of;
use stream_embed::protocol::{
    Config, From, MapRecord, Msg, Record, Val, MAX_EVENT_NAME, MAX_HEIGHT, MAX_TOKEN, NS, TYPE,
    VERSION,
};
use stream_embed::token::{base64url_decode, payload_json};

const CASES: u32 = 10_000;

mod messages;
mod options;
mod origins;
mod strategies;
mod tokens;
