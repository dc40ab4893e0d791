//! Browser tests of the host SDK (wasm-bindgen-test in headless Chromium).
//!
//! The stream side is played by the test: the iframe points at the test
//! server's own origin, so the test can listen inside it for the `welcome`,
//! take the `MessagePort` and talk to the host exactly as a stream would.
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Reflect};
use stream_embed::create_stream_embed;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Runs a JS function body with `a` bound to the first argument.
fn js(body: &str, a: &JsValue) -> JsValue {
    Function::new_with_args("a", body)
        .call1(&JsValue::UNDEFINED, a)
        .expect("test JS threw")
}

fn eval(body: &str) -> JsValue {
    install_jwt();
    js(body, &JsValue::UNDEFINED)
}

/// Defines `jwt(claims)` (an unsigned-for-test HS256-shaped token) and `T`,
/// a few fixed tokens, on the test page.
fn install_jwt() {
    Function::new_no_args(
        "if (window.jwt) return;
         window.jwt = function (p) {
           var b = function (o) { return btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\\+/g, '-').replace(/\\//g, '_'); };
           return b({ alg: 'HS256', typ: 'JWT' }) + '.' + b(p) + '.c2ln';
         };
         var u = function (n) { return jwt({ user: { id: n, email: n + '@x.test', username: n }, exp: Date.now() / 1000 + 3600 }); };
         window.T = { h: u('h'), first: u('first'), second: u('second'), third: u('third'), listener: u('listener') };",
    )
    .call0(&JsValue::UNDEFINED)
    .expect("install jwt");
}

fn tok(name: &str) -> JsValue {
    eval(&format!("return T.{name};"))
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

fn s(v: JsValue) -> String {
    v.as_string().unwrap_or_default()
}

async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(p).await.unwrap();
}

/// Waits until `cond` (a JS body returning a boolean) holds, up to 5 s.
async fn until(cond: &str, a: &JsValue) {
    until_ms(cond, a, 5000).await;
}

async fn until_ms(cond: &str, a: &JsValue, ms: u32) {
    for _ in 0..ms / 20 {
        if js(cond, a).is_truthy() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for: {cond}");
}

fn container(id: &str) {
    js(
        "var d = document.getElementById(a); if (d) d.remove(); d = document.createElement('div'); d.id = a; document.body.appendChild(d);",
        &id.into(),
    );
}

fn err_code(r: Result<impl Sized, JsValue>) -> (String, String) {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => {
            assert!(e.is_instance_of::<js_sys::Error>(), "not an Error: {e:?}");
            (s(get(&e, "code")), s(get(&e, "option")))
        }
    }
}

#[wasm_bindgen_test]
fn bad_options_throw_typed_errors_naming_the_option() {
    container("c-err");
    let cases = [
        (
            "{id:'c-err', rootURL: location.origin, accessToken: 42}",
            "INVALID_OPTION",
            "accessToken",
        ),
        (
            "{id:'c-err', rootURL: 'not a url'}",
            "INVALID_OPTION",
            "rootURL",
        ),
        (
            "{id:'c-err', rootURL: location.origin, autoRender: 'yes'}",
            "INVALID_OPTION",
            "autoRender",
        ),
        (
            "{id:'c-err', rootURL: location.origin, events: 3}",
            "INVALID_OPTION",
            "events",
        ),
        (
            "{id:'nowhere', rootURL: location.origin}",
            "CONTAINER_NOT_FOUND",
            "",
        ),
        ("'just a string'", "INVALID_OPTION", "config"),
        ("{id:'c-err'}", "INVALID_OPTION", "rootURL"),
    ];
    for (cfg, code, option) in cases {
        let cfg = eval(&format!("return {cfg};"));
        assert_eq!(
            err_code(create_stream_embed(cfg, None, None)),
            (code.into(), option.into()),
            "{code} {option}"
        );
    }
    // The error message never carries the token.
    let cfg =
        eval("return {id:'c-err', rootURL: location.origin, accessToken: 'x'.repeat(20000)};");
    let e = create_stream_embed(cfg, None, None).err().unwrap();
    assert!(!s(get(&e, "message")).contains("xxxx"));
}

#[wasm_bindgen_test]
fn script_url_gives_the_default_root() {
    container("c-root");
    let cfg = eval("return {id:'c-root', storyID: 's'};");
    let embed = create_stream_embed(cfg, Some("http://127.0.0.1:9/embed.js".into()), None).unwrap();
    embed.render().unwrap();
    let src = s(eval("return document.querySelector('#c-root iframe').src;"));
    assert!(
        src.starts_with("http://127.0.0.1:9/embed/stream?storyID=s"),
        "{src}"
    );
    embed.remove().unwrap();
}

/// Renders an embed whose stream is played by the test; returns the iframe.
async fn mounted(id: &str, cfg: &str) -> JsValue {
    container(id);
    eval("window.__log = [];");
    let embed: JsValue = create_stream_embed(eval(&format!("return {cfg};")), None, None)
        .unwrap()
        .into();
    Reflect::set(&web_sys::window().unwrap(), &"__embed".into(), &embed).unwrap();
    // autoRender is lazy (IntersectionObserver) and tests run concurrently
    // (other tests scroll): render explicitly.
    eval("__embed.render();");
    let iframe = js(
        "return document.querySelector('#' + a + ' iframe');",
        &id.into(),
    );
    until(
        "try { return a.contentDocument && a.contentDocument.readyState === 'complete' && a.contentWindow.location.href !== 'about:blank'; } catch (e) { return false; }",
        &iframe,
    )
    .await;
    js(
        "var w = a.contentWindow; w.__got = []; w.addEventListener('message', function (e) { w.__got.push(e); });",
        &iframe,
    );
    iframe
}

/// Dispatches a synthetic `message` event on the host window.
fn dispatch(data: &str, origin: &str, source: &str, iframe: &JsValue) {
    js(
        &format!(
            "window.dispatchEvent(new MessageEvent('message', {{ data: {data}, origin: {origin}, source: {source} }}));"
        ),
        iframe,
    );
}

const HELLO: &str = "{$streamEmbed: 1, t: 'hello'}";

/// Completes the handshake and returns the port, collecting what the host
/// sends on it in `window.__msgs`.
async fn handshake(iframe: &JsValue) -> JsValue {
    dispatch(HELLO, "location.origin", "a.contentWindow", iframe);
    until("return a.contentWindow.__got.length === 1;", iframe).await;
    let port = js(
        "var e = a.contentWindow.__got[0]; window.__msgs = []; var p = e.ports[0]; p.onmessage = function (m) { __msgs.push(m.data); }; return p;",
        iframe,
    );
    until("return __msgs.length >= 1;", &JsValue::UNDEFINED).await;
    port
}

fn post(port: &JsValue, msg: &str) {
    js(&format!("a.postMessage({msg});"), port);
}

#[wasm_bindgen_test]
async fn handshake_rejects_wrong_origin_or_source_and_pins_the_port() {
    let iframe = mounted(
        "c-hs",
        "{id:'c-hs', rootURL: location.origin, storyID: 's1', storyURL: 'https://news.test/a?b=1', accessToken: T.h, autoRender: true}",
    )
    .await;
    let src = s(get(&iframe, "src"));
    assert!(
        src.contains("/embed/stream?storyID=s1&storyURL=https%3A%2F%2Fnews.test%2Fa%3Fb%3D1"),
        "{src}"
    );
    assert!(!src.contains(&s(tok("h"))), "token in URL");
    assert!(!s(get(&iframe, "title")).is_empty());
    assert_eq!(s(js("return a.style.visibility;", &iframe)), "hidden");

    // Spoofed hellos: wrong origin, wrong source, no source, foreign data.
    dispatch(HELLO, "'http://evil.test'", "a.contentWindow", &iframe);
    dispatch(HELLO, "location.origin", "window", &iframe);
    dispatch(HELLO, "location.origin", "null", &iframe);
    dispatch(
        "{$streamEmbed: 2, t: 'hello'}",
        "location.origin",
        "a.contentWindow",
        &iframe,
    );
    dispatch("'hello'", "location.origin", "a.contentWindow", &iframe);
    dispatch("null", "location.origin", "a.contentWindow", &iframe);
    sleep(100).await;
    assert_eq!(js("return a.contentWindow.__got.length;", &iframe), 0);

    let _port = handshake(&iframe).await;
    let welcome = js("return a.contentWindow.__got[0];", &iframe);
    assert_eq!(s(get(&get(&welcome, "data"), "t")), "welcome");
    assert_eq!(get(&welcome, "data").js_typeof(), "object");
    let config = eval("return __msgs[0];");
    assert_eq!(s(get(&config, "t")), "config");
    assert_eq!(get(&config, "accessToken"), tok("h"));
    assert_eq!(s(get(&config, "storyID")), "s1");
    eval("__embed.remove();");
}

#[wasm_bindgen_test]
async fn calls_before_connection_are_queued_and_delivered_as_state() {
    container("c-q");
    let embed = create_stream_embed(
        eval("return {id:'c-q', rootURL: location.origin, accessToken: T.first};"),
        None,
        None,
    )
    .unwrap();
    assert!(!embed.rendered());
    embed.logout().unwrap();
    embed.login(tok("second")).unwrap();
    embed.render().unwrap();
    assert!(embed.rendered());
    embed.render().unwrap(); // idempotent
    assert_eq!(
        eval("return document.querySelectorAll('#c-q iframe').length;"),
        1
    );
    let iframe = eval("return document.querySelector('#c-q iframe');");
    until(
        "try { return a.contentDocument.readyState === 'complete' && a.contentWindow.location.href !== 'about:blank'; } catch (e) { return false; }",
        &iframe,
    )
    .await;
    js("var w = a.contentWindow; w.__got = []; w.addEventListener('message', function (e) { w.__got.push(e); });", &iframe);
    let port = handshake(&iframe).await;
    assert_eq!(eval("return __msgs[0].accessToken;"), tok("second"));
    assert_eq!(
        eval("return __msgs.length;"),
        1,
        "queued calls replayed as extra messages"
    );
    embed.logout().unwrap();
    embed.login(tok("third")).unwrap();
    until("return __msgs.length === 3;", &JsValue::UNDEFINED).await;
    assert_eq!(s(eval("return __msgs[1].t;")), "logout");
    assert_eq!(
        s(eval("return __msgs[2].t + ' ' + __msgs[2].token;")),
        "login ".to_string() + &s(tok("third"))
    );

    // Reconnect: the stream reloads and says hello again → fresh channel,
    // config with the current token, the old port is closed.
    js("a.contentWindow.__got = [];", &iframe);
    let _new_port = handshake(&iframe).await;
    assert_eq!(
        s(eval("return __msgs[0].t + ' ' + __msgs[0].accessToken;")),
        "config ".to_string() + &s(tok("third"))
    );
    post(&port, "{$streamEmbed: 1, t: 'height', height: 777}");
    sleep(50).await;
    assert_ne!(
        s(js("return a.style.height;", &iframe)),
        "777px",
        "old port still live"
    );

    assert!(embed.login(JsValue::from_f64(1.0)).is_err());
    assert_eq!(err_code(embed.login("".into())).0, "INVALID_ARGUMENT");
    embed.remove().unwrap();
}

#[wasm_bindgen_test]
async fn stream_messages_drive_height_visibility_and_events() {
    let iframe = mounted(
        "c-ev",
        "{id:'c-ev', rootURL: location.origin, autoRender: true, events: function (ev) {
            ev.on('ready', function () { __log.push('ready'); });
            ev.on('loginPrompt', function () { throw new Error('publisher bug'); });
            ev.on('loginPrompt', function (d) { __log.push('lp:' + JSON.stringify(d)); __embed.login(T.listener); });
            ev.once('showAuthPopup', function (d) { __log.push('once:' + d.view); });
            ev.onAny(function (n) { __log.push('any:' + n); });
        }}",
    )
    .await;
    let port = handshake(&iframe).await;
    post(&port, "{$streamEmbed: 1, t: 'height', height: 321.2}");
    post(&port, "{$streamEmbed: 1, t: 'height', height: -5}");
    post(&port, "{$streamEmbed: 1, t: 'height', height: '9999'}");
    until("return a.style.height === '322px';", &iframe).await;
    post(&port, "{$streamEmbed: 1, t: 'ready'}");
    until("return a.style.visibility !== 'hidden';", &iframe).await;
    post(
        &port,
        "{$streamEmbed: 1, t: 'event', name: 'loginPrompt', data: {view: 'SIGN_IN'}}",
    );
    post(
        &port,
        "{$streamEmbed: 1, t: 'event', name: 'showAuthPopup', data: {view: 'A'}}",
    );
    post(
        &port,
        "{$streamEmbed: 1, t: 'event', name: 'showAuthPopup', data: {view: 'B'}}",
    );
    post(&port, "{$streamEmbed: 1, t: 'event', name: 42}");
    // Coral's deprecated network events need `enableDeprecatedEvents`,
    // whatever the stream sends.
    for name in ["mutation.createComment", "fetch.x", "subscription.y"] {
        post(
            &port,
            &format!("{{$streamEmbed: 1, t: 'event', name: '{name}', data: {{}}}}"),
        );
    }
    post(&port, "{$streamEmbed: 1, t: 'ready'}");
    until("return __log.length >= 7;", &JsValue::UNDEFINED).await;
    sleep(50).await;
    assert_eq!(
        s(eval("return __log.join('|');")),
        "any:ready|ready|any:loginPrompt|lp:{\"view\":\"SIGN_IN\"}|any:showAuthPopup|once:A|any:showAuthPopup"
    );
    // The re-entrant login from inside a listener reached the stream.
    until(
        "return __msgs.some(function (m) { return m.t === 'login' && m.token === T.listener; });",
        &JsValue::UNDEFINED,
    )
    .await;
    // A second `ready` does not re-fire the publisher's `ready`.
    assert_eq!(
        eval("return __log.filter(function (x) { return x === 'ready'; }).length;"),
        1
    );

    // off() removes a listener.
    eval("window.__f = function () { __log.push('f'); }; __embed.on('x', __f); __embed.off('x', __f);");
    post(&port, "{$streamEmbed: 1, t: 'event', name: 'x'}");
    until(
        "return __log[__log.length - 1] === 'any:x';",
        &JsValue::UNDEFINED,
    )
    .await;

    // A batch (an array of messages) is delivered in order; an invalid
    // member is skipped without losing the others.
    eval("__log.length = 0;");
    post(
        &port,
        "[{$streamEmbed: 1, t: 'event', name: 'b1'}, {$streamEmbed: 1, t: 'event', name: 7},
          'junk', {$streamEmbed: 1, t: 'event', name: 'b2', data: {k: 1}},
          {$streamEmbed: 1, t: 'event', name: 'b3'}]",
    );
    until("return __log.length >= 3;", &JsValue::UNDEFINED).await;
    sleep(50).await;
    assert_eq!(s(eval("return __log.join('|');")), "any:b1|any:b2|any:b3");

    // remove(): iframe gone, later calls throw NOT_MOUNTED, the port is dead.
    eval("__embed.remove();");
    assert_eq!(
        eval("return document.querySelectorAll('#c-ev iframe').length;"),
        0
    );
    assert_eq!(eval("return __embed.rendered;"), false);
    // Unmounted, as in Coral: the embed keeps its state for a later render().
    let try_call = |call: &str| {
        s(eval(&format!(
            "try {{ {call}; return 'no throw'; }} catch (e) {{ return e.code; }}"
        )))
    };
    assert_eq!(try_call("__embed.remove()"), "NOT_MOUNTED");
    for call in [
        "__embed.login(T.first)",
        "__embed.logout()",
        "__embed.on('a', function(){})",
    ] {
        assert_eq!(try_call(call), "no throw", "{call}");
    }
    // The old port is closed: what the old stream says reaches nobody.
    let n = eval("return __log.length;");
    post(&port, "{$streamEmbed: 1, t: 'event', name: 'loginPrompt'}");
    sleep(50).await;
    assert_eq!(eval("return __log.length;"), n);
    // Freed (the loader does it once the page drops the handle): gone.
    stream_embed::free(get(&eval("return __embed;"), "id").as_f64().unwrap() as u32);
    for call in [
        "__embed.login(T.first)",
        "__embed.logout()",
        "__embed.remove()",
        "__embed.render()",
        "__embed.on('a', function(){})",
    ] {
        assert_eq!(try_call(call), "NOT_MOUNTED", "{call}");
    }
}

