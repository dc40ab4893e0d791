// stream-embed effect executor: runs on the publisher page next to the
// loader. It reports inputs to the Rust state machine (src/machine/) and
// applies the effects it returns; it decides nothing. Every page object is
// read outside the wasm (here and in tape.js, which writes the inputs), as
// own data properties and inside try/catch, so a throwing getter or Proxy
// trap never unwinds through the wasm (which imports nothing). Formats:
// src/wire/mod.rs (inputs), src/machine/effect/ (effects).
import { step } from "@glue";
import { byId, make, query, append, post, newNonce, takeNonce } from "./builtins.js";
import { N, X, R, begin, str, val, record, own, token, arg, page } from "./tape.js";

var apply = Reflect.apply,
  NONCE = "stream-embed.loginNonce",
  isArray = Array.isArray,
  W = window,
  // Values the core keeps, by slot (their slots are tape.js's `R`).
  K = {},
  // What the executor holds per embed while it is mounted or scheduled:
  // handle, iframe, port, listeners, timers, observer. Holding the handle
  // keeps the loader's FinalizationRegistry from freeing a mounted embed.
  E = {},
  // Each embed's handle, held weakly (where the browser can).
  H = {};

function hold(id, h) {
  if (h) H[id] = typeof WeakRef == "function" ? new WeakRef(h) : { deref: function () { return h; } };
}

function handle(id) {
  return H[id] && H[id].deref();
}

function answer(q, a) {
  switch (q) {
    case 0:
      return val(byId(a));
    case 1:
      return val(takeNonce(NONCE));
    case 2:
      try {
        history.replaceState(history.state, "", a);
        return val(true);
      } catch (e) {
        return val(false);
      }
    case 3:
      return token(a);
    case 4:
      return val(newNonce(NONCE));
    case 6:
      N.push(12);
      return record(X[a]);
    default:
      N.push(11);
      page();
  }
}

// An effect argument (src/machine/effect/op.rs ArgTag).
function value(tag, v, x, id) {
  return tag == 1
    ? K[v]
    : tag == 2
    ? x[v]
    : tag == 3
    ? handle(v)
    : tag == 4
    ? function (t) {
        run(9, function () {
          N.push(id, v);
          arg(t);
        });
      }
    : v;
}

function embed(id) {
  return E[id] || (E[id] = { h: handle(id), l: [], t: [] });
}

var TARGET = [W, 0, W],
  TYPE = ["message", "load", "popstate"];

// The listener `what` of embed `id` (src/machine/effect/op.rs Listen).
function listener(id, what) {
  return what == 0
    ? function (ev) {
        var o, s, d;
        try {
          o = ev.origin;
          s = ev.source;
          d = ev.data;
        } catch (e) {}
        var f = E[id] && E[id].f,
          w = f && f.contentWindow;
        run(3, function () {
          N.push(w && s === w ? id : 0);
          str(typeof o == "string" ? o : "");
          record(d);
        });
      }
    : what == 1
    ? function () {
        run(5, function () {
          N.push(id);
        });
      }
    : function () {
        run(6, function () {
          N.push(id);
          page();
        });
      };
}

function unmount(m) {
  if (m.f) m.f.remove();
  if (m.p) m.p.close();
  if (m.o) m.o.disconnect();
  m.l.forEach(function (h, what) {
    if (h) (TARGET[what] || m.f).removeEventListener(TYPE[what], h);
  });
  m.t.forEach(clearTimeout);
}

