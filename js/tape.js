// stream-embed effect executor, its input side: writes an input on the
// tape the Rust core reads (src/wire/mod.rs has the format). Page objects
// are read here as own data properties and inside try/catch; accessors are
// reported, never called. It decides nothing: a token's facts are decoded,
// and the core says what they mean.
import { query } from "./builtins.js";

var keys = Object.keys,
  desc = Object.getOwnPropertyDescriptor,
  hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty),
  isArray = Array.isArray,
  W = window;

// The input being written: numbers, strings, and its values (X[x]).
export var N, T, X;
// The slot the core keeps each value in (executor.js holds the values).
export var R = new Map();

// Starts (or, after an answer, resumes) writing an input.
export function begin(n, t, x) {
  N = n;
  T = t;
  X = x;
}

function element(v) {
  try {
    return v instanceof Element;
  } catch (e) {}
}

export function str(s, tag) {
  if (tag) N.push(tag);
  N.push(s.length);
  T.push(s);
}

// A value: its tag (see src/wire/mod.rs), and it joins the input's values.
export function val(v) {
  var t = typeof v,
    tag =
      v === undefined ? 0 : v === null ? 1 : t == "boolean" ? 2 + v : t == "number" ? 4 : t == "string" ? 5 : t == "function" ? 6 : element(v) ? 9 : 7;
  X.push(v);
  if (tag == 5) str(v, 5);
  else N.push(tag);
  if (tag == 4) N.push(v);
  if (tag > 5) N.push(R.get(v) || 0);
  return tag;
}

// A value, and if it is an object its own enumerable data properties. An
// accessor is reported as such; its getter never runs.
export function record(o) {
  if (val(o) == 7) {
    var k = [];
    try {
      k = keys(o);
    } catch (e) {}
    N.push(k.length);
    k.forEach(function (key) {
      var d;
      str(key);
      try {
        d = desc(o, key);
      } catch (e) {}
      if (d && !hasOwn(d, "value")) X.push(), N.push(8);
      else val(d && d.value);
    });
  }
}

// An own data property of a JSON value (or undefined).
export function own(o, k) {
  var d = o && typeof o == "object" && desc(o, k);
  return d && hasOwn(d, "value") ? d.value : undefined;
}

// One base64url JSON segment, if it decodes to an object.
function segment(s) {
  try {
    if (/^[A-Za-z0-9_-]*={0,2}$/.test(s)) {
      var o = JSON.parse(atob(s.replace(/-/g, "+").replace(/_/g, "/")));
      if (o && typeof o == "object" && !isArray(o)) return o;
    }
  } catch (e) {}
}

// A token the page handed over: its facts, decoded (no signature check);
// the core decides what they mean. The string itself joins the values.
export function token(t) {
  var p = t.split("."),
    h = segment(p[0]),
    b = segment(p[1]),
    u = own(b, "user");
  X.push(t);
  N.push(10, t.length, p.length);
  [own(h, "alg"), b, own(b, "sub"), own(b, "exp"), own(b, "nonce"), u, own(u, "id"), own(u, "email"), own(u, "username")].forEach(val);
}

export function arg(a) {
  typeof a == "string" ? token(a) : val(a);
}

function pairs(s) {
  var p = [];
  new URLSearchParams(s).forEach(function (v, k) {
    p.push(k, v);
  });
  N.push(p.length / 2);
  p.forEach(function (s) {
    str(s);
  });
}

// The page's address, its canonical link, IntersectionObserver support.
export function page() {
  var l = location,
    c = query("link[rel=canonical][href]");
  str(l.origin);
  str(l.pathname);
  pairs(l.search);
  str(l.hash);
  pairs(l.hash.slice(1));
  str(c ? c.href : "");
  N.push("IntersectionObserver" in W ? 1 : 0, query(".coral-count") ? 1 : 0, query("script.coral-script") ? 1 : 0);
}