#[wasm_bindgen_test]
async fn remove_from_inside_a_listener_is_safe() {
    let iframe = mounted(
        "c-rm",
        "{id:'c-rm', rootURL: location.origin, autoRender: true, events: function (ev) {
            ev.on('loginPrompt', function () { __embed.remove(); __log.push('removed'); });
            ev.on('loginPrompt', function () { __log.push('second'); });
        }}",
    )
    .await;
    let port = handshake(&iframe).await;
    post(&port, "{$streamEmbed: 1, t: 'event', name: 'loginPrompt'}");
    until("return __log.length === 2;", &JsValue::UNDEFINED).await;
    assert_eq!(s(eval("return __log.join('|');")), "removed|second");
    assert_eq!(
        eval("return document.querySelectorAll('#c-rm iframe').length;"),
        0
    );
}

#[wasm_bindgen_test]
async fn login_rejects_bad_tokens_with_typed_errors_and_keeps_the_session() {
    let iframe = mounted(
        "c-tok",
        "{id:'c-tok', rootURL: location.origin, autoRender: true, accessToken: T.first}",
    )
    .await;
    let _port = handshake(&iframe).await;
    let cases = [
        ("'not-a-jwt'", "TOKEN_MALFORMED", ""),
        ("'a.b.c'", "TOKEN_MALFORMED", ""),
        ("jwt({user: {id: '1', email: 'e@x'}}).replace(/\\.c2ln$/, '.c2ln.x')", "TOKEN_MALFORMED", ""),
        ("(function () { var t = jwt({sub: 'x', exp: 4e9}).split('.'); t[0] = btoa(JSON.stringify({alg: 'none'})).replace(/=+$/, ''); return t.join('.'); })()", "TOKEN_MALFORMED", ""),
        ("jwt({user: {id: '1', email: 'e@x', username: 'u'}, exp: 'soon'})", "TOKEN_MALFORMED", ""),
        ("jwt({user: {id: '1', email: 'e@x'}})", "TOKEN_CLAIM_MISSING", "user.username"),
        ("jwt({user: {email: 'e@x', username: 'u'}})", "TOKEN_CLAIM_MISSING", "user.id"),
        ("jwt({sub: 'x'})", "TOKEN_CLAIM_MISSING", "exp"),
        ("jwt({name: 'x'})", "TOKEN_CLAIM_MISSING", "user.id"),
        ("jwt({sub: 'x', exp: Date.now() / 1000 - 120})", "TOKEN_EXPIRED", ""),
        ("' ' + T.second", "TOKEN_MALFORMED", ""),
        ("T.second.replace('.', '.+')", "TOKEN_MALFORMED", ""),
        ("'x'.repeat(20000)", "TOKEN_TOO_LARGE", ""),
        ("42", "INVALID_ARGUMENT", ""),
    ];
    for (token, code, claim) in cases {
        let r = eval(&format!(
            "var t = {token}; try {{ __embed.login(t); return 'no throw'; }} catch (e) {{
               return e.code + ' ' + (e.claim || '') + ' ' + (String(e.message).indexOf(String(t)) >= 0 && String(t).length > 3);
             }}"
        ));
        assert_eq!(s(r), format!("{code} {claim} false"), "{token}");
    }
    sleep(50).await;
    // Nothing reached the stream after the config: the session is unchanged.
    assert_eq!(eval("return __msgs.length;"), 1);
    assert_eq!(eval("return __msgs[0].accessToken;"), tok("first"));
    // A Talk v4 / Spoke style token (sub + exp) is accepted.
    eval("__embed.login(jwt({sub: 'talk-user', jti: 'j', exp: Date.now() / 1000 + 600, iss: 'i', aud: 'a'}));");
    until(
        "return __msgs.length === 2 && __msgs[1].t === 'login';",
        &JsValue::UNDEFINED,
    )
    .await;
    // UTF-8 claims are fine (padding kept or not); the stream gets the
    // publisher's string as is.
    eval(
        r"var p = btoa(unescape(encodeURIComponent(JSON.stringify({sub: 'Jos\u00e9 \u2603', exp: 4e9}))));
         window.__u8 = T.first.split('.')[0] + '.' + p.replace(/\+/g, '-').replace(/\//g, '_') + '.c2ln';
         __embed.login(__u8);",
    );
    until(
        "return __msgs.length === 3 && __msgs[2].token === __u8;",
        &JsValue::UNDEFINED,
    )
    .await;
    eval("__embed.remove();");
}

