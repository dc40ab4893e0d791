// Article page: the login-callback path (Spoke's TOKEN_AUTH_URL flow) and
// `embed.login(token)` / `embed.logout()`.
(function () {
  "use strict";
  var embed = Coral.createStreamEmbed({
    id: "coral_thread",
    autoRender: true,
    storyID: "story-1",
    events: function (events) {
      demo.wire(events, "/");
    },
  });
  window.embed = embed;

  // The login page redirected back here with #jwt=<token>: sign in with it
  // and take it out of the address bar (history.replaceState).
  demo.peekToken();
  Coral.handleLoginCallback(embed);

  document.getElementById("publisher-logout").addEventListener("click", function () {
    demo.forget();
    // Logout the user.
    embed.logout();
  });
})();
