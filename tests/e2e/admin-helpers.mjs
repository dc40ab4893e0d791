// Helpers for the admin API's end-to-end tests: the `stream-server token`
// command line against a test server's database, GraphQL calls, shell
// snippets run verbatim, and a ZIP + CSV reader for the comments archive
// (node:zlib inflates; the archive's layout is read from its central
// directory, so entries written with data descriptors are found too).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { ROOT } from "./harness.mjs";

/** The environment of the server's command line: its binary on PATH, its database. */
export function adminEnv(server, extra = {}) {
  return {
    ...process.env,
    PATH: `${join(ROOT, "target", "debug")}:${process.env.PATH}`,
    DATABASE_PATH: join(server.dataDir, "db.sqlite3"),
    ...extra,
  };
}

/** Runs a shell snippet with bash (-eu -o pipefail): { status, stdout, stderr }. */
export function runSh(code, env, cwd) {
  const r = spawnSync("bash", ["-euo", "pipefail", "-c", code], { env, cwd, encoding: "utf8", timeout: 30000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `stream-server token create --name NAME` against the server's database: the token. */
export function cliToken(server, name = "e2e") {
  const r = runSh(`stream-server token create --name ${name}`, adminEnv(server));
  if (r.status !== 0) throw new Error(`token create failed: ${r.stderr}`);
  return r.stdout.match(/^token: (\S+)$/m)[1];
}

/** POST /api/graphql: { status, body }. */
export async function gql(server, token, query, variables = {}) {
  const res = await fetch(`${server.stream}/api/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

/** The entries of a ZIP: Map of name → Buffer. */
export function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error("not a zip archive");
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error("bad central directory");
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const skip = nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + skip;
  }
  return out;
}

/** RFC 4180 CSV: rows of fields. */
export function parseCsv(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n") row.push(field), rows.push(row), (row = []), (field = "");
    else if (c !== "\r") field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}
