// End-to-end: comment counts (issue 15). Coral's count-script contract on a
// publisher page under the strict CSP README documents: 100 badges in one
// batched request, CoralCount.reload() and getCount({reset}), Coral's
// per-element JSONP answer, bad input, a failing server, the stream's
// `count.comments` event, and the demo front page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useStack, mintToken, streamFrame, recordConsole, waitAuth } from "./harness.mjs";

let server, browser, pages, csp, token;

useStack(async (stack) => {
  ({ server, browser, pages } = stack);
  // The demo publisher's own policy (README "Content Security Policy").
  csp = (await fetch(server.publisher + "/")).headers.get("content-security-policy");
  token = await mintToken(server, { user: "bob" });
  await seedHeadlines();
});

const articleURL = (i) => `https://news.example/articles/${i}/a-long-enough-headline-slug-for-story-${i}.html`;

/** Posts `n` comments to a story through the stream server's API. */
async function post(story, n) {
  for (let i = 0; i < n; i++) {
    const res = await fetch(server.stream + "/api/comments", {
      method: "POST",
      headers: { authorization: "Bearer " + token, "content-type": "application/json" },
      body: JSON.stringify({ ...story, body: "comment " + i }),
    });
    assert.equal(res.status, 201);
  }
}

let n = 0;
/** A publisher page under the demo CSP; records stream-origin requests, console and CSP violations. */
async function open(body, head = "") {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests = [];
  context.on("request", (r) => r.url().startsWith(server.stream) && requests.push(r.url()));
  const consoleLog = recordConsole(page);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
  });
  const path = `/counts-${++n}.html`;
  pages.set(path, `<!doctype html><html><head><meta charset="utf-8"><title>t</title>${head}</head><body>${body}</body></html>`, {
    "content-security-policy": csp,
  });
  await page.goto(pages.origin + path);
  return { page, context, requests, consoleLog };
}

const countScript = () => `<script class="coral-script" src="${server.stream}/assets/js/count.js" defer></script>`;
// (Through the prototypes: a test page shadows document and form properties.)
const filled = (page, sel = ".coral-count", timeout = 30000) =>
  page.waitForFunction(
    (s) =>
      [...Document.prototype.querySelectorAll.call(document, s)].every((e) =>
        Element.prototype.hasAttribute.call(e, "data-coral-count")
      ),
    sel,
    { timeout }
  );
const badges = (page) =>
  page.evaluate(() => {
    const attr = (e, n) => Element.prototype.getAttribute.call(e, n);
    return [...Document.prototype.querySelectorAll.call(document, ".coral-count")].map((e) => ({
      key: attr(e, "data-key"),
      count: attr(e, "data-coral-count"),
      html: Element.prototype.getHTML.call(e),
    }));
  });
const markup = (n, text = true) =>
  `<span class="coral-count-number">${n}</span>` + (text ? ` <span class="coral-count-text">${n === 1 ? "Comment" : "Comments"}</span>` : "");

// 100 headlines: 50 by storyID, 50 by URL only (of stories their articles
// embed by storyID, and of URL-only stories), counts 0..3, some notext.
const expected = [];
async function seedHeadlines() {
  for (let i = 0; i < 100; i++) {
    const count = i % 4;
    const byId = i % 2 === 0;
    const story = i % 3 === 0 ? { storyID: `s-${i}`, storyURL: articleURL(i) } : byId ? { storyID: `s-${i}` } : { storyURL: articleURL(i) };
    await post(story, count);
    expected.push({ i, count, attrs: byId ? `data-coral-id="s-${i}"` : `data-coral-url="${articleURL(i)}"`, notext: i % 5 === 0 });
  }
}

test("100 .coral-count elements under the strict CSP: every count right, 2 requests to the stream origin", async () => {
  const body = expected
    .map((e) => `<p><a href="/a/${e.i}">Headline ${e.i}</a> <span class="coral-count" data-key="${e.i}" ${e.attrs}${e.notext ? ' data-coral-notext="true"' : ""}></span></p>`)
    .join("\n");
  const { page, context, requests, consoleLog } = await open(body, countScript());
  await filled(page);
  const got = await badges(page);
  for (const e of expected) {
    const b = got.find((g) => g.key === String(e.i));
    assert.equal(b.count, String(e.count), `headline ${e.i}`);
    assert.equal(b.html, markup(e.count, !e.notext), `headline ${e.i}`);
  }
  assert.deepEqual(
    requests.map((u) => new URL(u).pathname),
    ["/assets/js/count.js", "/api/story/counts.js"],
    "count.js and one batch"
  );
  assert.equal(new URL(requests[1]).searchParams.getAll("id").length + new URL(requests[1]).searchParams.getAll("url").length, 100);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(consoleLog.filter((l) => l.type === "error" || l.type === "warning"), []);
  // Coral's attributes: the ref is base64 of the URL.
  const ref = await page.$eval('[data-key="1"]', (e) => [e.dataset.coralRef, e.dataset.coralUrl]);
  assert.equal(ref[0], Buffer.from(ref[1]).toString("base64"));
  await context.close();
});

