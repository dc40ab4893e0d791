// What the stream page's modules share: the page state, DOM helpers and the
// server API. The page talks to the server only with
// `Authorization: Bearer <token>` (no cookies).

export const $ = (id) => document.getElementById(id);

export const params = new URLSearchParams(location.search);

export const page = {
  /** The stream client (stream/), once connected to the host. */
  client: null,
  /** The host's settings, without the token (null until the first `config`). */
  config: null,
  story: {
    storyID: params.get("storyID") || "",
    storyURL: params.get("storyURL") || "",
  },
  /** The token we are showing (mirrors client.token). */
  token: null,
  /** The server-verified session {profile, user, canSignOut}. */
  session: null,
};

export function el(tag, props = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  if (text !== undefined) e.textContent = text;
  return e;
}

export function formStatus(text) {
  $("form-status").textContent = text || "";
}

/** A JSON request to the stream server: {ok, status, data}; throws only on network failure. */
export async function api(path, { method = "GET", token, body } = {}) {
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

/** A stylesheet link in <head>, once per URL (http and https only). */
export function addStylesheet(url, kind) {
  if (typeof url !== "string" || !/^https?:\/\//i.test(url)) return;
  const selector = "link[data-" + kind + '="' + CSS.escape(url) + '"]';
  if (document.querySelector(selector)) return;
  document.head.append(el("link", { rel: "stylesheet", href: url, ["data-" + kind]: url }));
}
