//! The host's settings as the stream page sees them: typed, never with the
//! token, encoded for the page with serde-wasm-bindgen.

use serde::Serialize;
use stream_embed::protocol::Config;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const STREAM_CONFIG_TS: &str = r#"
/** The host's settings as the stream page sees them (never the token). */
export interface StreamConfig {
    storyID?: string;
    storyURL?: string;
    storyMode?: string;
    commentID?: string;
    containerClassName?: string;
    customCSSURL?: string;
    customFontsCSSURL?: string;
    disableDefaultFonts: boolean;
    enableDeprecatedEvents: boolean;
    /** Whether the publisher supplied `refreshAccessToken`. */
    canRefresh: boolean;
}

/** The page's callbacks, all optional. */
export interface StreamCallbacks {
    onConfig?(config: StreamConfig): void;
    onLogin?(token: string): void;
    onLogout?(): void;
    /** The reader moved through the page history to a permalink (or off it: null). */
    onCommentID?(commentID: string | null): void;
}
"#;

/// [`Config`] without the token, with the wire's field names.
#[derive(Debug, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PageConfig<'a> {
    #[serde(rename = "storyID", skip_serializing_if = "Option::is_none")]
    story_id: Option<&'a str>,
    #[serde(rename = "storyURL", skip_serializing_if = "Option::is_none")]
    story_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    story_mode: Option<&'a str>,
    #[serde(rename = "commentID", skip_serializing_if = "Option::is_none")]
    comment_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    container_class_name: Option<&'a str>,
    #[serde(rename = "customCSSURL", skip_serializing_if = "Option::is_none")]
    custom_css_url: Option<&'a str>,
    #[serde(rename = "customFontsCSSURL", skip_serializing_if = "Option::is_none")]
    custom_fonts_css_url: Option<&'a str>,
    disable_default_fonts: bool,
    enable_deprecated_events: bool,
    can_refresh: bool,
}

impl<'a> From<&'a Config> for PageConfig<'a> {
    fn from(c: &'a Config) -> Self {
        PageConfig {
            story_id: c.story_id.as_deref(),
            story_url: c.story_url.as_deref(),
            story_mode: c.story_mode.as_deref(),
            comment_id: c.comment_id.as_deref(),
            container_class_name: c.container_class_name.as_deref(),
            custom_css_url: c.custom_css_url.as_deref(),
            custom_fonts_css_url: c.custom_fonts_css_url.as_deref(),
            disable_default_fonts: c.disable_default_fonts,
            enable_deprecated_events: c.enable_deprecated_events,
            can_refresh: c.can_refresh,
        }
    }
}

/// The page's `StreamConfig` object.
pub(crate) fn page_config(c: &Config) -> JsValue {
    serde_wasm_bindgen::to_value(&PageConfig::from(c)).unwrap_or(JsValue::UNDEFINED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_gets_the_settings_and_never_the_token() {
        let c = Config {
            access_token: Some("header.payload.signature".into()),
            story_id: Some("s-1".into()),
            custom_fonts_css_url: Some("https://pub.example/fonts.css".into()),
            disable_default_fonts: true,
            ..Config::default()
        };
        let json = serde_json::to_value(PageConfig::from(&c)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "storyID": "s-1",
                "customFontsCSSURL": "https://pub.example/fonts.css",
                "disableDefaultFonts": true,
                "enableDeprecatedEvents": false,
                "canRefresh": false,
            })
        );
        assert!(!json.to_string().contains("header.payload"));
    }
}
