//! The wire protocol's decoder and encoder.

use super::strategies::*;
use super::*;

fn valid_token(t: &Option<String>) -> bool {
    t.as_ref()
        .is_none_or(|t| !t.is_empty() && t.len() <= MAX_TOKEN)
}

/// The invariants every decoded message must satisfy, whatever the input.
fn check_invariants(m: &Msg<String>, from: From, rec: &MapRecord) -> Result<(), TestCaseError> {
    prop_assert_eq!(m.sender(), from, "decoded a message the other side sends");
    prop_assert!(matches!(rec.get(NS), Val::Num(v) if v == VERSION));
    match m {
        Msg::Height { px } => {
            prop_assert!(
                px.is_finite() && (0.0..=MAX_HEIGHT).contains(px),
                "height {}",
                px
            )
        }
        Msg::Event { name, .. } => {
            prop_assert!(!name.is_empty() && name.len() <= MAX_EVENT_NAME)
        }
        Msg::Login { token } => prop_assert!(!token.is_empty() && token.len() <= MAX_TOKEN),
        Msg::RefreshAccessToken { token } => prop_assert!(valid_token(token)),
        Msg::Config(c) => prop_assert!(valid_token(&c.access_token)),
        Msg::Permalink { comment_id } | Msg::CommentId { comment_id } => prop_assert!(comment_id
            .as_ref()
            .is_none_or(|c| !c.is_empty() && c.len() <= MAX_EVENT_NAME)),
        _ => {}
    }
    Ok(())
}

fn opt_token() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        "[A-Za-z0-9_-]{1,60}\\.[A-Za-z0-9_-]{1,60}\\.[A-Za-z0-9_-]{0,40}",
        (1usize..=MAX_TOKEN).prop_map(|n| "a".repeat(n)),
        text().prop_filter("non-empty, bounded", |s| !s.is_empty()
            && s.len() <= MAX_TOKEN),
    ])
}

fn token() -> impl Strategy<Value = String> {
    opt_token().prop_filter_map("some", |t| t)
}

fn any_config() -> impl Strategy<Value = Config> {
    let s = || prop::option::of(text());
    (
        opt_token(),
        (s(), s(), s(), s()),
        (s(), s(), s()),
        (any::<bool>(), any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |(access_token, (a, b, c, d), (e, f, g), (x, y, z))| Config {
                access_token,
                story_id: a,
                story_url: b,
                story_mode: c,
                comment_id: d,
                container_class_name: e,
                custom_css_url: f,
                custom_fonts_css_url: g,
                disable_default_fonts: x,
                enable_deprecated_events: y,
                can_refresh: z,
            },
        )
}

fn comment_id() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        "[a-zA-Z0-9-]{1,40}",
        text().prop_filter("non-empty, bounded", |s| {
            !s.is_empty() && s.len() <= MAX_EVENT_NAME
        }),
    ])
}

/// Any message that satisfies the protocol's invariants.
fn valid_msg() -> impl Strategy<Value = Msg<String>> {
    let name = prop_oneof![
        "[a-zA-Z.]{1,40}",
        text().prop_filter("non-empty, bounded", |s| {
            !s.is_empty() && s.len() <= MAX_EVENT_NAME
        }),
        Just("e".repeat(MAX_EVENT_NAME)),
    ];
    prop_oneof![
        Just(Msg::Hello),
        Just(Msg::Welcome),
        any_config().prop_map(Msg::Config),
        token().prop_map(|token| Msg::Login { token }),
        Just(Msg::Logout),
        opt_token().prop_map(|token| Msg::RefreshAccessToken { token }),
        Just(Msg::Ready),
        (name, prop::option::of(text())).prop_map(|(name, data)| Msg::Event { name, data }),
        prop_oneof![0.0..=MAX_HEIGHT, Just(0.0), Just(-0.0), Just(MAX_HEIGHT)]
            .prop_map(|px| Msg::Height { px }),
        Just(Msg::GetRefreshAccessToken),
        any::<bool>().prop_map(|logged_in| Msg::AuthState { logged_in }),
        comment_id().prop_map(|comment_id| Msg::Permalink { comment_id }),
        comment_id().prop_map(|comment_id| Msg::CommentId { comment_id }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn decode_never_panics_and_yields_only_valid_messages(rec in any_record()) {
        for from in [From::Host, From::Stream] {
            if let Some(m) = Msg::<String>::decode(&rec, from) {
                check_invariants(&m, from, &rec)?;
            }
        }
    }

    #[test]
    fn encode_decode_round_trips_in_the_messages_direction(m in valid_msg()) {
        let mut rec = MapRecord::default();
        m.encode(&mut rec);
        let from = m.sender();
        prop_assert_eq!(Msg::decode(&rec, from), Some(m.clone()));
        let other = if from == From::Host { From::Stream } else { From::Host };
        prop_assert_eq!(Msg::<String>::decode(&rec, other), None, "accepted from the wrong side");
    }

    #[test]
    fn extra_hostile_keys_do_not_change_a_valid_message(
        m in valid_msg(),
        extra in prop::collection::vec(
            (prop::sample::select(&["__proto__", "constructor", "prototype", "toString", "x"][..]), any_val()),
            0..6,
        ),
    ) {
        let mut rec = MapRecord::default();
        m.encode(&mut rec);
        for (k, v) in extra {
            rec.set(k, v);
        }
        prop_assert_eq!(Msg::decode(&rec, m.sender()), Some(m));
    }
}
