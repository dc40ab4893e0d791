// A front-page story (/story.html?story=story-3): its stream, and its count
// badge next to the kicker (count.js fills it; the embed updates it live).
(function () {
  "use strict";
  var TITLES = {
    "story-3": "The lighthouse keeper's last logbook",
    "story-4": "Council votes on the ferry timetable",
  };
  var id = new URLSearchParams(location.search).get("story");
  if (!Object.prototype.hasOwnProperty.call(TITLES, id)) id = "story-3";
  document.getElementById("story-title").textContent = TITLES[id];
  document.getElementById("story-name").textContent = id;
  document.title = "The Daily Demo — " + TITLES[id];
  document.getElementById("story-count").setAttribute("data-coral-id", id);
  document.getElementById("publisher-login").href = "/login?return=" + encodeURIComponent(location.pathname + location.search);

  var embed = Coral.createStreamEmbed({
    id: "coral_thread",
    autoRender: true,
    storyID: id,
    events: function (events) {
      demo.wire(events, location.pathname + location.search);
    },
  });
  window.embed = embed;
  demo.peekToken();
  Coral.handleLoginCallback(embed);
  document.getElementById("publisher-logout").addEventListener("click", function () {
    demo.forget();
    embed.logout();
  });
})();