#[wasm_bindgen_test]
async fn a_stale_access_token_in_options_starts_signed_out_and_tells_the_publisher() {
    let iframe = mounted(
        "c-stale",
        "{id:'c-stale', rootURL: location.origin, autoRender: true,
          accessToken: jwt({user: {id: '1', email: 'e@x', username: 'u'}, exp: Date.now() / 1000 - 3600}),
          events: function (ev) { ev.onAny(function (n, d) { __log.push(n + (d && d.code ? ':' + d.code : '')); }); }}",
    )
    .await;
    assert_eq!(
        s(eval("return __log.join('|');")),
        "authError:TOKEN_EXPIRED|tokenExpired"
    );
    let _port = handshake(&iframe).await;
    assert_eq!(eval("return 'accessToken' in __msgs[0];"), false);
    eval("__embed.remove();");
}

#[wasm_bindgen_test]
async fn refresh_access_token_is_asked_once_per_token_and_next_works_once() {
    let iframe = mounted(
        "c-ref",
        "{id:'c-ref', rootURL: location.origin, autoRender: true, accessToken: T.first,
          refreshAccessToken: function (next) { __log.push('refresh'); window.__next = next; },
          events: function (ev) { ev.onAny(function (n, d) { __log.push(n); }); }}",
    )
    .await;
    let port = handshake(&iframe).await;
    assert_eq!(eval("return __msgs[0].canRefresh;"), true);
    post(&port, "{$streamEmbed: 1, t: 'event', name: 'tokenExpired'}");
    post(&port, "{$streamEmbed: 1, t: 'event', name: 'tokenExpired'}");
    post(&port, "{$streamEmbed: 1, t: 'getRefreshAccessToken'}");
    post(&port, "{$streamEmbed: 1, t: 'getRefreshAccessToken'}");
    until("return __log.indexOf('refresh') >= 0;", &JsValue::UNDEFINED).await;
    // The second ask for the same token is answered "no token" directly.
    until("return __msgs.some(function (m) { return m.t === 'refreshAccessToken' && !('token' in m); });", &JsValue::UNDEFINED).await;
    eval("__next(T.second); __next(T.third);");
    until("return __msgs.some(function (m) { return m.t === 'refreshAccessToken' && m.token === T.second; });", &JsValue::UNDEFINED).await;
    sleep(50).await;
    assert_eq!(
        eval("return __msgs.filter(function (m) { return m.token === T.third; }).length;"),
        0
    );
    assert_eq!(s(eval("return __log.join('|');")), "tokenExpired|refresh");
    // A new token resets the once-per-token rule.
    post(&port, "{$streamEmbed: 1, t: 'getRefreshAccessToken'}");
    until(
        "return __log.filter(function (x) { return x === 'refresh'; }).length === 2;",
        &JsValue::UNDEFINED,
    )
    .await;
    // next() with an expired token: no token, authError + tokenExpired.
    eval("__next(jwt({sub: 'x', exp: 1}));");
    until(
        "return __log.indexOf('authError') >= 0;",
        &JsValue::UNDEFINED,
    )
    .await;
    assert_eq!(
        s(eval("return __log.slice(-2).join('|');")),
        "authError|tokenExpired"
    );
    // A `next` replaced by a newer one (the publisher never called it, and a
    // new token was asked for since) does nothing.
    post(&port, "{$streamEmbed: 1, t: 'getRefreshAccessToken'}");
    until(
        "return __log.filter(function (x) { return x === 'refresh'; }).length === 3;",
        &JsValue::UNDEFINED,
    )
    .await;
    eval("window.__stale = __next; __embed.login(T.first);");
    post(&port, "{$streamEmbed: 1, t: 'getRefreshAccessToken'}");
    until(
        "return __log.filter(function (x) { return x === 'refresh'; }).length === 4;",
        &JsValue::UNDEFINED,
    )
    .await;
    eval("__stale(T.h);");
    sleep(50).await;
    assert_eq!(
        eval("return __msgs.filter(function (m) { return m.token === T.h; }).length;"),
        0
    );
    // A refresh that completes after remove() (a route change in a
    // single-page app) calls `next` harmlessly: remove() freed every
    // callback of the embed (listeners, port, timer, `next`).
    let id = eval("return __embed.id;").as_f64().unwrap() as u32;
    assert!(stream_embed::live_callbacks(id) >= 5);
    eval("__embed.remove();");
    assert_eq!(stream_embed::live_callbacks(id), 0);
    assert_eq!(
        s(eval(
            "try { __next(T.second); return 'ok'; } catch (e) { return String(e); }"
        )),
        "ok"
    );
}

