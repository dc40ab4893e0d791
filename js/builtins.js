// DOM built-ins the host SDK calls, captured when embed.js runs and called
// with `this` bound ("uncurryThis"): `document.getElementById(…)` looked up
// at call time is shadowed by any `<img name="getElementById">` on the page
// (Document's named properties override its methods), and a container
// `<form>` shadows its own `appendChild` with an `<input name>`. Bound here,
// neither page HTML nor later prototype pollution can redirect these calls.
// This file applies; it decides nothing.
const uncurry = Function.prototype.bind.bind(Function.prototype.call);
const D = Document.prototype;
export const byId = D.getElementById.bind(document);
export const make = D.createElement.bind(document);
export const query = D.querySelector.bind(document);
export const append = uncurry(Node.prototype.appendChild);
export const post = uncurry(MessagePort.prototype.postMessage);

// The login nonce's storage (src/nonce.rs decides what it means). Both
// swallow the exceptions of blocked storage or an insecure context, which
// Rust sees as `undefined`/`null`.
export function newNonce(key) {
  try {
    const nonce = crypto.randomUUID();
    sessionStorage.setItem(key, nonce);
    return nonce;
  } catch (e) {}
}
export function takeNonce(key) {
  try {
    const nonce = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
    return nonce;
  } catch (e) {}
}
