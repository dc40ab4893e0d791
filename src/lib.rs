//! stream-embed: a Coral-compatible comment stream embed, host side.
//!
//! Three layers, each calling only downward:
//! 1. **proto** (pure; shared with the stream client): [`protocol`] (the
//!    messages), [`options`], [`token`], [`events`] (the EventEmitter2
//!    bus), [`error`].
//! 2. **core** ([`machine`], pure): the host SDK as a sans-IO state
//!    machine, inputs in, effects out; tested natively by `cargo test`.
//! 3. **boundary** ([`wire`]): the executor's input tape, and in the
//!    shipped build (`host` without `std`) the wasm's four plain exports
//!    that `js/glue.js` calls for `js/executor.js`. With the `js` feature, [`js`] adapts layer 1 to `JsValue` for
//!    the stream client.
#![warn(missing_docs)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

/// The shipped wasm build traps on panic instead of formatting a message:
/// no `core::fmt` on the publisher's page. Exports never panic by design
/// (every input path returns a typed error); this is the last resort.
#[cfg(all(feature = "host", not(feature = "std"), target_arch = "wasm32"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(all(feature = "host", not(feature = "std"), target_arch = "wasm32"))]
#[global_allocator]
static ALLOC: Trapping = Trapping(
    // SAFETY: wasm32-unknown-unknown without atomics has exactly one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) },
);

/// `lol_alloc`'s free-list allocator, trapping when memory runs out instead
/// of returning null: the optimizer then knows every allocation succeeds
/// and drops the out-of-memory path, whose message formats an integer
/// (`core::fmt` on the publisher's page).
#[cfg(all(feature = "host", not(feature = "std"), target_arch = "wasm32"))]
struct Trapping(lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator>);

#[cfg(all(feature = "host", not(feature = "std"), target_arch = "wasm32"))]
// SAFETY: forwards to lol_alloc; a null result traps instead of returning.
unsafe impl core::alloc::GlobalAlloc for Trapping {
    unsafe fn alloc(&self, layout: core::alloc::Layout) -> *mut u8 {
        let p = self.0.alloc(layout);
        if p.is_null() {
            core::arch::wasm32::unreachable()
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: core::alloc::Layout) {
        self.0.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: core::alloc::Layout, size: usize) -> *mut u8 {
        let p = self.0.realloc(ptr, layout, size);
        if p.is_null() {
            core::arch::wasm32::unreachable()
        }
        p
    }
}

pub mod error;
pub mod events;
pub mod machine;
pub mod options;
pub mod protocol;
pub mod token;
pub mod wire;

#[cfg(feature = "js")]
pub mod js;
