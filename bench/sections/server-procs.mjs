// Processes and tools of the server bench (sections/server.mjs): wrk, the
// Node baseline's packages, the Rust server's bench build, a throwaway
// PostgreSQL cluster, server processes and their tokens.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { freePort } from "../../tests/e2e/harness.mjs";
import { ROOT } from "../server.mjs";

export const BASELINE_DIR = join(ROOT, "bench/node-baseline");
/** The Coral SSO secret both servers verify with (≥ 32 characters: production mode). */
export const SECRET = "bench-secret-0123456789abcdef0123456789abcdef";

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;

/**
 * What the section needs beyond cargo and node: `bash scripts/bootstrap.sh
 * --bench` installs Debian's wrk and postgresql (as root) and the Node
 * baseline's packages. Returns why the section cannot run (no wrk), or null.
 */
export function ensureTools(log) {
  const r = spawnSync("bash", ["scripts/bootstrap.sh", "--bench"], { cwd: ROOT, encoding: "utf8" });
  for (const line of `${r.stdout}${r.stderr}`.split("\n").filter(Boolean)) log(`  ${line}`);
  if (r.status !== 0) throw new Error(`scripts/bootstrap.sh --bench exited ${r.status}`);
  return has("wrk") ? null : "wrk is not installed and this is not root (sudo apt-get install wrk, or run `bash scripts/bootstrap.sh --bench` as root)";
}

/** Builds the server with the `bench-server` profile; returns the binary's path. */
export function buildServer(log) {
  log("  cargo build -p stream-server --profile bench-server");
  execFileSync("cargo", ["build", "--quiet", "-p", "stream-server", "--profile", "bench-server"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  return join(ROOT, "target/bench-server/stream-server");
}

/** A throwaway PostgreSQL cluster (scripts/pg.sh); `{ url, stop }` or `{ skipped }`. */
export function startPostgres(dir) {
  const r = spawnSync("bash", ["scripts/pg.sh", "start", dir], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) return { skipped: (r.stderr || "").trim().split("\n").pop() || `pg.sh exited ${r.status}` };
  const url = r.stdout.trim().split("\n").pop();
  return {
    url,
    /** A fresh database on the cluster; its URL. */
    async database(name) {
      execFileSync("psql", [url, "-qc", `DROP DATABASE IF EXISTS ${name}`, "-c", `CREATE DATABASE ${name}`], { stdio: "ignore" });
      return url.replace(/\/postgres$/, `/${name}`);
    },
    stop: () => spawnSync("bash", ["scripts/pg.sh", "stop", dir], { cwd: ROOT, stdio: "ignore" }),
  };
}

async function waitFor(url, child, what) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}): ${child.output.slice(-2000)}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not answer ${url} within 60 s: ${child.output.slice(-2000)}`);
}

function launch(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.output = "";
  const keep = (d) => (child.output = (child.output + d).slice(-20_000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  return child;
}

async function stopChild(child) {
  if (child.exitCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), 5000);
  await gone;
  clearTimeout(t);
}

/**
 * Starts the Rust server `bin` on `database` ({ DATABASE_PATH } or
 * { DATABASE_URL }) in production mode; `{ origin, stop }`.
 */
export async function startRust(bin, database, extraEnv = {}) {
  const [pub, str] = [await freePort(), await freePort()];
  const child = launch(bin, [], {
    STREAM_ENV: "production",
    CORAL_SSO_SECRET: SECRET,
    PUBLISHER_PORT: String(pub),
    STREAM_PORT: String(str),
    ALLOWED_ORIGINS: `http://localhost:${pub}`,
    DATABASE_PATH: "",
    DATABASE_URL: "",
    ...database,
    ...extraEnv,
  });
  const origin = `http://127.0.0.1:${str}`;
  await waitFor(`${origin}/api/health`, child, "stream-server");
  return { origin, pid: child.pid, stop: () => stopChild(child) };
}

/** Starts the Node baseline on `db` (sqlite:<path> | postgres://…); `{ origin, stop }`. */
export async function startNode(db) {
  const port = await freePort();
  const child = launch(process.execPath, [join(BASELINE_DIR, "server.mjs")], { PORT: String(port), DB: db, CORAL_SSO_SECRET: SECRET, NODE_ENV: "production" });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(`${origin}/api/comments?storyID=probe`, child, "node baseline");
  return { origin, pid: child.pid, stop: () => stopChild(child) };
}

/** A Coral SSO token (HS256) for bench user `n`, as a publisher would mint it. */
export function coralToken(n, { badges = [], jti = `bench-${n}` } = {}) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const h = b64({ alg: "HS256", typ: "JWT" });
  const p = b64({
    jti,
    iat: now - 60,
    exp: now + 3600,
    user: { id: `bench-user-${n}`, email: `reader${n}@bench.example`, username: `Reader ${n}`, badges },
  });
  return `${h}.${p}.${createHmac("sha256", SECRET).update(`${h}.${p}`).digest("base64url")}`;
}

/**
 * One wrk run (`-t threads -c connections -d seconds --latency`) with
 * bench/wrk/bench.lua; the numbers of its WRK_JSON line plus req/s.
 */
export function wrk(url, { mode = "get", tokens, seconds, connections, threads }) {
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, "--timeout", "10s", "-s", join(ROOT, "bench/wrk/bench.lua"), url, "--", mode];
  if (tokens) args.push(tokens);
  const out = execFileSync("wrk", args, { encoding: "utf8", maxBuffer: 1 << 20 });
  const line = out.split("\n").find((l) => l.startsWith("WRK_JSON "));
  if (!line) throw new Error(`wrk printed no WRK_JSON line:\n${out}`);
  const r = JSON.parse(line.slice(9));
  return { ...r, rps: r.requests / (r.duration / 1e6), p50ms: r.p50 / 1000, p90ms: r.p90 / 1000, p99ms: r.p99 / 1000 };
}
