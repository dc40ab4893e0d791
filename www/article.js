// Article page: the login-callback path (Spoke's TOKEN_AUTH_URL flow) and
// `embed.login(token)` / `embed.logout()`. `/?story=story-3` shows another
// story of the front page (/home.html) with the same page.
(function () {
  "use strict";
  var STORIES = {
    "story-3": ["The lighthouse keeper's last logbook", "Forty years of weather, one line a day."],
    "story-4": ["Council votes on the ferry timetable", "Three options, one late-night session, no ferries cancelled."],
  };
  var storyID = "story-1";
  var picked = new URLSearchParams(location.search).get("story");
  if (Object.prototype.hasOwnProperty.call(STORIES, picked)) {
    storyID = picked;
    document.title = "The Daily Demo — " + STORIES[picked][0];
    document.getElementById("headline").textContent = STORIES[picked][0];
    document.getElementById("lede").textContent = STORIES[picked][1];
    document.getElementById("story-name").textContent = picked;
    // count.js runs after this script (defer): the badge counts this story.
    document.getElementById("story-count").setAttribute("data-coral-id", picked);
  }
  var here = location.pathname + location.search;
  demo.wireLogin(here);

  var embed = Coral.createStreamEmbed({
    id: "coral_thread",
    autoRender: true,
    storyID: storyID,
    events: function (events) {
      demo.wire(events, here);
    },
  });
  window.embed = embed;

  // The login page redirected back here with #jwt=<token>: sign in with it
  // and take it out of the address bar (history.replaceState). The SDK
  // refuses a token without the nonce of the login this reader started
  // here (a link crafted elsewhere): LOGIN_CALLBACK_UNEXPECTED.
  var token = demo.peekToken();
  try {
    if (Coral.handleLoginCallback(embed)) demo.accept(token);
  } catch (e) {
    demo.log("loginCallbackRefused", { code: e.code });
  }

  document.getElementById("publisher-logout").addEventListener("click", function () {
    demo.forget();
    // Logout the user.
    embed.logout();
  });
})();
