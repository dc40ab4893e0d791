// @ts-check
// The AMP page (/embed/stream/amp, Coral's path for <amp-iframe>): the
// story's comments, read only, with a link to join the conversation on the
// article. No host SDK runs on an AMP page, so there is no token and no
// stream client here; the page reports its height to the amp-iframe with
// AMP's `embed-size` message (it carries nothing else, so "*" is safe).

import { $, page } from "./state.js";
import { loadComments } from "./comments.js";

/** Coral's withAMPHeight never asks for less. */
const MIN_HEIGHT = 100;

export function startAmp() {
  document.body.dataset.mode = "amp";
  $("stream").setAttribute("aria-busy", "false");
  if (/^https?:\/\//i.test(page.story.storyURL)) {
    /** @type {HTMLAnchorElement} */ ($("amp-article")).href = page.story.storyURL;
    $("amp-join").hidden = false;
  }
  let last = -1;
  const report = () => {
    const height = Math.max(MIN_HEIGHT, Math.ceil(document.documentElement.getBoundingClientRect().height));
    if (height === last || window.parent === window) return;
    last = height;
    window.parent.postMessage({ sentinel: "amp", type: "embed-size", height }, "*");
  };
  new ResizeObserver(report).observe(document.documentElement);
  loadComments();
}
