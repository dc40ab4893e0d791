//! The wasm exports: one input in, its effects out (JSON text), through
//! four plain functions that `js/glue.js` calls (no wasm-bindgen on the
//! publisher page: README "Size" has the measurement). The whole SDK state
//! lives behind them; nothing is imported, so no page code runs while the
//! wasm is on the stack.

use alloc::{string::String, vec::Vec};
use core::cell::RefCell;

use crate::machine::Core;

/// The page's embeds and the buffers the glue writes an input into.
struct State {
    core: Option<Core>,
    nums: Vec<f64>,
    text: Vec<u8>,
    out: String,
}

/// Single-threaded wasm: one global.
struct Global(RefCell<State>);
// SAFETY: wasm32-unknown-unknown without atomics has exactly one thread.
unsafe impl Sync for Global {}
static STATE: Global = Global(RefCell::new(State {
    core: None,
    nums: Vec::new(),
    text: Vec::new(),
    out: String::new(),
}));

/// Runs `f` on the state (nothing if a call is already running, which
/// cannot happen: the wasm imports nothing).
fn with<R: Default>(f: impl FnOnce(&mut State) -> R) -> R {
    match STATE.0.try_borrow_mut() {
        Ok(mut s) => f(&mut s),
        Err(_) => R::default(),
    }
}

/// Empties `buf` and makes room for `n` elements; where they go.
fn room<T: Copy + Default>(buf: &mut Vec<T>, n: usize) -> Option<*mut T> {
    buf.clear();
    buf.resize(n, T::default());
    Some(buf.as_mut_ptr())
}

/// Room for `n` numbers of the next input; where to write them.
#[export_name = "n"]
pub extern "C" fn nums(n: usize) -> *mut f64 {
    with(|s| room(&mut s.nums, n)).unwrap_or(core::ptr::null_mut())
}

/// Room for `n` bytes of the next input's UTF-8 text; where to write
/// them.
#[export_name = "t"]
pub extern "C" fn text(n: usize) -> *mut u8 {
    with(|s| room(&mut s.text, n)).unwrap_or(core::ptr::null_mut())
}

/// Runs the input written into the buffers (see [`super::Tape`]);
/// returns where its effects' JSON starts ([`len`] bytes).
#[export_name = "s"]
pub extern "C" fn step() -> *const u8 {
    with(|s| {
        let core = s.core.get_or_insert_with(Core::new);
        // SAFETY: only js/glue.js writes the text buffer (the instance
        // never leaves the loader's closure), and it writes
        // `TextEncoder.encode`'s output, which is UTF-8 by definition
        // (lone surrogates become U+FFFD). wasm-bindgen's `&str`
        // arguments rest on the same fact. Validating again cost
        // 0.37 kB gz.
        let text = unsafe { core::str::from_utf8_unchecked(&s.text) };
        s.out = super::run(core, &s.nums, text);
        Some(s.out.as_ptr())
    })
    .unwrap_or(core::ptr::null())
}

/// The length of the last effects' JSON.
#[export_name = "l"]
pub extern "C" fn len() -> usize {
    with(|s| s.out.len())
}
