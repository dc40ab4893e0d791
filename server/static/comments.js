// @ts-check
// The comment list and the form. The textarea is never re-rendered, so a
// draft survives login, logout and token changes.

import { $, api, control, el, formStatus, page, params } from "./state.js";
import { commentCount, deprecatedMutation, emit, loginPrompt, networkEvent } from "./coral-events.js";
import { isTokenError, rejectCurrentToken } from "./auth.js";

let commentsSeq = 0;
let permalinkID = params.get("commentID") || null;
/**
 * @typedef {object} Comment
 * @property {number} id
 * @property {string} body
 * @property {number} createdAt Unix seconds.
 * @property {{username: string, badges?: string[], role?: string | null}} author
 */

/** The comments as the server listed them (newest first). @type {Comment[]} */
let listed = [];
/** Coral's order names; the server lists newest first. */
let orderBy = "CREATED_AT_DESC";

/** @param {number} secs */
function timeLabel(secs) {
  const d = new Date(secs * 1000);
  const ago = Math.round((Date.now() - d.getTime()) / 1000);
  if (ago < 45) return "just now";
  if (ago < 3600) return Math.round(ago / 60) + " min ago";
  if (ago < 86400) return Math.round(ago / 3600) + " h ago";
  return d.toLocaleDateString();
}

/** The publisher's URL of a comment: the story URL with `?commentID=` (Coral's permalink). */
/** @param {string} id */
function permalinkURL(id) {
  try {
    const u = new URL(page.story.storyURL);
    u.searchParams.set("commentID", id);
    return u.href;
  } catch {
    return "";
  }
}

/**
 * @param {HTMLInputElement} input
 * @param {string} id
 * @param {HTMLElement} button
 */
async function copyLink(input, id, button) {
  let copied = false;
  try {
    await navigator.clipboard.writeText(input.value);
    copied = true;
  } catch {
    input.select();
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
  }
  button.textContent = copied ? "Copied" : "Select and copy";
  emit("copyPermalink", { commentID: id });
}

/** Coral's share popover: showSharePopover, then copyPermalink from its button. */
/**
 * @param {HTMLElement} li
 * @param {string} id
 * @param {HTMLElement} button
 */
function toggleShare(li, id, button) {
  const open = li.querySelector(".share-box");
  button.setAttribute("aria-expanded", open ? "false" : "true");
  if (open) {
    open.remove();
    return;
  }
  emit("showSharePopover", { commentID: id });
  const input = /** @type {HTMLInputElement} */ (
    el("input", { class: "share-url", readonly: "", value: permalinkURL(id), "aria-label": "Link to this comment" })
  );
  const copy = el("button", { type: "button", class: "button copy" }, "Copy link");
  copy.addEventListener("click", () => copyLink(input, id, copy));
  const box = el("div", { class: "share-box" });
  box.append(input, copy);
  li.append(box);
}

/** @param {Comment} c */
function renderComment(c) {
  const id = String(c.id);
  const li = el("li", { class: "comment", "data-id": id });
  const meta = el("div", { class: "comment-meta" });
  meta.append(el("span", { class: "comment-author" }, c.author.username));
  if (c.author.role && c.author.role !== "COMMENTER") {
    meta.append(el("span", { class: "role" }, c.author.role.toLowerCase()));
  }
  for (const b of c.author.badges || []) meta.append(el("span", { class: "badge" }, b));
  const t = el("time", { class: "comment-time", datetime: new Date(c.createdAt * 1000).toISOString() }, timeLabel(c.createdAt));
  // Permalink: the host puts ?commentID= in the publisher's URL (pushState).
  const link = el("a", { class: "permalink", href: "#comment-" + id, title: "Link to this comment" });
  link.append(t);
  link.addEventListener("click", (ev) => {
    ev.preventDefault();
    highlight(id);
    emit("viewConversation", { from: "COMMENT_STREAM", commentID: id });
    if (page.client) page.client.setCommentID(id);
  });
  const share = el("button", { type: "button", class: "link share", "aria-expanded": "false" }, "Share");
  share.addEventListener("click", () => toggleShare(li, id, share));
  meta.append(link, share);
  li.append(meta, el("p", { class: "comment-body" }, c.body));
  return li;
}

function renderList() {
  const ordered = orderBy === "CREATED_AT_ASC" ? listed.slice().reverse() : listed;
  $("comments").replaceChildren(...ordered.map(renderComment));
  if (permalinkID) highlight(permalinkID);
}

