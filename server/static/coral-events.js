// @ts-check
// Coral's viewer events, with Coral's names and payloads
// (coralproject/talk client/CLIENT_EVENTS.md and the stream code that emits
// them), for everything this stream does. The stream client forwards them
// to the publisher's `events` emitter.

import { page } from "./state.js";

/**
 * @param {string} name
 * @param {object} [data]
 */
export function emit(name, data) {
  if (page.client) page.client.emit(name, data);
}

/**
 * A viewer network event, as Coral's `createViewerNetworkEvent`: call
 * `success(result)` or `error({message, code})` when the UI has the answer;
 * the publisher gets `NAME.success` / `NAME.error` with `data`, `rtt` (ms
 * from the request to the UI update) and `success` or `error`.
 */
/**
 * @param {string} name
 * @param {object} [data]
 * @returns {{success: (value?: object) => void, error: (value?: {message: string, code?: string}) => void}}
 */
export function networkEvent(name, data = {}) {
  const start = performance.now();
  /**
   * @param {"success" | "error"} outcome
   * @param {object} [value]
   */
  const finish = (outcome, value) => {
    /** @type {Record<string, unknown>} */
    const payload = { ...data, rtt: Math.round(performance.now() - start) };
    if (value) payload[outcome] = value;
    emit(name + "." + outcome, payload);
  };
  return {
    success: (value) => finish("success", value),
    error: (value) => finish("error", value),
  };
}

/**
 * Coral's deprecated `mutation.NAME` event (the mutation's input), sent
 * only when the publisher passed `enableDeprecatedEvents: true`.
 */
/**
 * @param {string} name
 * @param {object} input
 */
export function deprecatedMutation(name, input) {
  if (page.config && page.config.enableDeprecatedEvents === true) emit("mutation." + name, input);
}

/**
 * The reader asked to sign in: Coral's ShowAuthPopup({view: "SIGN_IN"})
 * emits both. `loginPrompt` has no data, as Coral's, except the server's
 * TOKEN_AUTH_URL (Spoke) when it has one, for a handler to redirect to.
 */
export function loginPrompt() {
  emit("loginPrompt", page.tokenAuthURL ? { tokenAuthURL: page.tokenAuthURL } : undefined);
  emit("showAuthPopup", { view: "SIGN_IN" });
}

/** @type {string | null} */
let lastCount = null;

/**
 * `count.comments {number, text, storyID, storyURL}` when the count is known
 * and each time it changes (Coral's useCommentCountEvent), so the host can
 * update the page's `.coral-count` badges.
 */
/** @param {number | undefined} number */
export function commentCount(number) {
  if (typeof number !== "number") return;
  const data = {
    number,
    text: number === 1 ? "Comment" : "Comments",
    storyID: page.story.storyID || null,
    storyURL: page.story.storyURL || null,
  };
  const key = JSON.stringify(data);
  if (!page.client || key === lastCount) return;
  lastCount = key;
  emit("count.comments", data);
}
