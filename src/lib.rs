//! stream-embed: a Coral-compatible comment stream embed, host side.
//!
//! The pure modules ([`protocol`], [`options`], [`events`], [`token`],
//! [`error`]) build everywhere and are tested natively. With the `js`
//! feature, [`js`] adapts them to `JsValue`; with `host` (the default), the
//! publisher-page SDK is exported: `createStreamEmbed` and `StreamEmbed`.
#![warn(missing_docs)]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

/// The shipped wasm build traps on panic instead of formatting a message:
/// no `core::fmt` on the publisher's page. Exports never panic by design
/// (every input path returns a typed error); this is the last resort.
#[cfg(all(
    any(feature = "tiny", feature = "next"),
    not(feature = "std"),
    target_arch = "wasm32"
))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(all(feature = "tiny", not(feature = "std"), target_arch = "wasm32"))]
#[global_allocator]
// SAFETY: wasm32-unknown-unknown without atomics has exactly one thread.
static ALLOC: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

#[cfg(all(feature = "next", not(feature = "std"), target_arch = "wasm32"))]
#[global_allocator]
static ALLOC: Trapping = Trapping(
    // SAFETY: wasm32-unknown-unknown without atomics has exactly one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) },
);

/// `lol_alloc`'s free-list allocator, trapping when memory runs out instead
/// of returning null: the optimizer then knows every allocation succeeds
/// and drops the out-of-memory path, whose message formats an integer
/// (`core::fmt` on the publisher's page).
#[cfg(all(feature = "next", not(feature = "std"), target_arch = "wasm32"))]
struct Trapping(lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator>);

#[cfg(all(feature = "next", not(feature = "std"), target_arch = "wasm32"))]
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

#[cfg(feature = "host")]
mod bridge;
#[cfg(feature = "host")]
mod callback;
#[cfg(feature = "host")]
mod counts;
#[cfg(feature = "host")]
mod embed;
#[cfg(feature = "host")]
mod emitter;
#[cfg(feature = "host")]
mod global;
#[cfg(feature = "host")]
mod lazy;
#[cfg(feature = "host")]
mod listener;
#[cfg(feature = "host")]
mod nonce;
#[cfg(feature = "host")]
mod page;
#[cfg(feature = "host")]
mod session;
#[cfg(feature = "host")]
mod talk;
#[cfg(feature = "host")]
mod timer;

#[cfg(all(feature = "host", feature = "tiny"))]
pub use embed::call;
#[cfg(feature = "host")]
pub use embed::{create_stream_embed, Handle, StreamEmbed};
#[cfg(feature = "host")]
pub use talk::talk_render;

#[cfg(all(feature = "host", not(feature = "tiny")))]
pub use callback::live_callbacks;
#[cfg(feature = "host")]
pub use callback::{dispatch, set_dispatch};

#[cfg(all(feature = "host", not(feature = "tiny")))]
pub use embed::{free, live_embeds};