#[wasm_bindgen_test]
async fn tokens_near_expiry_are_refreshed_early_or_signed_out_at_exp() {
    // With refreshAccessToken: asked right away when exp is < 60 s off.
    let _iframe = mounted(
        "c-soon",
        "{id:'c-soon', rootURL: location.origin, autoRender: true,
          accessToken: jwt({user: {id: '1', email: 'e@x', username: 'u'}, exp: Date.now() / 1000 + 30}),
          refreshAccessToken: function (next) { __log.push('refresh'); }}",
    )
    .await;
    until("return __log.indexOf('refresh') >= 0;", &JsValue::UNDEFINED).await;
    eval("__embed.remove();");

    // Without it: signed out at exp (+ skew), one tokenExpired.
    let iframe = mounted(
        "c-exp",
        "{id:'c-exp', rootURL: location.origin, autoRender: true,
          accessToken: jwt({user: {id: '1', email: 'e@x', username: 'u'}, exp: Date.now() / 1000 - 29.5}),
          events: function (ev) { ev.onAny(function (n) { __log.push(n); }); }}",
    )
    .await;
    let _port = handshake(&iframe).await;
    until(
        "return __msgs.some(function (m) { return m.t === 'logout'; });",
        &JsValue::UNDEFINED,
    )
    .await;
    assert_eq!(s(eval("return __log.join('|');")), "tokenExpired");
    eval("__embed.remove();");
}

