// Sign-in through the options: `handleLoginCallback: true` takes the token
// the login page sent back in `#jwt=…` (if it carries this tab's login
// nonce) when the embed is created. A publisher that already holds a token
// (from its own session) passes it as `accessToken` instead.
(function () {
  "use strict";
  var token = demo.peekToken();
  var embed = Coral.createStreamEmbed({
    id: "coral_thread",
    autoRender: true,
    storyID: "story-2",
    handleLoginCallback: true,
    events: function (events) {
      demo.wire(events, "/options.html");
      events.on("authState", function (state) {
        if (state.loggedIn && token) demo.accept(token);
      });
    },
  });
  window.embed = embed;
  demo.wireLogin("/options.html");

  document.getElementById("publisher-logout").addEventListener("click", function () {
    demo.forget();
    embed.logout();
  });
})();
