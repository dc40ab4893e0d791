//! Token verification: every profile's accept/reject matrix, the seed
//! examples' exact claims, and a corpus of bad tokens with their codes.
//!
//! `fixtures` holds the profiles, secrets, signers and seed claims;
//! `accepted` what verifies, `corpus` the bad tokens, `refused` how they
//! are refused.

mod accepted;
mod corpus;
mod fixtures;
mod refused;