test("CoralCount.reload() counts new elements only; getCount({reset: true}) refreshes all", async () => {
  await post({ storyID: "reload-1" }, 2);
  const { page, context, requests } = await open(
    `<span class="coral-count" data-coral-id="reload-1" data-coral-url="https://news.example/not-this-one"></span>`,
    `<link rel="canonical" href="https://news.example/front">` + countScript()
  );
  await filled(page);
  await page.evaluate(() => {
    for (const id of ["reload-1", "s-2"]) {
      const s = document.createElement("span");
      s.className = "coral-count";
      s.dataset.coralId = id;
      document.body.append(s);
    }
    CoralCount.reload();
  });
  await filled(page);
  // The id wins over the URL, as in Coral; an element without a URL gets the canonical one.
  assert.deepEqual((await badges(page)).map((b) => b.count), ["2", "2", "2"]);
  assert.equal(await page.$eval('[data-coral-id="s-2"]', (e) => e.dataset.coralUrl), "https://news.example/front");
  const second = new URL(requests.at(-1));
  assert.deepEqual(second.searchParams.getAll("id"), ["reload-1", "s-2"], "only the new elements' stories");
  assert.equal(second.searchParams.get("d"), null);
  assert.equal(requests.length, 3);

  await post({ storyID: "reload-1" }, 1);
  await page.evaluate(() => CoralCount.reload());
  await page.waitForTimeout(300);
  assert.equal(requests.length, 3, "reload() with nothing new asks for nothing");
  await page.evaluate(() => CoralCount.getCount({ reset: true }));
  await page.waitForFunction(() => document.querySelectorAll('.coral-count[data-coral-count="3"]').length === 2);
  assert.ok(new URL(requests.at(-1)).searchParams.get("d"), "reset busts caches, as Coral's");
  assert.equal(requests.length, 4);
  await context.close();
});

test("batch size: a new request every 100 stories or 6 KiB of query", async () => {
  const ids = Array.from({ length: 150 }, (_, i) => `<span class="coral-count" data-coral-id="batch-${i}"></span>`);
  const long = (i) => `https://news.example/${"section/".repeat(20)}story-${i}`;
  const urls = Array.from({ length: 60 }, (_, i) => `<span class="coral-count" data-coral-url="${long(i)}"></span>`);
  const { page, context, requests } = await open(ids.join("") + urls.join(""), countScript());
  await filled(page);
  const batches = requests.filter((u) => u.includes("/api/story/counts.js")).map((u) => new URL(u));
  const sizes = batches.map((u) => u.searchParams.getAll("id").length + u.searchParams.getAll("url").length);
  assert.equal(sizes.reduce((a, b) => a + b), 210);
  assert.ok(sizes.every((n) => n <= 100), String(sizes));
  assert.ok(batches.every((u) => u.search.length <= 6144 + 64), "query within the limit");
  assert.equal(sizes[0], 100, "short ids: 100 per request");
  // 60 URLs of ~250 encoded characters do not fit 6 KiB in one request.
  assert.ok(sizes.length >= 4, "long URLs split by query length: " + sizes);
  assert.deepEqual(
    (await badges(page)).map((b) => b.html),
    Array(210).fill(markup(0))
  );
  await context.close();
});

test("count.js as a module (no document.currentScript) warns once and asks nothing", async () => {
  const { page, context, requests, consoleLog } = await open(
    `<span class="coral-count" data-coral-id="s-1">as written</span>`,
    `<script type="module" src="${server.stream}/assets/js/count.js"></script>`
  );
  await page.waitForFunction(() => document.readyState === "complete");
  await page.waitForTimeout(300);
  assert.deepEqual(requests.map((u) => new URL(u).pathname), ["/assets/js/count.js"]);
  assert.equal(consoleLog.filter((l) => l.text.includes("classic <script src> tag")).length, 1);
  assert.equal(await page.$eval(".coral-count", (e) => e.textContent), "as written");
  await context.close();
});

