// @ts-check
// What the stream page's modules share: the page state, DOM helpers and the
// server API. The page talks to the server only with
// `Authorization: Bearer <token>` (no cookies).

/** @typedef {import("/stream/stream_client.js").StreamClient} StreamClient */
/** @typedef {import("/stream/stream_client.js").StreamConfig} StreamConfig */
/** @typedef {import("/stream/stream_client.js").Session} Session */
/** @typedef {import("/stream/stream_client.js").SessionUser} SessionUser */

/**
 * An element of the page's own markup (stream.html); a missing one is a bug.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function $(id) {
  const e = document.getElementById(id);
  if (!e) throw new Error("stream page: no #" + id);
  return e;
}

/**
 * A form control of the page's own markup.
 * @param {string} id
 * @returns {HTMLInputElement | HTMLTextAreaElement | HTMLButtonElement | HTMLSelectElement}
 */
export const control = (id) =>
  /** @type {HTMLInputElement | HTMLTextAreaElement | HTMLButtonElement | HTMLSelectElement} */ ($(id));

export const params = new URLSearchParams(location.search);

/**
 * @typedef {object} PageState
 * @property {StreamClient | null} client The stream client (stream/), once connected to the host.
 * @property {StreamConfig | null} config The host's settings, without the token (null until the first `config`).
 * @property {{storyID: string, storyURL: string}} story
 * @property {string | null} token The token we are showing (mirrors client.token).
 * @property {Session | null} session The server-verified session.
 * @property {number | undefined} count The story's comment count, once loaded.
 * @property {string} tokenAuthURL The server's TOKEN_AUTH_URL (Spoke), or "".
 * @property {boolean} readySent
 */

/** @type {PageState} */
export const page = {
  client: null,
  config: null,
  story: {
    storyID: params.get("storyID") || "",
    storyURL: params.get("storyURL") || "",
  },
  token: null,
  session: null,
  count: undefined,
  tokenAuthURL: "",
  readySent: false,
};

/**
 * @param {string} tag
 * @param {Record<string, string>} [props]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  if (text !== undefined) e.textContent = text;
  return e;
}

/** @param {string} [text] */
export function formStatus(text) {
  $("form-status").textContent = text || "";
}

/**
 * A JSON request to the stream server; throws only on network failure.
 * @param {string} path
 * @param {{method?: string, token?: string, body?: unknown}} [options]
 * @returns {Promise<{ok: boolean, status: number, data: any}>}
 */
export async function api(path, { method = "GET", token, body } = {}) {
  /** @type {Record<string, string>} */
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

/**
 * A stylesheet link in <head>, once per URL (http and https only).
 * @param {unknown} url
 * @param {string} kind
 */
export function addStylesheet(url, kind) {
  if (typeof url !== "string" || !/^https?:\/\//i.test(url)) return;
  const selector = "link[data-" + kind + '="' + CSS.escape(url) + '"]';
  if (document.querySelector(selector)) return;
  document.head.append(el("link", { rel: "stylesheet", href: url, ["data-" + kind]: url }));
}
