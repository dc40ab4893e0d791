// The stream page inside the iframe (served at /embed/stream).
//
// It talks to the publisher page only through the stream client
// (/stream/stream_client.js) and to the server only with
// `Authorization: Bearer <token>` (no cookies). The comment textarea is
// never re-rendered, so a draft survives login, logout and token changes.

import init, { connect } from "/stream/stream_client.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const story = {
  storyID: params.get("storyID") || "",
  storyURL: params.get("storyURL") || "",
};

let client = null;
let currentToken = null; // the token we are showing (mirrors client.token)
let session = null; // server-verified {profile, user, canSignOut}
let authSeq = 0; // bumps on every token change; stale responses are ignored
let readySent = false;
let commentsSeq = 0;
// TOKEN_AUTH_URL (Spoke): where the publisher issues tokens; passed along
// with `loginPrompt` so a publisher handler may redirect there.
const tokenAuthURL = (document.querySelector('meta[name="token-auth-url"]') || {}).content || "";

function loginPrompt() {
  if (client) client.emit("loginPrompt", tokenAuthURL ? { tokenAuthURL } : {});
}

// ------------------------------------------------------------------ helpers

function el(tag, props = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  if (text !== undefined) e.textContent = text;
  return e;
}

function decodeClaims(token) {
  try {
    if (client && client.token === token) {
      const c = client.claims();
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

function claimsToUser(c) {
  if (!c || typeof c !== "object") return null;
  const u = c.user && typeof c.user === "object" ? c.user : {};
  const username = u.username || c.username || c.name || c.sub;
  if (typeof username !== "string" || !username) return null;
  return {
    username,
    badges: Array.isArray(u.badges) ? u.badges.filter((b) => typeof b === "string") : [],
    role: typeof u.role === "string" ? u.role : null,
    url: typeof u.url === "string" ? u.url : null,
    organizations: Array.isArray(c.user_organizations) ? c.user_organizations : null,
  };
}

async function api(path, { method = "GET", token, body } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
  let data = null;
  if (res.status !== 204) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  return { ok: res.ok, status: res.status, data };
}

function isTokenError(code) {
  return typeof code === "string" && (code.startsWith("TOKEN_") || code === "DUPLICATE_USER");
}

const ERROR_TEXT = {
  TOKEN_EXPIRED: "Your sign-in has expired. Please sign in again.",
  TOKEN_SIGNATURE_INVALID: "Your sign-in could not be verified.",
  TOKEN_REVOKED: "You signed out with this sign-in. Please sign in again.",
  DUPLICATE_USER: "This email address already belongs to another account.",
};

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

function formStatus(text) {
  $("form-status").textContent = text || "";
}

// ------------------------------------------------------------------ auth view

function setAuthState(state) {
  // state: "signed-out" | "verifying" | "signed-in"
  document.body.dataset.auth = state;
  $("auth-state").textContent = state === "signed-in" ? "signed-in" : "signed-out";
}

function renderSignedOut() {
  session = null;
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

async function verifyToken(token) {
  const seq = ++authSeq;
  currentToken = token;
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
  let res;
  try {
    res = await api("/api/session", { method: "POST", token });
  } catch {
    if (seq === authSeq) formStatus("Cannot reach the comment server; your sign-in is not verified yet.");
    return;
  }
  if (seq !== authSeq) return; // a newer token or a logout arrived meanwhile
  if (res.ok && res.data && res.data.user) {
    session = res.data;
    renderUser({ ...res.data.user }, { verified: true, canSignOut: !!res.data.canSignOut });
    return;
  }
  const code = (res.data && res.data.code) || "TOKEN_REJECTED";
  rejectCurrentToken(code, res.data && res.data.message);
}

function rejectCurrentToken(code, message) {
  authSeq++;
  currentToken = null;
  renderSignedOut();
  showAuthError(code, message);
  if (client) {
    try {
      client.rejectToken(code);
    } catch (e) {
      console.error("stream: rejectToken failed", e);
    }
  }
}

function onLogin(token) {
  if (typeof token !== "string" || !token) return;
  if (token === currentToken && session) return; // same token again: nothing to do
  verifyToken(token);
}

function onLogout() {
  authSeq++;
  // After a rejection the token is already gone: keep its error visible.
  if (currentToken) clearAuthError();
  currentToken = null;
  renderSignedOut();
}

async function onSignOutClick(event) {
  event.preventDefault();
  const token = currentToken;
  authSeq++;
  currentToken = null;
  renderSignedOut();
  if (token) {
    try {
      await api("/api/session", { method: "DELETE", token });
    } catch {
      /* signed out locally anyway */
    }
  }
  if (client) {
    client.emit("signOut.success", {});
    client.signOut();
  }
}

// ------------------------------------------------------------------ comments

function timeLabel(secs) {
  const d = new Date(secs * 1000);
  const ago = Math.round((Date.now() - d.getTime()) / 1000);
  if (ago < 45) return "just now";
  if (ago < 3600) return Math.round(ago / 60) + " min ago";
  if (ago < 86400) return Math.round(ago / 3600) + " h ago";
  return d.toLocaleDateString();
}

function renderComment(c) {
  const li = el("li", { class: "comment", "data-id": String(c.id) });
  const meta = el("div", { class: "comment-meta" });
  meta.append(el("span", { class: "comment-author" }, c.author.username));
  if (c.author.role && c.author.role !== "COMMENTER") {
    meta.append(el("span", { class: "role" }, c.author.role.toLowerCase()));
  }
  for (const b of c.author.badges || []) meta.append(el("span", { class: "badge" }, b));
  const t = el("time", { class: "comment-time", datetime: new Date(c.createdAt * 1000).toISOString() }, timeLabel(c.createdAt));
  // Permalink: the host puts ?commentID= in the publisher's URL (pushState).
  const link = el("a", { class: "permalink", href: "#comment-" + c.id, title: "Link to this comment" });
  link.append(t);
  link.addEventListener("click", (ev) => {
    ev.preventDefault();
    highlight(String(c.id));
    if (client) client.setCommentID(String(c.id));
  });
  meta.append(link);
  li.append(meta, el("p", { class: "comment-body" }, c.body));
  return li;
}

let permalinkID = params.get("commentID") || null;

/** Marks the permalinked comment (or none) and scrolls it into view. */
function highlight(id) {
  permalinkID = id || null;
  for (const li of document.querySelectorAll("#comments > li.comment")) {
    const on = li.dataset.id === permalinkID;
    li.classList.toggle("highlighted", on);
    if (on) li.scrollIntoView({ block: "nearest" });
  }
}

function setCount(n) {
  $("comment-count").textContent = n ? "(" + n + ")" : "";
  $("no-comments").hidden = n > 0;
}

async function loadComments() {
  const seq = ++commentsSeq;
  if (!story.storyID && !story.storyURL) {
    setCount(0);
    return;
  }
  const q = new URLSearchParams();
  if (story.storyID) q.set("storyID", story.storyID);
  if (story.storyURL) q.set("storyURL", story.storyURL);
  try {
    const res = await api("/api/comments?" + q);
    if (seq !== commentsSeq) return;
    if (!res.ok) {
      formStatus("Could not load comments (" + ((res.data && res.data.code) || res.status) + ").");
      return;
    }
    $("comments").replaceChildren(...res.data.comments.map(renderComment));
    if (permalinkID) highlight(permalinkID);
    setCount(res.data.count);
  } catch {
    if (seq === commentsSeq) formStatus("Could not load comments.");
  }
}

async function onSubmit(event) {
  event.preventDefault();
  const box = $("comment-body");
  const text = box.value.trim();
  if (!currentToken) {
    formStatus("Sign in to post — your comment stays here.");
    loginPrompt();
    return;
  }
  if (!text) {
    formStatus("Write something first.");
    box.focus();
    return;
  }
  const token = currentToken;
  const button = $("post-comment");
  button.disabled = true;
  formStatus("Posting…");
  try {
    const res = await api("/api/comments", {
      method: "POST",
      token,
      body: { storyID: story.storyID || undefined, storyURL: story.storyURL || undefined, body: text },
    });
    if (res.ok && res.data && res.data.comment) {
      // Only a successful post clears the draft (and only if unchanged meanwhile).
      if (box.value.trim() === text) box.value = "";
      formStatus("Posted.");
      $("comments").prepend(renderComment(res.data.comment));
      $("no-comments").hidden = true;
      loadComments();
      if (client) client.emit("createComment.success", { id: res.data.comment.id });
      return;
    }
    const code = (res.data && res.data.code) || "HTTP_" + res.status;
    if (isTokenError(code) && token === currentToken) {
      formStatus("Your comment was not posted; it is still here.");
      rejectCurrentToken(code, res.data && res.data.message);
    } else {
      formStatus((res.data && res.data.message) || "Could not post (" + code + ").");
    }
    if (client) client.emit("createComment.error", { code });
  } catch {
    formStatus("Could not reach the comment server; your comment is still here.");
  } finally {
    button.disabled = false;
  }
}

// ------------------------------------------------------------------ config

function onConfig(config) {
  if (!config || typeof config !== "object") return;
  const id = typeof config.storyID === "string" ? config.storyID : story.storyID;
  const url = typeof config.storyURL === "string" ? config.storyURL : story.storyURL;
  if (id !== story.storyID || url !== story.storyURL) {
    story.storyID = id;
    story.storyURL = url;
    loadComments();
  }
  if (typeof config.containerClassName === "string" && config.containerClassName.trim()) {
    for (const c of config.containerClassName.trim().split(/\s+/)) document.body.classList.add(c);
  }
  if (typeof config.customCSSURL === "string" && /^https?:\/\//.test(config.customCSSURL)) {
    if (!document.querySelector('link[data-custom-css="' + CSS.escape(config.customCSSURL) + '"]')) {
      const link = el("link", { rel: "stylesheet", href: config.customCSSURL, "data-custom-css": config.customCSSURL });
      document.head.append(link);
    }
  }
}

// ------------------------------------------------------------------ start

function markReady() {
  if (readySent || !client) return;
  readySent = true;
  $("stream").setAttribute("aria-busy", "false");
  client.ready();
}

async function main() {
  if (window.parent === window) {
    $("stream").hidden = true;
    $("not-embedded").hidden = false;
    return;
  }
  renderSignedOut();
  $("sign-in").addEventListener("click", loginPrompt);
  $("comment-form").addEventListener("submit", onSubmit);
  const firstLoad = loadComments();
  try {
    await init();
  } catch (e) {
    console.error("stream: could not load the stream client", e);
    formStatus("Could not load the stream client.");
    return;
  }
  client = connect({
    onConfig(config) {
      try {
        onConfig(config);
      } catch (e) {
        console.error("stream: onConfig", e);
      }
    },
    onLogin,
    onLogout,
    onCommentID: (id) => highlight(id),
  });
  // A token may already be there (config.accessToken) before callbacks fired.
  if (client.token && client.token !== currentToken) onLogin(client.token);
  await firstLoad;
  markReady();
}

main();
