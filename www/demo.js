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
    /** The `#jwt=…` token, left in place (shown once the SDK accepts it). */
    peekToken: function () {
      var m = /^#jwt=([^&]+)/.exec(location.hash);
      return m ? decodeURIComponent(m[1]) : null;
    },
    /**
     * The login page's URL, with a fresh one-time nonce: the login page puts
     * it in the token's `nonce` claim, and `handleLoginCallback` accepts only
     * a token that carries it (a link crafted elsewhere cannot).
     */
    loginURL: function (returnPath) {
      return "/login?return=" + encodeURIComponent(returnPath) + "&nonce=" + Coral.createLoginNonce();
    },
    /** The `#jwt=…` token was accepted by the SDK: show its user. */
    accept: function (token) {
      current = token;
      showUser();
    },
    /** Makes the header's "Log in" link carry a fresh nonce when clicked. */
    wireLogin: function (returnPath) {
      var link = document.getElementById("publisher-login");
      if (link)
        link.addEventListener("click", function () {
          link.href = window.demo.loginURL(returnPath);
        });
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
        location.href = window.demo.loginURL(returnPath);
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
