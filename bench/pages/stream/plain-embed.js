// Plain-JS baseline for "time to stream": hand-written JavaScript doing what
// the SDK does on the publisher page, no more: create the same iframe (same
// src and attributes), accept the stream's hello only from that iframe's
// window and the pinned origin, answer with a MessageChannel port, send the
// config, reveal the iframe on `ready` and follow `height`.
(function (g) {
  "use strict";
  var base = document.currentScript.src;
  g.PlainEmbed = {
    create: function (o) {
      var root = o.rootURL || new URL(base).origin;
      var origin = new URL(root).origin;
      var q = new URLSearchParams();
      q.append("storyID", o.storyID);
      q.append("storyURL", location.origin + location.pathname);
      var f = document.createElement("iframe");
      f.src = root + "/embed/stream?" + q;
      f.title = "Comments";
      f.setAttribute("referrerpolicy", "no-referrer");
      f.setAttribute("scrolling", "no");
      f.setAttribute(
        "style",
        "display:block;width:1px;min-width:100%;height:0;border:0;overflow:hidden;visibility:hidden"
      );
      var port = null, fired = false;
      function onHello(ev) {
        var d = ev.data;
        if (ev.origin !== origin || ev.source !== f.contentWindow) return;
        if (!d || d.$streamEmbed !== 1 || d.t !== "hello") return;
        if (port) port.close();
        var ch = new MessageChannel();
        port = ch.port1;
        function onMessage(m) {
          if (!m || m.$streamEmbed !== 1) return;
          if (m.t === "ready") {
            f.style.removeProperty("visibility");
            if (!fired && (fired = true) && o.onReady) o.onReady();
          } else if (m.t === "height" && typeof m.height === "number") {
            f.style.height = Math.ceil(m.height) + "px";
          }
        }
        // One message, or a batch (an array) of them, as the protocol says.
        port.onmessage = function (e) {
          var d = e.data;
          if (Array.isArray(d)) d.forEach(onMessage);
          else onMessage(d);
        };
        f.contentWindow.postMessage({ $streamEmbed: 1, t: "welcome" }, origin, [ch.port2]);
        var cfg = { $streamEmbed: 1, t: "config", storyID: o.storyID, storyURL: q.get("storyURL") };
        cfg.disableDefaultFonts = false;
        cfg.enableDeprecatedEvents = false;
        cfg.canRefresh = false;
        if (o.accessToken) cfg.accessToken = o.accessToken;
        port.postMessage(cfg);
      }
      addEventListener("message", onHello);
      document.getElementById(o.id).appendChild(f);
      return {
        remove: function () {
          removeEventListener("message", onHello);
          if (port) port.close();
          f.remove();
        },
      };
    },
  };
})(window);
