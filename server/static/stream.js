// @ts-check
// The stream page inside the iframe (served at /embed/stream).
//
// It talks to the publisher page only through the stream client
// (/stream/stream_client.js) and to the server only with
// `Authorization: Bearer <token>` (no cookies). Modules: state.js (shared
// state, API), auth.js (who is signed in), comments.js (list and form),
// coral-events.js (Coral's event names and payloads), amp.js (the AMP page).

import init, { connect } from "/stream/stream_client.js";
import { $, addStylesheet, formStatus, page } from "./state.js";
import { commentCount, loginPrompt } from "./coral-events.js";
import { onLogin, onLogout, renderSignedOut } from "./auth.js";
import { highlight, loadComments, wireComments } from "./comments.js";
import { startAmp } from "./amp.js";

// TOKEN_AUTH_URL (Spoke): where the publisher issues tokens; passed along
// with `loginPrompt` so a publisher handler may redirect there.
/** @param {string} name */
const meta = (name) => /** @type {HTMLMetaElement | null} */ (document.querySelector(`meta[name="${name}"]`))?.content || "";
page.tokenAuthURL = meta("token-auth-url");

/** How long the stream waits for the host's first `config` before it shows itself anyway. */
const CONFIG_WAIT_MS = 3000;
/** @type {() => void} */
let configured = () => {};
/** @type {Promise<void>} */
const firstConfig = new Promise((resolve) => (configured = resolve));

/** @param {import("./state.js").StreamConfig} config */
function onConfig(config) {
  if (!config || typeof config !== "object") return;
  page.config = config;
  const id = typeof config.storyID === "string" ? config.storyID : page.story.storyID;
  const url = typeof config.storyURL === "string" ? config.storyURL : page.story.storyURL;
  if (id !== page.story.storyID || url !== page.story.storyURL) {
    page.story.storyID = id;
    page.story.storyURL = url;
    loadComments();
  }
  if (typeof config.containerClassName === "string" && config.containerClassName.trim()) {
    for (const c of config.containerClassName.trim().split(/\s+/)) document.body.classList.add(c);
  }
  // Coral's order: default fonts (unless disableDefaultFonts), custom fonts, custom CSS.
  if (config.disableDefaultFonts === true) {
    const fonts = document.getElementById("default-fonts");
    if (fonts) fonts.remove();
  }
  addStylesheet(config.customFontsCSSURL, "custom-fonts");
  addStylesheet(config.customCSSURL, "custom-css");
  configured();
}

function markReady() {
  if (page.readySent || !page.client) return;
  page.readySent = true;
  $("stream").setAttribute("aria-busy", "false");
  page.client.ready();
}

async function main() {
  if (meta("stream-mode") === "amp") {
    wireComments();
    startAmp();
    return;
  }
  if (window.parent === window) {
    $("stream").hidden = true;
    $("not-embedded").hidden = false;
    return;
  }
  renderSignedOut();
  $("sign-in").addEventListener("click", () => loginPrompt());
  wireComments();
  const firstLoad = loadComments();
  try {
    await init();
  } catch (e) {
    console.error("stream: could not load the stream client", e);
    formStatus("Could not load the stream client.");
    return;
  }
  page.client = connect({
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
  if (page.client.token && page.client.token !== page.token) onLogin(page.client.token);
  await firstLoad;
  // Fonts and styles come with the first config: show the stream after it.
  await Promise.race([firstConfig, new Promise((r) => setTimeout(r, CONFIG_WAIT_MS))]);
  markReady();
  commentCount(page.count);
}

main();
