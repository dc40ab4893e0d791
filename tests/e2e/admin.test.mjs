// End-to-end: a publisher's sync job changes an account through the admin
// API (personal access token from `stream-server token create`) while the
// reader's stream is open in Chromium. A rename shows on the stream's next
// load, with the reader's older token (Coral's rule: a token issued before
// an admin change does not undo it); a deletion refuses that token at once
// and takes the reader's comments out of the stream.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startPageServer, launchBrowser, mintToken, streamFrame, recordConsole, waitAuth } from "./harness.mjs";
import { cliToken, gql } from "./admin-helpers.mjs";

let server, browser, pages, pat;
before(async () => {
  pages = await startPageServer();
  pages.set("/favicon.ico", "", { "content-type": "image/x-icon" });
  server = await startServer({}, { allowOrigins: [pages.origin] });
  browser = await launchBrowser();
  pat = cliToken(server, "e2e-sync");
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await pages?.stop();
});

const BOB = "628bdc61-6616-4add-bfec-dd79156715d4";

test("the stream follows an admin's rename and deletion of the signed-in reader", async () => {
  const bob = await mintToken(server, { user: "bob" });
  const posted = await fetch(server.stream + "/api/comments", {
    method: "POST",
    headers: { authorization: "Bearer " + bob, "content-type": "application/json" },
    body: JSON.stringify({ storyID: "sync-story", body: "Before the rename" }),
  });
  assert.equal(posted.status, 201);
  pages.set(
    "/article.html",
    `<!doctype html><meta charset="utf-8"><title>article</title><div id="coral_thread"></div>
<script src="${server.stream}/embed.js"></script>
<script>Coral.createStreamEmbed({ id: "coral_thread", autoRender: true, storyID: "sync-story", accessToken: ${JSON.stringify(bob)} });</script>`
  );
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleLog = recordConsole(page);
  await page.goto(pages.origin + "/article.html");
  let frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in", "bob");
  await frame.waitForSelector('.comment-author:text-is("bob")');

  const renamed = await gql(
    server,
    pat,
    "mutation ($input: UpdateUserUsernameInput!) { updateUserUsername(input: $input) { user { username } } }",
    { input: { userID: BOB, username: "Robert Sync", clientMutationId: "r" } }
  );
  assert.equal(renamed.body.data.updateUserUsername.user.username, "Robert Sync");
  await page.reload();
  frame = await streamFrame(page, server);
  await waitAuth(frame, "signed-in", "Robert Sync");
  await frame.waitForSelector('.comment-author:text-is("Robert Sync")');
  assert.equal(await frame.locator('.comment-author:text-is("bob")').count(), 0);

  const deleted = await gql(
    server,
    pat,
    "mutation ($input: DeleteUserAccountInput!) { deleteUser(input: $input) { user { deletedAt } } }",
    { input: { userID: BOB, clientMutationId: "d" } }
  );
  assert.ok(deleted.body.data.deleteUser.user.deletedAt);
  await page.reload();
  frame = await streamFrame(page, server);
  await frame.waitForFunction(() => document.getElementById("auth-error")?.dataset.code === "TOKEN_USER_DELETED", null, {
    timeout: 10000,
  });
  await waitAuth(frame, "signed-out");
  // Loaded, and empty: the deleted reader's comment left the stream.
  await frame.waitForFunction(() => document.getElementById("no-comments")?.hidden === false, null, { timeout: 10000 });
  assert.equal(await frame.locator(".comment-body").count(), 0);
  assert.deepEqual(consoleLog.filter((l) => l.type === "pageerror"), []);
  await context.close();
});
