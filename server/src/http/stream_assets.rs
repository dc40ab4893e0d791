//! The stream page's own files, compiled into the server and served at
//! `/static/{file}` (ES modules and stylesheets of `server/static/`).

/// `(file name, contents)`.
const FILES: &[(&str, &str)] = &[
    ("stream.js", include_str!("../../static/stream.js")),
    ("state.js", include_str!("../../static/state.js")),
    ("auth.js", include_str!("../../static/auth.js")),
    ("comments.js", include_str!("../../static/comments.js")),
    (
        "coral-events.js",
        include_str!("../../static/coral-events.js"),
    ),
    ("amp.js", include_str!("../../static/amp.js")),
    ("stream.css", include_str!("../../static/stream.css")),
    ("fonts.css", include_str!("../../static/fonts.css")),
];

/// The contents of `/static/{name}`, if there is such a file.
pub fn file(name: &str) -> Option<&'static str> {
    FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, body)| *body)
}