#[wasm_bindgen_test]
async fn auto_render_waits_until_the_container_is_near_the_viewport() {
    container("c-lazy");
    eval("var c = document.getElementById('c-lazy'); c.style.marginTop = '5000px'; c.style.height = '10px';");
    let embed = create_stream_embed(
        eval("return {id:'c-lazy', rootURL: location.origin, autoRender: true};"),
        None,
        None,
    )
    .unwrap();
    sleep(200).await;
    assert!(!embed.rendered(), "rendered while far from the viewport");
    eval("document.getElementById('c-lazy').scrollIntoView();");
    until(
        "return !!document.querySelector('#c-lazy iframe');",
        &JsValue::UNDEFINED,
    )
    .await;
    assert!(embed.rendered());
    embed.remove().unwrap();
    eval("window.scrollTo(0, 0);");

    // remove() cancels a pending lazy render (and does not throw).
    container("c-lazy2");
    eval("var c = document.getElementById('c-lazy2'); c.style.marginTop = '5000px'; c.style.height = '10px';");
    let embed = create_stream_embed(
        eval("return {id:'c-lazy2', rootURL: location.origin, autoRender: true};"),
        None,
        None,
    )
    .unwrap();
    // The observer's callback, freed by remove().
    assert_eq!(stream_embed::live_callbacks(embed.id()), 1);
    embed.remove().unwrap();
    assert_eq!(stream_embed::live_callbacks(embed.id()), 0);
    eval("document.getElementById('c-lazy2').scrollIntoView();");
    sleep(200).await;
    assert_eq!(
        eval("return document.querySelectorAll('#c-lazy2 iframe').length;"),
        0
    );
    eval("window.scrollTo(0, 0);");

    // A permalink renders at once, and showPermalink fires after construction.
    container("c-perma");
    eval("var c = document.getElementById('c-perma'); c.style.marginTop = '5000px'; window.__log = [];");
    let embed: JsValue = create_stream_embed(
        eval("return {id:'c-perma', rootURL: location.origin + '/nothing-here', autoRender: true, commentID: 'c-42'};"),
        None, None,
    )
    .unwrap()
    .into();
    assert_eq!(js("return a.rendered;", &embed), true);
    js(
        "a.on('showPermalink', function (d) { __log.push(d.commentID); });",
        &embed,
    );
    until("return __log.length === 1;", &JsValue::UNDEFINED).await;
    assert_eq!(s(eval("return __log[0];")), "c-42");
    js("a.remove();", &embed);
    eval("['c-lazy', 'c-lazy2', 'c-perma'].forEach(function (id) { document.getElementById(id).remove(); });");
}