test("bad input: unknown story counts 0; malformed elements are left alone with one warning; a failing server changes nothing", async () => {
  const { page, context, consoleLog } = await open(
    `<span class="coral-count" data-coral-id="never-commented">?</span>
     <span class="coral-count" data-coral-url="/relative/url">keep me</span>
     <span class="coral-count" data-coral-url="not a url">keep me too</span>`,
    countScript()
  );
  await filled(page, '[data-coral-id="never-commented"]');
  assert.equal(await page.$eval('[data-coral-id="never-commented"]', (e) => e.innerHTML), markup(0));
  await page.waitForTimeout(200);
  const texts = await page.$$eval("[data-coral-url]:not([data-coral-id])", (els) => els.map((e) => [e.textContent, e.hasAttribute("data-coral-count")]));
  assert.deepEqual(texts, [["keep me", false], ["keep me too", false]]);
  const warnings = consoleLog.filter((l) => l.type === "warning");
  assert.equal(warnings.length, 1, JSON.stringify(consoleLog));
  assert.match(warnings[0].text, /ignored 2 \.coral-count element\(s\): INVALID_STORY_URL "\/relative\/url", INVALID_STORY_URL "not a url"/);
  await context.close();

  // An id too long to send is left alone too, with its own warning.
  const long = await open(`<span class="coral-count" data-coral-id="${"x".repeat(2049)}">long</span>`, countScript());
  await long.page.waitForFunction(() => window.CoralCount);
  await long.page.waitForTimeout(200);
  assert.equal(await long.page.$eval(".coral-count", (e) => e.textContent), "long");
  assert.deepEqual(long.requests.map((u) => new URL(u).pathname), ["/assets/js/count.js"]);
  assert.equal(long.consoleLog.filter((l) => /over 2048 characters/.test(l.text)).length, 1);
  await long.context.close();

  // The count server fails: the page's own content stays.
  const context2 = await browser.newContext();
  const page2 = await context2.newPage();
  const log2 = recordConsole(page2);
  await page2.route(`${server.stream}/api/story/counts.js*`, (r) => r.fulfill({ status: 500, contentType: "application/json", body: "{}" }));
  pages.set("/counts-failing.html", `<!doctype html><head>${countScript()}</head><span class="coral-count" data-coral-id="s-1">12 comments</span>`, {
    "content-security-policy": csp,
  });
  await page2.goto(pages.origin + "/counts-failing.html");
  await page2.waitForFunction(() => window.CoralCount);
  const deadline = Date.now() + 5000;
  while (!log2.some((l) => l.text.includes("count request failed")) && Date.now() < deadline) await page2.waitForTimeout(50);
  assert.deepEqual(await page2.$eval(".coral-count", (e) => [e.textContent, e.hasAttribute("data-coral-count")]), ["12 comments", false]);
  assert.equal(log2.filter((l) => l.text.includes("count request failed")).length, 1);
  await context2.close();
});

test("Coral's per-element JSONP answer (/api/story/count.js) fills the elements of its ref", async () => {
  await post({ storyURL: articleURL("coral") }, 1);
  const { page, context } = await open(`<span class="coral-count" data-coral-url="${articleURL("coral")}"></span>`, countScript());
  await filled(page);
  await page.$eval(".coral-count", (e) => {
    e.textContent = "stale";
    e.removeAttribute("data-coral-count");
  });
  const ref = Buffer.from(articleURL("coral")).toString("base64");
  // What Coral's count.js requests for this element, added by the page (allowed by script-src).
  await page.evaluate(
    ([src]) => {
      const s = document.createElement("script");
      s.src = src;
      document.head.append(s);
    },
    [`${server.stream}/api/story/count.js?callback=CoralCount.setCount&ref=${encodeURIComponent(ref)}&url=${encodeURIComponent(articleURL("coral"))}`]
  );
  await filled(page);
  assert.equal(await page.$eval(".coral-count", (e) => e.innerHTML), markup(1));
  await context.close();
});

test("a second copy of count.js does nothing; a clobbered document changes nothing", async () => {
  await post({ storyID: "clobber-1" }, 1);
  // Script-less injected HTML: a fake .coral-script pointing elsewhere and
  // named elements shadowing document properties count.js uses.
  const { page, context, requests } = await open(
    `<script class="coral-script" type="text/plain" src="https://evil.example/assets/js/count.js"></script>
     <img name="currentScript" src="data:,"><img name="querySelectorAll" src="data:,"><img name="createElement" src="data:,">
     <form class="coral-count" data-coral-id="clobber-1"><input name="getAttribute"><input name="dataset"></form>
     <span class="coral-count" data-coral-id="clobber-1"></span>`,
    countScript() + countScript().replace("count.js", "count.js?copy=2")
  );
  await filled(page);
  assert.deepEqual((await badges(page)).map((b) => b.count), ["1", "1"]);
  assert.equal(requests.filter((u) => u.includes("/api/story/counts.js")).length, 1, "the second copy sent nothing");
  await context.close();
});

