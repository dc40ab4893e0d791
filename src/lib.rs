//! stream-embed: a Coral-compatible comment stream embed, host side.
//!
//! The pure modules ([`protocol`], [`options`], [`events`], [`token`],
//! [`error`]) build everywhere and are tested natively. With the `js`
//! feature, [`js`] adapts them to `JsValue`; with `host` (the default), the
//! publisher-page SDK is exported: `createStreamEmbed`, `StreamEmbed`,
//! `EventEmitter`.
#![warn(missing_docs)]

pub mod error;
pub mod events;
pub mod options;
pub mod protocol;
pub mod token;

#[cfg(feature = "js")]
pub mod js;

#[cfg(feature = "host")]
mod bridge;
#[cfg(feature = "host")]
mod embed;

#[cfg(feature = "host")]
pub use embed::{create_stream_embed, EventEmitter, StreamEmbed};