#[wasm_bindgen_test]
async fn permalinks_go_into_the_page_url_and_back_button_tells_the_stream() {
    let start = s(eval("return location.href;"));
    let iframe = mounted(
        "c-pl",
        "{id:'c-pl', rootURL: location.origin, autoRender: true}",
    )
    .await;
    let port = handshake(&iframe).await;
    post(&port, "{$streamEmbed: 1, t: 'permalink', commentID: 'c-7'}");
    until(
        "return new URLSearchParams(location.search).get('commentID') === 'c-7';",
        &JsValue::UNDEFINED,
    )
    .await;
    eval("history.back();");
    until(
        "return __msgs.some(function (m) { return m.t === 'commentID' && !('commentID' in m); });",
        &JsValue::UNDEFINED,
    )
    .await;
    eval("history.forward();");
    until("return __msgs.some(function (m) { return m.t === 'commentID' && m.commentID === 'c-7'; });", &JsValue::UNDEFINED).await;
    eval("__embed.remove();");
    js("history.replaceState(null, '', a);", &start.into());
}

/// A callback token for user `n` carrying `nonce`, and `nonce` made the
/// pending one (what `Coral.createLoginNonce()` does), as JS code.
const CALLBACK: &str = "window.cb = function (n, nonce, pending) {
   sessionStorage.setItem('stream-embed.loginNonce', pending === undefined ? nonce : pending);
   return jwt({ user: { id: n, email: n + '@x.test', username: n }, exp: Date.now() / 1000 + 3600, nonce: nonce });
 };";