// Runs one input (`fill` writes it after its kind and time) and applies the
// effects; returns the call's result or throws its error.
export function run(kind, fill, bind) {
  var n = [kind, Date.now()],
    t = [],
    x = [null],
    result,
    error,
    next = [],
    again = 1;
  begin(n, t, x);
  fill();
  while (again) {
    again = 0;
    var fx = JSON.parse(step(n, t.join("")));
    for (var i = 0; i < fx.length; i++) {
      var e = fx[i],
        id = e[1],
        m = E[id];
      switch (e[0]) {
        case 0:
          result = e[1];
          break;
        case 1:
          error = Error(e[2]);
          error.name = "CoralError";
          error.code = e[1];
          if (e[3]) error.option = e[3];
          if (e[4]) error.claim = e[4];
          break;
        case 2:
          console.warn(e[1]);
          break;
        case 3:
          console.error(e[1]);
          break;
        case 4:
          begin(n, t, x);
          answer(e[1], e[2]);
          again = 1;
          break;
        case 5:
          hold(id, bind(id));
          break;
        case 6:
          try {
            var args = [];
            for (var j = 6; j < e.length; j += 2) args.push(value(e[j], e[j + 1], x, id));
            apply(value(e[4], e[5], x, id), e[3] ? { event: e[3] } : undefined, args);
          } catch (err) {
            console.error(e[2], err);
          }
          break;
        case 7:
          K[e[2]] = x[e[1]];
          R.set(x[e[1]], e[2]);
          break;
        case 8:
          if (R.get(K[id]) === id) R.delete(K[id]);
          delete K[id];
          break;
        case 9:
          m = embed(id);
          var f = (m.f = make("iframe"));
          e[3].forEach(function (a) {
            f.setAttribute(a[0], a[1]);
          });
          f.style.cssText = e[4];
          try {
            append(K[e[2]], f);
          } catch (err) {
            console.error(err);
          }
          break;
        case 10:
          if (m && m.f) e[3] ? m.f.style.setProperty(e[2], e[3]) : m.f.style.removeProperty(e[2]);
          break;
        case 11:
          m = embed(id);
          var w = e[2],
            h = m.l[w];
          if (h) (TARGET[w] || m.f).removeEventListener(TYPE[w], h);
          m.l[w] = e[3] && listener(id, w);
          if (e[3]) (TARGET[w] || m.f).addEventListener(TYPE[w], m.l[w]);
          break;
        case 12:
          var win = m && m.f && m.f.contentWindow;
          if (win) {
            if (m.p) m.p.close();
            var ch = new MessageChannel();
            m.p = ch.port1;
            // One input per message of a batch.
            m.p.onmessage = function (ev) {
              var d = ev.data;
              (isArray(d) ? d : [d]).forEach(function (msg) {
                run(4, function () {
                  N.push(id);
                  record(msg);
                });
              });
            };
            // To the pinned origin only (the core's `origin`), never "*".
            try {
              win.postMessage(e[2], e[3], [ch.port2]);
            } catch (err) {}
          }
          break;
        case 13:
          if (m && m.p) {
            if (e[4]) e[2][e[3]] = K[e[4]];
            post(m.p, e[2]);
          }
          break;
        case 14:
          m = embed(id);
          clearTimeout(m.t[e[2]]);
          if (e[3] >= 0)
            m.t[e[2]] = setTimeout(
              function (k) {
                run(8, function () {
                  N.push(id, k);
                });
              },
              e[3],
              e[2]
            );
          break;
        case 15:
          m = embed(id);
          if (m.o) m.o.disconnect();
          m.o = e[3]
            ? new IntersectionObserver(
                function (entries) {
                  run(7, function () {
                    N.push(
                      id,
                      entries.some(function (en) {
                        return en.isIntersecting;
                      })
                        ? 1
                        : 0
                    );
                  });
                },
                { rootMargin: e[3], root: K[e[4]] || null }
              )
            : null;
          if (m.o) m.o.observe(K[e[2]]);
          break;
        case 16:
          try {
            history.pushState(null, "", e[1]);
          } catch (err) {}
          break;
        case 17:
          if (m) unmount(m);
          delete E[id];
          break;
        case 18:
          next.push(id);
          break;
        case 19:
          result = e.slice(1).map(function (s) {
            return K[s];
          });
          break;
        case 20:
          var sc = make("script");
          e[1].forEach(function (a) {
            sc.setAttribute(a[0], a[1]);
          });
          try {
            append(query("head"), sc);
          } catch (err) {}
          break;
        case 21:
          try {
            var o = own(W, e[1]),
              fn = own(o, e[2]);
            if (typeof fn == "function") apply(fn, o, [e[3]]);
          } catch (err) {}
      }
    }
  }
  next.forEach(function (id) {
    run(10, function () {
      N.push(id);
    });
  });
  if (error) throw error;
  return result;
}

// The loader's entry points (the same three the wasm used to export).
export function createStreamEmbed(config, base, bind) {
  run(
    0,
    function () {
      val(base);
      page();
      record(config);
    },
    bind
  );
}

export function talkRender(el, opts, base, bind) {
  run(
    1,
    function () {
      val(base);
      page();
      val(el);
      record(opts);
    },
    bind
  );
}

// A handle method, by number (the loader's METHODS; 98: the page dropped
// the handle). `login`'s argument is decoded as a token.
export function call(id, method, args, h) {
  hold(id, h);
  var r = run(2, function () {
    N.push(id, method, args.length);
    args.forEach(function (a, i) {
      i || method != 2 ? val(a) : arg(a);
    });
  });
  if (method == 98) delete H[id];
  return r;
}
