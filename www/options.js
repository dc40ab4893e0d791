// The `accessToken`-in-options path: the publisher already has the token
// when it creates the embed.
(function () {
  "use strict";
  var token = demo.takeToken();
  var config = {
    id: "coral_thread",
    autoRender: true,
    storyID: "story-2",
    events: function (events) {
      demo.wire(events, "/options.html");
    },
  };
  if (token) config.accessToken = token;
  var embed = Coral.createStreamEmbed(config);
  window.embed = embed;

  document.getElementById("publisher-logout").addEventListener("click", function () {
    demo.forget();
    embed.logout();
  });
})();