#[wasm_bindgen_test]
async fn login_callback_token_leaves_the_address_bar_and_signs_in() {
    let start = s(eval("return location.href;"));
    eval(CALLBACK);
    let iframe = mounted(
        "c-cb",
        "{id:'c-cb', rootURL: location.origin, autoRender: true}",
    )
    .await;
    let _port = handshake(&iframe).await;
    eval("window.__t2 = cb('second', 'n-1'); history.replaceState(null, '', location.pathname + '?a=1&jwt=' + __t2 + '#x=2');");
    let before = eval("return history.length;");
    assert_eq!(eval("return __embed.handleLoginCallback();"), true);
    assert_eq!(
        s(eval("return location.search + location.hash;")),
        "?a=1#x=2"
    );
    assert_eq!(
        eval("return history.length;"),
        before,
        "replaceState, not pushState"
    );
    assert_eq!(
        eval("return sessionStorage.getItem('stream-embed.loginNonce');"),
        JsValue::NULL,
        "a nonce answers one callback"
    );
    until(
        "return __msgs.some(function (m) { return m.t === 'login' && m.token === __t2; });",
        &JsValue::UNDEFINED,
    )
    .await;
    // Fragment form, and nothing to do without a token.
    eval("window.__t3 = cb('third', 'n-2'); history.replaceState(null, '', location.pathname + '#jwt=' + __t3);");
    assert_eq!(eval("return __embed.handleLoginCallback();"), true);
    assert_eq!(s(eval("return location.hash;")), "");
    assert_eq!(eval("return __embed.handleLoginCallback();"), false);
    until(
        "return __msgs.some(function (m) { return m.t === 'login' && m.token === __t3; });",
        &JsValue::UNDEFINED,
    )
    .await;
    // An expired callback token is removed from the URL, then refused.
    eval("sessionStorage.setItem('stream-embed.loginNonce', 'n-3'); history.replaceState(null, '', location.pathname + '#jwt=' + jwt({sub: 's', exp: 1, nonce: 'n-3'}));");
    assert_eq!(
        s(eval("try { __embed.handleLoginCallback(); return 'no throw'; } catch (e) { return e.code; }")),
        "TOKEN_EXPIRED"
    );
    assert_eq!(s(eval("return location.hash;")), "");
    // A genuine token without this tab's nonce (a crafted link), with
    // another nonce, or with none pending: removed, refused, session kept.
    for case in [
        "cb('mallory', 'n-4', 'n-5')",
        "cb('mallory', undefined, 'n-6')",
        "(sessionStorage.removeItem('stream-embed.loginNonce'), jwt({ user: { id: 'm', email: 'm@x.test', username: 'm' }, nonce: 'n-7' }))",
    ] {
        eval("window.__logins = __msgs.filter(function (m) { return m.t === 'login'; }).length;");
        js(
            &format!("history.replaceState(null, '', location.pathname + '#jwt=' + {case});"),
            &JsValue::UNDEFINED,
        );
        assert_eq!(
            s(eval("try { __embed.handleLoginCallback(); return 'no throw'; } catch (e) { return e.code; }")),
            "LOGIN_CALLBACK_UNEXPECTED",
            "{case}"
        );
        assert_eq!(s(eval("return location.hash;")), "", "{case}");
        sleep(50).await;
        assert_eq!(
            eval("return __msgs.filter(function (m) { return m.t === 'login'; }).length === __logins;"),
            true,
            "{case}: no login sent"
        );
    }
    eval("__embed.remove();");
    js("history.replaceState(null, '', a);", &start.into());
}

