// Bench servers, both on loopback:
//   stream origin    http://127.0.0.1:S  dist/embed/* at /, dist/stream/* at
//                    /stream/, peer libraries at /peers/, and the bench's own
//                    stream-side pages (bench/pages/stream/*) at /embed/stream
//                    and /bench/*.
//   publisher origin http://localhost:P  (bound to 127.0.0.1 and ::1) bench
//                    publisher pages registered with `set(path, html, opts)`.
// dist/ is copied to a temporary snapshot first, so a concurrent
// `npm run build` (which deletes dist/) cannot break a run.
import http from "node:http";
import { cpSync, mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, normalize } from "node:path";
import { freePort } from "../tests/e2e/harness.mjs";

export const ROOT = join(import.meta.dirname, "..");

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".css": "text/css; charset=utf-8",
};

/** Peer libraries served at /peers/<name> from node_modules. */
export const PEERS = {
  "pym.v1.min.js": "node_modules/pym.js/dist/pym.v1.min.js",
  "penpal.min.js": "node_modules/penpal/dist/penpal.min.js",
  "iframe-resizer.parent.umd.js": "node_modules/@iframe-resizer/parent/index.umd.js",
  "post-robot.min.js": "node_modules/post-robot/dist/post-robot.min.js",
  "eventemitter2.js": "node_modules/eventemitter2/lib/eventemitter2.js",
};

function listenBoth(handler, port, hosts) {
  const servers = [];
  return (async () => {
    for (const host of hosts) {
      const s = http.createServer(handler);
      s.keepAliveTimeout = 1000;
      try {
        await new Promise((resolve, reject) => {
          s.once("error", reject);
          s.listen(port, host, resolve);
        });
        servers.push(s);
      } catch (e) {
        if (host === hosts[0]) throw e; // no IPv6 loopback: fine
      }
    }
    return () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise((r) => {
              s.closeAllConnections?.();
              s.close(r);
            })
        )
      );
  })();
}

export async function startBenchServers() {
  for (const d of ["dist/embed", "dist/stream"])
    if (!existsSync(join(ROOT, d))) throw new Error(`${d} missing: run \`npm run build\` first`);
  const snap = mkdtempSync(join(tmpdir(), "stream-bench-"));
  cpSync(join(ROOT, "dist"), snap, { recursive: true });
  const [sp, pp] = [await freePort(), await freePort()];
  const streamOrigin = `http://127.0.0.1:${sp}`;
  const publisherOrigin = `http://localhost:${pp}`;
  const streamPages = join(ROOT, "bench", "pages", "stream");

  const file = (res, path, extra = {}) => {
    let body;
    try {
      body = readFileSync(path);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      return res.end("not found");
    }
    res.writeHead(200, {
      "content-type": MIME[extname(path)] || "application/octet-stream",
      "cache-control": "no-cache",
      ...extra,
    });
    res.end(body);
  };

  // Every stream-origin response may be embedded/fetched by a
  // cross-origin-isolated publisher page (used by the sub-millisecond
  // benches for 5 µs timers): CORP + ACAO on everything, COEP on documents.
  const streamHandler = (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const common = {
      "access-control-allow-origin": "*",
      "cross-origin-resource-policy": "cross-origin",
    };
    const doc = { ...common, "cross-origin-embedder-policy": "require-corp" };
    const safe = (p) => !normalize(p).split("/").includes("..");
    if (!safe(path)) {
      res.writeHead(400);
      return res.end();
    }
    if (path === "/embed/stream") return file(res, join(streamPages, "stream.html"), doc);
    if (path.startsWith("/bench/")) return file(res, join(streamPages, path.slice(7)), doc);
    if (path.startsWith("/peers/")) {
      const p = PEERS[path.slice(7)];
      return p ? file(res, join(ROOT, p), common) : file(res, "/nonexistent");
    }
    if (path.startsWith("/stream/")) return file(res, join(snap, "stream", path.slice(8)), common);
    return file(res, join(snap, "embed", path.slice(1)), common);
  };

  const routes = new Map();
  const publisherHandler = (req, res) => {
    const r = routes.get(new URL(req.url, "http://x").pathname);
    if (req.url === "/favicon.ico") {
      res.writeHead(204);
      return res.end();
    }
    if (!r) {
      res.writeHead(404, { "content-type": "text/plain" });
      return res.end("not found");
    }
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      ...(r.isolated
        ? { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" }
        : {}),
    });
    res.end(r.html);
  };

  const stopStream = await listenBoth(streamHandler, sp, ["127.0.0.1"]);
  const stopPub = await listenBoth(publisherHandler, pp, ["127.0.0.1", "::1"]);
  return {
    stream: streamOrigin,
    publisher: publisherOrigin,
    snapshot: snap,
    /** Registers a publisher page; `isolated` adds COOP/COEP (5 µs timers). */
    set: (path, html, { isolated = false } = {}) => routes.set(path, { html, isolated }),
    async stop() {
      await Promise.all([stopStream(), stopPub()]);
      rmSync(snap, { recursive: true, force: true });
    },
  };
}
