// Shared helpers of the demo publisher pages (not part of the SDK).
// The demo publisher keeps no session and stores no token anywhere: the
// token arrives in the URL fragment from the login page and lives only in
// memory. A real publisher issues a fresh token from its own session on
// every page load.
(function () {
  "use strict";
  var current = null;
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
    var token = current;
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
    /** The token from `#jwt=…`, removed from the URL (options page). */
    takeToken: function () {
      var token = window.demo.peekToken();
      if (token) history.replaceState(null, "", location.pathname + location.search);
      current = token;
      showUser();
      return token;
    },
    /** The `#jwt=…` token, left in place (for the header only). */
    peekToken: function () {
      var m = /^#jwt=([^&]+)/.exec(location.hash);
      current = m ? decodeURIComponent(m[1]) : current;
      showUser();
      return m ? current : null;
    },
    forget: function () {
      current = null;
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