#[wasm_bindgen_test]
async fn talk_v4_render_maps_onto_the_same_machinery() {
    container("c-talk");
    eval("window.__log = [];");
    let el = eval("return document.getElementById('c-talk');");
    let opts = eval("return {talk: location.origin + '/', asset_id: 'a-1', asset_url: 'https://news.test/a', auth_token: T.first};");
    let embed: JsValue = stream_embed::talk_render(el, opts, None, None)
        .unwrap()
        .into();
    let src = s(eval("return document.querySelector('#c-talk iframe').src;"));
    assert!(
        src.contains("/embed/stream?storyID=a-1&storyURL=https%3A%2F%2Fnews.test%2Fa"),
        "{src}"
    );
    let iframe = eval("return document.querySelector('#c-talk iframe');");
    until(
        "try { return a.contentDocument.readyState === 'complete' && a.contentWindow.location.href !== 'about:blank'; } catch (e) { return false; }",
        &iframe,
    )
    .await;
    js("var w = a.contentWindow; w.__got = []; w.addEventListener('message', function (e) { w.__got.push(e); });", &iframe);
    let _port = handshake(&iframe).await;
    assert_eq!(eval("return __msgs[0].accessToken;"), tok("first"));
    js("a.logout(); a.login(T.second);", &embed);
    until("return __msgs.length === 3;", &JsValue::UNDEFINED).await;
    let err = stream_embed::talk_render(
        JsValue::NULL,
        eval("return {talk: location.origin};"),
        None,
        None,
    )
    .err()
    .unwrap();
    assert_eq!(s(get(&err, "code")), "INVALID_OPTION");
    js("a.remove();", &embed);
}

#[wasm_bindgen_test]
async fn a_stream_that_never_answers_is_reported_once_as_an_error_event() {
    container("c-dead");
    eval("window.__log = [];");
    // Same origin, but the page there runs no stream client.
    let _embed = create_stream_embed(
        eval("return {id:'c-dead', rootURL: location.origin + '/nothing-here', autoRender: true,
                      events: function (ev) { ev.on('error', function (d) { __log.push(d.code); }); }};"),
        None, None,
    )
    .unwrap();
    _embed.render().unwrap();
    until_ms("return __log.length === 1;", &JsValue::UNDEFINED, 15_000).await;
    assert_eq!(s(eval("return __log[0];")), "STREAM_UNREACHABLE");
    sleep(300).await;
    assert_eq!(eval("return __log.length;"), 1);
}

#[wasm_bindgen_test]
async fn many_create_remove_cycles_leave_nothing_behind() {
    let before = stream_embed::live_embeds();
    container("c-many");
    for i in 0..200 {
        let e = create_stream_embed(
            eval(&format!("return {{id:'c-many', rootURL: location.origin, storyID: 's{i}', accessToken: T.first, events: function (ev) {{ ev.on('ready', function () {{}}); }}}};")),
            None, None,
        )
        .unwrap();
        e.render().unwrap();
        // The iframe's load, the window's message and popstate, the token's
        // timer.
        assert_eq!(stream_embed::live_callbacks(e.id()), 4);
        e.remove().unwrap();
        assert_eq!(stream_embed::live_callbacks(e.id()), 0);
        // Mounted again, then freed as the loader frees a dropped handle.
        e.render().unwrap();
        assert_eq!(stream_embed::live_callbacks(e.id()), 4);
        e.remove().unwrap();
        stream_embed::free(e.id());
    }
    assert_eq!(stream_embed::live_embeds(), before);
    assert_eq!(
        eval("return document.querySelectorAll('#c-many iframe').length;"),
        0
    );
    // Two embeds side by side stay separate.
    container("c-two-a");
    container("c-two-b");
    let a = create_stream_embed(
        eval("return {id:'c-two-a', rootURL: location.origin};"),
        None,
        None,
    )
    .unwrap();
    let b = create_stream_embed(
        eval("return {id:'c-two-b', rootURL: location.origin};"),
        None,
        None,
    )
    .unwrap();
    a.render().unwrap();
    b.render().unwrap();
    assert_eq!(stream_embed::live_embeds(), before + 2);
    a.remove().unwrap();
    assert!(b.rendered());
    assert_eq!(
        eval("return document.querySelectorAll('#c-two-b iframe').length;"),
        1
    );
    b.remove().unwrap();
    stream_embed::free(a.id());
    stream_embed::free(b.id());
    assert_eq!(stream_embed::live_embeds(), before);
}

/// In the browser `origin_of` is the browser's URL parser (the one that
/// serializes `MessageEvent.origin`) behind the same ASCII pre-check; it
/// agrees with the native parser on the shared table but for one URL.
#[wasm_bindgen_test]
fn origins_by_the_browser_url_parser() {
    use stream_embed::options::{origin_of, NOT_ORIGINS, ORIGIN_CASES};
    for (u, o) in ORIGIN_CASES {
        assert_eq!(origin_of(u).as_deref(), Some(o), "{u}");
    }
    for bad in NOT_ORIGINS {
        assert_eq!(origin_of(bad), None, "{bad}");
    }
    // The native parser refuses this one; the URL standard reads it as
    // `http://x`, and so would the iframe's `src`.
    assert_eq!(origin_of("http:///x").as_deref(), Some("http://x"));
}
