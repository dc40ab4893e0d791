// Coral's comment-count script (coralproject/talk docs/docs/counts.md), for
// pages such as homepages that show counts but no stream:
//   <script class="coral-script" src="//STREAM_HOST/assets/js/count.js" defer></script>
//   <span class="coral-count" data-coral-id="…" data-coral-url="…" data-coral-notext="true"></span>
// It fills every .coral-count element with Coral's markup and offers
// window.CoralCount {setCount, getCount({reset}), reload}. Unlike Coral's,
// which sends one JSONP request per element, it asks for all of a page's
// stories in one request (/api/story/counts.js; a new request only every
// 100 stories or 6 KiB of query). The server decides what is malformed
// and what a count says; this file only applies the answers.
//
// The publisher page is hostile too: page HTML can shadow document and
// form properties (DOM clobbering), so every DOM call goes through the
// prototypes, and the API origin comes only from the script element that
// is running (never from a selector that injected HTML could match).
(function () {
  "use strict";
  var W = window;
  var D = document;
  var prior = W.CoralCount;
  if (prior && typeof prior.setCount === "function") return; // already running

  // Must match server/src/story_count.rs (a server test checks both).
  var MAX_STORIES = 100;
  var MAX_QUERY = 6144;
  var MAX_STORY_LEN = 2048;

  var DOC = Document.prototype;
  var EL = Element.prototype;
  var getter = function (proto, name) {
    return Object.getOwnPropertyDescriptor(proto, name).get;
  };
  var qsa = DOC.querySelectorAll;
  var create = DOC.createElement;
  var getAttr = EL.getAttribute;
  var setAttr = EL.setAttribute;
  var replace = EL.replaceChildren;
  var warn = function (text) {
    console.warn("Coral count.js: " + text);
  };

  var me = getter(DOC, "currentScript").call(D);
  var src = me && me.src;
  if (typeof src !== "string" || !src) {
    warn("load it with a classic <script src> tag; no counts were loaded.");
    return;
  }
  // Coral's rule: the API lives where /assets/js/count.js came from.
  var api = src.split("/assets/js/")[0] + "/api/story/counts.js?callback=CoralCount.setCount";
  var root = getter(DOC, "documentElement").call(D);

  /** "id=…" or "url=…" (as sent) → the elements waiting for that count. */
  var waiting = new Map();

  function attr(el, name) {
    return getAttr.call(el, name);
  }

  function pageURL() {
    var link = qsa.call(D, 'link[rel="canonical"]')[0];
    return (link && link.href) || location.origin + location.pathname;
  }

  function render(el, count, text) {
    if (typeof count !== "number") return;
    var num = create.call(D, "span");
    num.className = "coral-count-number";
    num.textContent = count;
    if (attr(el, "data-coral-notext") === "true") {
      replace.call(el, num);
    } else {
      var words = create.call(D, "span");
      words.className = "coral-count-text";
      words.textContent = text;
      replace.call(el, num, " ", words);
    }
    setAttr.call(el, "data-coral-count", count);
  }

  function request(query, reset) {
    var s = create.call(D, "script");
    s.src = api + query + (reset ? "&d=" + Date.now() : "");
    s.onload = s.onerror = function (event) {
      s.remove();
      if (event.type === "error") warn("the count request failed; the counts were left as they were.");
    };
    root.appendChild(s);
  }

  /** Coral's getCount: counts for the elements not done yet, or all with {reset: true}. */
  function getCount(opts) {
    var reset = false;
    try {
      reset = !!(opts && Object.prototype.hasOwnProperty.call(opts, "reset") && opts.reset);
    } catch (e) {}
    var keys = new Set();
    var tooLong = 0;
    var list = qsa.call(D, ".coral-count");
    for (var i = 0; i < list.length; i++) {
      var el = list[i];
      if (attr(el, "data-coral-ref") && !reset) continue;
      var id = attr(el, "data-coral-id");
      var url = attr(el, "data-coral-url");
      if (!url) {
        url = pageURL();
        setAttr.call(el, "data-coral-url", url);
      }
      // Coral's ref: base64 of the URL's UTF-8 bytes.
      setAttr.call(el, "data-coral-ref", btoa(unescape(encodeURIComponent(url))));
      var value = id || url;
      if (value.length > MAX_STORY_LEN) {
        tooLong++;
        continue;
      }
      var key = (id ? "id=" : "url=") + encodeURIComponent(value);
      if (!waiting.has(key)) waiting.set(key, []);
      waiting.get(key).push(el);
      keys.add(key);
    }
    if (tooLong) warn("ignored " + tooLong + " .coral-count element(s) whose id or URL is over " + MAX_STORY_LEN + " characters.");
    var query = "";
    var n = 0;
    keys.forEach(function (key) {
      if (n === MAX_STORIES || (n && query.length + key.length + 1 > MAX_QUERY)) {
        request(query, reset);
        query = "";
        n = 0;
      }
      query += "&" + key;
      n++;
    });
    if (n) request(query, reset);
  }

  function textOf(html) {
    return new DOMParser().parseFromString(String(html), "text/html").body.textContent;
  }

  /** The JSONP callback: our batch answer, or Coral's per-element one ({ref, count, textHtml}). */
  function setCount(data) {
    if (!data || typeof data !== "object") return;
    if (Array.isArray(data.counts)) {
      var refused = [];
      data.counts.forEach(function (item) {
        var named = "id" in item ? "id" : "url";
        var els = waiting.get(named + "=" + encodeURIComponent(item[named])) || [];
        if (item.error) refused.push(item.error + " " + JSON.stringify(item[named]));
        else els.forEach(function (el) { render(el, item.count, item.text); });
      });
      if (refused.length) warn("ignored " + refused.length + " .coral-count element(s): " + refused.join(", "));
    } else if (typeof data.ref === "string") {
      var text = typeof data.text === "string" ? data.text : textOf(data.textHtml);
      var all = qsa.call(D, ".coral-count");
      for (var i = 0; i < all.length; i++) {
        if (attr(all[i], "data-coral-ref") === data.ref) render(all[i], data.count, text);
      }
    }
  }

  W.CoralCount = {
    setCount: setCount,
    getCount: getCount,
    reload: function () {
      getCount();
    },
  };
  if (getter(DOC, "readyState").call(D) === "loading") {
    EventTarget.prototype.addEventListener.call(D, "DOMContentLoaded", function () {
      getCount();
    });
  } else {
    getCount();
  }
})();
