// Article page: the `embed.login(token)` / `embed.logout()` path.
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

  var token = demo.takeToken();
  if (token) {
    // Login the current embed with the token from the publisher's login page.
    embed.login(token);
  }

  document.getElementById("publisher-logout").addEventListener("click", function () {
    demo.forget();
    // Logout the user.
    embed.logout();
  });
})();
