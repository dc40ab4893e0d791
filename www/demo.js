// Shared helpers of the demo publisher pages (not part of the SDK).
// The publisher keeps its reader's token in sessionStorage, as a real site
// keeps its own session, and hands it to the embed on every page load.
(function () {
  "use strict";
  var KEY = "demo.jwt";
  var events = (window.demoEvents = []);

  function decode(token) {
    try {
      var p = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(decodeURIComponent(escape(atob(p))));
    } catch (e) {
      return null;
    }
  }

  function nameOf(token) {
    var c = token && decode(token);
    if (!c) return null;
    return (c.user && c.user.username) || c.username || c.name || c.sub || null;
  }

  function showUser() {
    var token = sessionStorage.getItem(KEY);
    var who = document.getElementById("publisher-user");
    var login = document.getElementById("publisher-login");
    var logout = document.getElementById("publisher-logout");
    var name = nameOf(token);
    if (who) who.textContent = name ? "signed in as " + name : "not signed in";
    if (login) login.hidden = !!name;
    if (logout) logout.hidden = !name;
  }

  function log(name, data) {
    events.push({ name: name, data: data });
    var list = document.getElementById("event-log");
    if (!list) return;
    var li = document.createElement("li");
    var text = name;
    try {
      if (data !== undefined) text += " " + JSON.stringify(data);
    } catch (e) {}
    li.textContent = text;
    list.appendChild(li);
  }

  window.demo = {
    /** The token from `#jwt=…` (then removed from the URL) or the stored one. */
    takeToken: function () {
      var m = /^#jwt=([^&]+)/.exec(location.hash);
      if (m) {
        var token = decodeURIComponent(m[1]);
        history.replaceState(null, "", location.pathname + location.search);
        sessionStorage.setItem(KEY, token);
      }
      showUser();
      return sessionStorage.getItem(KEY);
    },
    forget: function () {
      sessionStorage.removeItem(KEY);
      showUser();
    },
    /** Publisher-side handlers: the `events` option of createStreamEmbed. */
    wire: function (emitter, returnPath) {
      emitter.onAny(function (name, data) {
        log(name, data);
      });
      emitter.on("loginPrompt", function () {
        // Redirect the reader to the publisher's login page.
        location.href = "/login?return=" + encodeURIComponent(returnPath);
      });
      emitter.on("signOut.success", function () {
        window.demo.forget();
      });
      emitter.on("authError", function () {
        // The stream server rejected the token: drop it from our session.
        window.demo.forget();
      });
    },
    log: log,
  };
  showUser();
})();