test("the stream reports count.comments {number, text, storyID, storyURL} when loaded and after a post", async () => {
  await post({ storyID: "live-1" }, 2);
  pages.set(
    "/live-1.js",
    `window.__counts = [];
     window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "live-1",
       storyURL: "https://news.example/live-1", accessToken: ${JSON.stringify(token)},
       events: function (e) { e.on("count.comments", function (d) { __counts.push(d); }); } });`,
    { "content-type": "text/javascript" }
  );
  const { page, context } = await open(
    `<div id="coral_thread"></div>
     <script src="${server.stream}/embed.js"></script>
     <script src="/live-1.js"></script>`
  );
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in");
  await page.waitForFunction(() => window.__counts.length === 1);
  assert.deepEqual(await page.evaluate(() => window.__counts), [
    { number: 2, text: "Comments", storyID: "live-1", storyURL: "https://news.example/live-1" },
  ]);
  await frame.fill("#comment-body", "the third");
  await frame.click("#post-comment");
  await page.waitForFunction(() => window.__counts.length === 2);
  assert.deepEqual((await page.evaluate(() => window.__counts))[1], {
    number: 3,
    text: "Comments",
    storyID: "live-1",
    storyURL: "https://news.example/live-1",
  });
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__counts.length), 2, "one event per change");
  await context.close();
});

test("demo front page: counts for every story, links to each article, a new comment shows on reload", async () => {
  await post({ storyID: "story-3" }, 2);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.publisher + "/home.html");
  await filled(page);
  const front = await page.$$eval(".headline", (hs) =>
    hs.map((h) => [h.querySelector("a").getAttribute("href"), h.querySelector(".coral-count").dataset.coralCount])
  );
  const before3 = Number(front[2][1]);
  assert.equal(before3 >= 2, true);
  assert.deepEqual(front.map((f) => f[0]), ["/", "/options.html", "/?story=story-3", "/?story=story-4"]);
  assert.equal(await page.$eval('[data-coral-id="story-4"]', (e) => e.innerHTML), markup(Number(front[3][1]), false));
  await page.click('a[href="/?story=story-3"] h2');
  await page.waitForURL(/story=story-3/);
  await page.evaluate((t) => window.embed.login(t), token);
  const frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in");
  await frame.fill("#comment-body", "from the demo");
  await frame.click("#post-comment");
  await frame.waitForSelector('.comment-body:text-is("from the demo")');
  await page.goto(server.publisher + "/home.html");
  await page.waitForFunction(
    (n) => document.querySelector('[data-coral-id="story-3"]').dataset.coralCount === String(n),
    before3 + 1
  );
  await context.close();
});

test(
  "an article with the embed: embed.js loads count.js itself, and its badge follows a new comment at once",
  async () => {
    await post({ storyID: "live-2", storyURL: "https://news.example/live-2" }, 1);
    pages.set(
      "/live-2.js",
      `window.embed = Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "live-2",
         storyURL: "https://news.example/live-2", accessToken: ${JSON.stringify(token)} });`,
      { "content-type": "text/javascript" }
    );
    // No count.js tag: Coral's embed.js injects it when the page has .coral-count elements.
    const { page, context, requests } = await open(
      `<h1>Story <span class="coral-count" data-coral-id="live-2"></span></h1>
       <p>Related: <span class="coral-count" data-coral-id="s-1"></span></p>
       <div id="coral_thread"></div>
       <script src="${server.stream}/embed.js"></script>
       <script src="/live-2.js"></script>`
    );
    await filled(page, ".coral-count", 5000);
    assert.ok(requests.some((u) => new URL(u).pathname === "/assets/js/count.js"), "count.js injected");
    assert.equal(await page.$eval('[data-coral-id="live-2"]', (e) => e.innerHTML), markup(1));
    const related = await page.$eval('[data-coral-id="s-1"]', (e) => e.innerHTML);
    const frame = await streamFrame(page, server);
    await waitAuth(frame, "signed-in");
    await frame.fill("#comment-body", "live");
    await frame.click("#post-comment");
    // As Coral's withLiveCommentCount: the number and text spans are rewritten.
    await page.waitForFunction(() => document.querySelector('[data-coral-id="live-2"] .coral-count-number').textContent === "2", null, {
      timeout: 5000,
    });
    assert.equal(await page.$eval('[data-coral-id="live-2"]', (e) => e.innerHTML), markup(2));
    // A badge of another story on the same page (its URL defaults to this page's) keeps its count.
    assert.equal(await page.$eval('[data-coral-id="s-1"]', (e) => e.innerHTML), related);
    await context.close();
  }
);
