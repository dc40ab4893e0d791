// The embed's event emitter against the shipped build (issue 14): Coral
// creates an EventEmitter2 with `{wildcard: true, delimiter: "."}` and its
// docs (docs/docs/events.md) use wildcards, onAny and any EventEmitter2
// method. Every method is driven here on the emitter the `events` option
// receives (which is also the embed handle), with local `emit`s and with
// real events from the stream.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useStack, mintToken, streamFrame, waitAuth } from "./harness.mjs";

let server, browser, pages;
useStack((stack) => ({ server, browser, pages } = stack));

let n = 0;
async function open(body) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const path = `/emitter-${++n}.html`;
  pages.set(path, `<!doctype html><meta charset="utf-8"><title>emitter</title><div id="coral_thread"></div>
    <script src="${server.stream}/embed.js"></script>${body}`);
  await page.goto(pages.origin + path);
  return { page, context, errors };
}

test("every EventEmitter2 method on the emitter, with wildcards (local emit)", async () => {
  const { page, context, errors } = await open(`<script>
    window.embed = Coral.createStreamEmbed({ id: "coral_thread", storyID: "emitter",
      events: function (e) { window.em = e; } });
  </script>`);
  const r = await page.evaluate(() => {
    const log = [];
    const f = (tag) => function (...a) { log.push([tag, this.event, ...a]); };
    const fa = f("a"), fb = f("b"), fc = f("c"), fd = f("d"), any = f("any"), any0 = f("any0");
    const out = {};
    // Chaining returns the emitter; on and addListener are one method.
    out.chain = em.on("x.y", fa) === em && em.addListener("x.*", fb) === em;
    em.prependListener("x.y", fc);
    em.once("**.y", fd);
    em.onAny(any);
    em.prependAny(any0);
    out.emit1 = em.emit("x.y", 1, 2);
    out.emit2 = em.emit("x.y", 3);
    out.none = em.emit("nothing.here");
    out.names = em.eventNames();
    out.count = em.listenerCount("x.y");
    out.has = [em.hasListeners("x.z"), em.hasListeners("q")];
    out.listeners = em.listeners("x.y").map((g) => [fa, fb, fc, fd].indexOf(g));
    out.any = em.listenersAny().map((g) => [any, any0].indexOf(g));
    em.offAny(any0);
    em.many("m", 2, fa);
    em.prependMany("m", 1, fb);
    em.prependOnceListener("m", fc);
    em.emit("m");
    em.emit("m");
    em.emit("m");
    // off by a wildcard name reaches the concrete pattern; removeListener is off.
    em.removeListener("x.*", fb);
    em.off("x.*", fa);
    out.after = em.listeners("x.y").map((g) => [fa, fb, fc, fd].indexOf(g));
    em.removeAllListeners("x.y");
    out.cleared = em.listenerCount("x.y");
    em.on("p.q", fa);
    em.removeAllListeners();
    out.all = [em.eventNames().length, em.listenersAny().length];
    em.offAny();
    out.noAny = em.listenersAny().length;
    out.max = em.setMaxListeners(1) === em;
    out.errors = [];
    for (const bad of [() => em.on("", fa), () => em.on("x", 1), () => em.many("x", 0, fa), () => em.emit(5)])
      try { bad(); out.errors.push("no throw"); } catch (e) { out.errors.push(e.code); }
    return { out, log };
  });
  assert.deepEqual(r.out, {
    chain: true,
    emit1: true,
    emit2: true,
    none: true, // the onAny listeners ran
    names: ["x.y", "x.*"], // the once listener on `**.y` is gone
    count: 3,
    has: [true, false],
    listeners: [2, 0, 1],
    any: [1, 0],
    after: [2],
    cleared: 0,
    all: [0, 1],
    noAny: 0,
    max: true,
    errors: ["INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT"],
  });
  assert.deepEqual(r.log, [
    // emit("x.y", 1, 2): onAny first (prepended first), then by registration, prepended first.
    ["any0", "x.y", "x.y", 1, 2], ["any", "x.y", "x.y", 1, 2],
    ["c", "x.y", 1, 2], ["a", "x.y", 1, 2], ["b", "x.y", 1, 2], ["d", "x.y", 1, 2],
    // once: d is gone.
    ["any0", "x.y", "x.y", 3], ["any", "x.y", "x.y", 3], ["c", "x.y", 3], ["a", "x.y", 3], ["b", "x.y", 3],
    ["any0", "nothing.here", "nothing.here"], ["any", "nothing.here", "nothing.here"],
    // m: prependOnce c, prependMany(1) b, many(2) a.
    ["any", "m", "m"], ["c", "m"], ["b", "m"], ["a", "m"],
    ["any", "m", "m"], ["a", "m"],
    ["any", "m", "m"],
  ]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("wildcard listeners hear the stream's events, and the publisher's own emits", async () => {
  const bob = await mintToken(server, { user: "bob" });
  const { page, context } = await open(`<script>
    window.seen = [];
    window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "emitter-2",
      accessToken: ${JSON.stringify(bob)},
      events: function (e) {
        e.on("createComment.*", function (d) { seen.push(["cc", this.event, d.body]); });
        e.on("**.success", function () { seen.push(["ok", this.event]); });
        e.on("*", function () { seen.push(["one", this.event]); });
      } });
  </script>`);
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in", "bob");
  await page.evaluate(() => window.embed.emit("loginPrompt", { local: true }));
  await frame.fill("#comment-body", "wild");
  await frame.click("#post-comment");
  await page.waitForFunction(() => seen.some((s) => s[0] === "cc"), null, { timeout: 10000 });
  const seen = await page.evaluate(() => window.seen);
  assert.deepEqual(seen.filter((s) => s[0] === "cc"), [["cc", "createComment.success", "wild"]]);
  assert.ok(seen.some((s) => s[0] === "ok" && s[1] === "createComment.success"));
  assert.ok(seen.some((s) => s[0] === "one" && s[1] === "loginPrompt"), "the local emit reached the page's listener");
  assert.ok(!seen.some((s) => s[0] === "one" && s[1].includes(".")), "`*` is one segment only");
  await context.close();
});
