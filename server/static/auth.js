// @ts-check
// Who is signed in: the token the host sent, shown at once from its
// (unverified) claims, then verified by the server (POST /api/session).

import { $, api, el, formStatus, page } from "./state.js";
import { deprecatedMutation, networkEvent } from "./coral-events.js";

let authSeq = 0; // bumps on every token change; stale responses are ignored

/**
 * The token's claims, decoded but not verified (display only).
 * @param {string} token
 * @returns {any}
 */
function decodeClaims(token) {
  try {
    if (page.client && page.client.token === token) {
      const c = page.client.claims();
      if (c) return c;
    }
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(
      Array.from(atob(part), (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0")).join(""),
    );
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

/**
 * @typedef {object} ShownUser
 * @property {string} username
 * @property {string[]} badges
 * @property {string | null} role
 * @property {string | null} url
 * @property {{organization_id: string, role: string}[] | null} organizations
 */

/**
 * @param {any} c the claims
 * @returns {ShownUser | null}
 */
function claimsToUser(c) {
  if (!c || typeof c !== "object") return null;
  const u = c.user && typeof c.user === "object" ? c.user : {};
  const username = u.username || c.username || c.name || c.sub;
  if (typeof username !== "string" || !username) return null;
  return {
    username,
    badges: Array.isArray(u.badges) ? u.badges.filter((/** @type {unknown} */ b) => typeof b === "string") : [],
    role: typeof u.role === "string" ? u.role : null,
    url: typeof u.url === "string" ? u.url : null,
    organizations: Array.isArray(c.user_organizations) ? c.user_organizations : null,
  };
}

/** @param {unknown} code */
export function isTokenError(code) {
  return typeof code === "string" && (code.startsWith("TOKEN_") || code === "DUPLICATE_USER");
}

/** @type {Record<string, string>} */
const ERROR_TEXT = {
  TOKEN_EXPIRED: "Your sign-in has expired. Please sign in again.",
  TOKEN_SIGNATURE_INVALID: "Your sign-in could not be verified.",
  TOKEN_REVOKED: "You signed out with this sign-in. Please sign in again.",
  DUPLICATE_USER: "This email address already belongs to another account.",
};

/**
 * @param {string} code
 * @param {string} [message]
 */
function showAuthError(code, message) {
  const box = $("auth-error");
  box.textContent = (ERROR_TEXT[code] || message || "Sign-in was rejected.") + " (" + code + ")";
  box.dataset.code = code;
  box.hidden = false;
}

function clearAuthError() {
  const box = $("auth-error");
  box.hidden = true;
  box.textContent = "";
  delete box.dataset.code;
}

/** @param {"signed-out" | "verifying" | "signed-in"} state */
function setAuthState(state) {
  document.body.dataset.auth = state;
  $("auth-state").textContent = state === "signed-in" ? "signed-in" : "signed-out";
}

export function renderSignedOut() {
  page.session = null;
  $("signed-in-view").hidden = true;
  $("signed-out-view").hidden = false;
  $("username").textContent = "";
  $("username").dataset.verified = "false";
  $("badges").replaceChildren();
  $("user-links").replaceChildren();
  $("role").hidden = true;
  $("post-comment").textContent = "Sign in to post";
  setAuthState("signed-out");
}

/**
 * @param {ShownUser} user
 * @param {{verified: boolean, canSignOut: boolean}} how
 */
function renderUser(user, { verified, canSignOut }) {
  $("signed-out-view").hidden = true;
  $("signed-in-view").hidden = false;
  const name = $("username");
  name.textContent = user.username;
  name.dataset.verified = verified ? "true" : "false";
  $("unverified").hidden = verified;

  const role = $("role");
  if (user.role && user.role !== "COMMENTER") {
    role.textContent = user.role.toLowerCase();
    role.hidden = false;
  } else {
    role.hidden = true;
  }

  const badges = [];
  for (const b of user.badges || []) badges.push(el("span", { class: "badge" }, b));
  for (const o of user.organizations || []) {
    if (o && o.role) badges.push(el("span", { class: "badge org" }, "org " + o.organization_id + ": " + o.role));
  }
  $("badges").replaceChildren(...badges);

  const links = [];
  if (user.url && /^https?:\/\//.test(user.url)) {
    links.push(el("a", { id: "account-link", href: user.url, target: "_blank", rel: "noopener noreferrer" }, "Account"));
  }
  if (canSignOut) {
    const a = el("a", { id: "sign-out", href: "#", role: "button" }, "Sign Out");
    a.addEventListener("click", onSignOutClick);
    links.push(a);
  }
  $("user-links").replaceChildren(...links);
  $("post-comment").textContent = "Post";
  setAuthState(verified ? "signed-in" : "verifying");
}

/** @param {string} token */
async function verifyToken(token) {
  const seq = ++authSeq;
  page.token = token;
  clearAuthError();
  const claims = decodeClaims(token);
  const unverified = claimsToUser(claims);
  if (unverified) {
    renderUser(unverified, {
      verified: false,
      canSignOut: !!(claims && claims.jti && claims.exp),
    });
  } else {
    renderSignedOut();
    setAuthState("verifying");
  }
  if (!page.client) return;
  let session;
  try {
    // The stream client sends its current token (this one) to the server.
    session = await page.client.verifySession();
  } catch (err) {
    if (seq !== authSeq) return; // a newer token or a logout arrived meanwhile
    const e = /** @type {import("/stream/stream_client.js").SessionError} */ (err);
    if (e.code === "NETWORK_ERROR") {
      formStatus("Cannot reach the comment server; your sign-in is not verified yet.");
      return;
    }
    rejectCurrentToken(e.code || "TOKEN_REJECTED", e.message);
    return;
  }
  if (seq !== authSeq) return;
  page.session = session;
  renderUser({ ...session.user }, { verified: true, canSignOut: session.canSignOut });
}

/** The server refused the current token: sign out and tell the host (authError, refresh). */
/**
 * @param {string} code
 * @param {string} [message]
 */
export function rejectCurrentToken(code, message) {
  authSeq++;
  page.token = null;
  renderSignedOut();
  showAuthError(code, message);
  if (page.client) {
    try {
      page.client.rejectToken(code);
    } catch (e) {
      console.error("stream: rejectToken failed", e);
    }
  }
}

/** @param {unknown} token */
export function onLogin(token) {
  if (typeof token !== "string" || !token) return;
  if (token === page.token && page.session) return; // same token again: nothing to do
  verifyToken(token);
}

export function onLogout() {
  authSeq++;
  // After a rejection the token is already gone: keep its error visible.
  if (page.token) clearAuthError();
  page.token = null;
  renderSignedOut();
}

/**
 * Sign Out inside the stream: the server refuses the token's `jti` from now
 * on. Coral's `signOut.success {rtt}`, or `signOut.error {rtt, error}` and the
 * reader stays signed in when the server could not record it.
 */
/** @param {Event} event */
async function onSignOutClick(event) {
  event.preventDefault();
  const token = page.token;
  if (!token) return;
  deprecatedMutation("signOut", {});
  const done = networkEvent("signOut");
  let res;
  try {
    res = await api("/api/session", { method: "DELETE", token });
  } catch {
    res = { ok: false, status: 0, data: { message: "Could not reach the comment server." } };
  }
  if (!res.ok) {
    /** @type {{message: string, code?: string}} */
    const error = { message: (res.data && res.data.message) || "Sign out failed." };
    if (res.data && res.data.code) error.code = res.data.code;
    formStatus("Could not sign out: " + error.message);
    done.error(error);
    if (error.code && isTokenError(error.code) && page.token === token) rejectCurrentToken(error.code, error.message);
    return;
  }
  if (page.token !== token) return; // the host changed the token meanwhile
  authSeq++;
  page.token = null;
  renderSignedOut();
  done.success();
  if (page.client) page.client.signOut();
}
