// Type-checks dist/types/embed.d.ts against typical publisher code
// (`npm test` runs `tsc -p tests/types`). The expect-error lines below
// must stay type errors.
import Coral, { createStreamEmbed, StreamEmbedError } from "../../dist/types/embed";

const embed = createStreamEmbed({
  id: "coral_thread",
  autoRender: true,
  storyID: "story-1",
  accessToken: "a.b.c",
  refreshAccessToken: (next) => next("d.e.f"),
  events: (events) => {
    events.on("loginPrompt", () => {});
    events.on("authError", (d) => console.log(d.code));
    events.onAny((name, data) => console.log(name, data));
    events.on("createComment.*", () => {}).many("x.**", 2, () => {});
    const n: number = events.listenerCount("x");
    const fired: boolean = events.emit("local", 1, 2);
  },
});
embed.login("token");
embed.logout();
const rendered: boolean = embed.rendered;
Coral.handleLoginCallback(embed);
const nonce: string = Coral.createLoginNonce();
const talk = Coral.Talk.render(document.body, { talk: "https://s/", auth_token: "t" });
talk.logout();
Coral.ready.then((c) => c.createStreamEmbed({}));
try {
  embed.render();
} catch (e) {
  const err = e as StreamEmbedError;
  if (err.code === "TOKEN_CLAIM_MISSING") console.log(err.claim);
}
// @ts-expect-error accessToken must be a string
createStreamEmbed({ accessToken: 42 });
// @ts-expect-error storyMode is an enum
createStreamEmbed({ storyMode: "CHAT" });
// @ts-expect-error rendered is read-only
embed.rendered = rendered;
window.Coral.createStreamEmbed({ id: "x" });