/** Marks the permalinked comment (or none) and scrolls it into view. */
/** @param {string | null} id */
export function highlight(id) {
  permalinkID = id || null;
  $("view-full").hidden = !permalinkID;
  const items = /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("#comments > li.comment"));
  for (const li of items) {
    const on = li.dataset.id === permalinkID;
    li.classList.toggle("highlighted", on);
    if (on) li.scrollIntoView({ block: "nearest" });
  }
}

/** Coral's "View full discussion": leave the permalink. */
function viewFullDiscussion() {
  emit("viewFullDiscussion", { commentID: permalinkID });
  highlight(null);
  if (page.client) page.client.setCommentID(null);
}

/** @param {string} value */
function setOrder(value) {
  if (value === orderBy || (value !== "CREATED_AT_ASC" && value !== "CREATED_AT_DESC")) return;
  orderBy = value;
  emit("setCommentsOrderBy", { orderBy });
  renderList();
}

/** @param {number} n */
function setCount(n) {
  page.count = n;
  $("comment-count").textContent = n ? "(" + n + ")" : "";
  $("no-comments").hidden = n > 0;
  commentCount(n);
}

export async function loadComments() {
  const seq = ++commentsSeq;
  if (!page.story.storyID && !page.story.storyURL) {
    setCount(0);
    return;
  }
  const q = new URLSearchParams();
  if (page.story.storyID) q.set("storyID", page.story.storyID);
  if (page.story.storyURL) q.set("storyURL", page.story.storyURL);
  try {
    const res = await api("/api/comments?" + q);
    if (seq !== commentsSeq) return;
    if (!res.ok) {
      formStatus("Could not load comments (" + ((res.data && res.data.code) || res.status) + ").");
      return;
    }
    listed = res.data.comments;
    renderList();
    setCount(res.data.count);
  } catch {
    if (seq === commentsSeq) formStatus("Could not load comments.");
  }
}

/** @param {Event} event */
async function onSubmit(event) {
  event.preventDefault();
  const box = control("comment-body");
  const text = box.value.trim();
  if (!page.token) {
    formStatus("Sign in to post — your comment stays here.");
    loginPrompt();
    return;
  }
  if (!text) {
    formStatus("Write something first.");
    box.focus();
    return;
  }
  const token = page.token;
  const button = control("post-comment");
  button.disabled = true;
  formStatus("Posting…");
  const input = { storyID: page.story.storyID || null, body: text };
  deprecatedMutation("createComment", input);
  const done = networkEvent("createComment", input);
  try {
    const res = await api("/api/comments", {
      method: "POST",
      token,
      body: { storyID: page.story.storyID || undefined, storyURL: page.story.storyURL || undefined, body: text },
    });
    if (res.ok && res.data && res.data.comment) {
      // Only a successful post clears the draft (and only if unchanged meanwhile).
      if (box.value.trim() === text) box.value = "";
      formStatus("Posted.");
      listed = [res.data.comment, ...listed.filter((c) => c.id !== res.data.comment.id)];
      renderList();
      setCount((page.count || 0) + 1);
      $("no-comments").hidden = true;
      // Comments are published at once: Coral's status for that is NONE.
      done.success({ id: String(res.data.comment.id), status: "NONE" });
      loadComments();
      return;
    }
    const code = (res.data && res.data.code) || "HTTP_" + res.status;
    const message = (res.data && res.data.message) || "Could not post (" + code + ").";
    if (isTokenError(code) && token === page.token) {
      formStatus("Your comment was not posted; it is still here.");
      rejectCurrentToken(code, res.data && res.data.message);
    } else {
      formStatus(message);
    }
    done.error({ message, code });
  } catch {
    formStatus("Could not reach the comment server; your comment is still here.");
    done.error({ message: "Could not reach the comment server." });
  } finally {
    button.disabled = false;
  }
}

/** Wires the form, the order menu and the permalink bar. */
export function wireComments() {
  $("comment-form").addEventListener("submit", onSubmit);
  $("comment-body").addEventListener("focus", () => emit("createCommentFocus"));
  const sort = control("sort");
  sort.addEventListener("change", () => setOrder(sort.value));
  $("view-full").addEventListener("click", viewFullDiscussion);
  $("view-full").hidden = !permalinkID;
}
