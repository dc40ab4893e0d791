//! `Coral.Talk.render` (Talk v4): its options under our names.

use alloc::{borrow::ToOwned, string::String, vec::Vec};

use crate::protocol::Val;

use super::input::{Entry, Page, Rec};
use super::page;

/// Talk v4's option names and ours (coralproject/talk v4.12.1,
/// `client/coral-embed/src/`). Every other Talk v4 option (`onAuthChanged`,
/// plugin settings, `talkStaticUrl`, …) is named in one warning and
/// ignored: `events` and the `authState` event replace `onAuthChanged`.
const TALK: [(&str, &str); 6] = [
    ("talk", "rootURL"),
    ("asset_id", "storyID"),
    ("asset_url", "storyURL"),
    ("auth_token", "accessToken"),
    ("events", "events"),
    ("lazy", "autoRender"),
];

/// Talk v4's options under our names (own data properties only, as for
/// `createStreamEmbed`), with Talk v4's `?commentId=` permalink, and a
/// warning for each option it does not map.
pub(super) fn talk_options(o: Option<&Rec>, page: &Page, warnings: &mut Vec<String>) -> Rec {
    let mut out = Vec::new();
    for e in o.map(|o| &o.0[..]).unwrap_or_default() {
        match TALK.iter().find(|(from, _)| *from == e.key) {
            Some((_, to)) => out.push(Entry {
                key: (*to).to_owned(),
                val: e.val.clone(),
                x: e.x,
            }),
            None => {
                let mut w = String::from("Coral.Talk.render: option `");
                w.push_str(&e.key);
                w.push_str("` is not supported; ignored.");
                warnings.push(w);
            }
        }
    }
    if let Some(c) = page::query_param(page, "commentId") {
        out.push(Entry {
            key: "commentID".to_owned(),
            val: Val::Str(c),
            x: 0,
        });
    }
    Rec(out)
}
