// The Node baseline of the server bench (bench/sections/server.mjs): the
// same two endpoints as the Rust server, written as a Node developer would,
// with Express 5 and jsonwebtoken, on the same database the Rust server
// created (its migrations, its rows):
//   POST /api/session   Coral SSO token (HS256, `user.{id,email,username}`):
//                       verify, signed-out jti check, upsert with the Rust
//                       server's SQL semantics: the user by key and the
//                       email's owner are read first; a known user whose
//                       token changes nothing is answered from that read;
//                       otherwise one write transaction (the same reads,
//                       then insert, or update when `iat` is newer). The
//                       same JSON answer.
//   GET  /api/comments  a story's newest 200 comments with their authors
//                       (badges parsed per row) and the story's count.
// Storage: SQLite through better-sqlite3 (WAL, synchronous=FULL, as the Rust
// server) or PostgreSQL through pg (a pool of 16, as the Rust server).
// One process, as `node server.js` runs; ETag and X-Powered-By are off so it
// does no work the Rust server does not.
//
// Env: PORT, DB (sqlite:<path> | postgres://…), CORAL_SSO_SECRET.
import express from "express";
import jwt from "jsonwebtoken";

const PAGE_SIZE = 200;
const secret = process.env.CORAL_SSO_SECRET;
const dbUrl = process.env.DB || "";
if (!secret || !dbUrl) {
  console.error("set CORAL_SSO_SECRET and DB");
  process.exit(2);
}

const SQL = {
  revoked: "SELECT 1 AS x FROM revoked_tokens WHERE profile = $1 AND jti = $2",
  byKey:
    "SELECT id, profile, external_id, email, username, badges, role, url, organizations, last_iat, deleted_at FROM users WHERE profile = $1 AND external_id = $2",
  emailOwner: "SELECT id FROM users WHERE lower(email) = lower($1) AND email IS NOT NULL",
  insert:
    "INSERT INTO users (profile, external_id, email, username, badges, role, url, organizations, last_iat, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $9) RETURNING id, profile, external_id, email, username, badges, role, url, organizations, last_iat",
  update:
    "UPDATE users SET email = $2, username = $3, badges = $4, role = $5, url = $6, last_iat = $7, updated_at = $8 WHERE id = $1",
  comments:
    "SELECT c.id, c.body, c.created_at, u.username, u.badges, u.role FROM comments c JOIN users u ON u.id = c.user_id WHERE c.story_key = $1 ORDER BY c.id DESC LIMIT $2",
  count: "SELECT count(*) AS n FROM comments WHERE story_key = $1",
};

/**
 * One interface over both drivers: `all(sql, args)`, `get(sql, args)` and
 * `tx(steps)`, where `steps` is a generator yielding `[method, sql, args]`
 * (run synchronously inside one BEGIN IMMEDIATE with better-sqlite3, which
 * must not yield mid-transaction; awaited on one pooled client with pg).
 */
async function openDb(url) {
  if (url.startsWith("sqlite:")) {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(url.slice("sqlite:".length));
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    // `$n` → `?` (better-sqlite3 binds anonymous parameters in order), with
    // the arguments rearranged to match.
    const cache = new Map();
    const stmt = (sql) => {
      let s = cache.get(sql);
      if (!s) {
        const order = [];
        const text = sql.replace(/\$(\d+)/g, (_, n) => (order.push(Number(n) - 1), "?"));
        cache.set(sql, (s = { st: db.prepare(text), order }));
      }
      return s;
    };
    const call = (sql, method, args) => {
      const { st, order } = stmt(sql);
      return st[method](...order.map((i) => args[i]));
    };
    const exec = ([method, sql, args]) => call(sql, method, args);
    const tx = db.transaction((steps) => {
      let r = steps.next();
      while (!r.done) r = steps.next(exec(r.value));
      return r.value;
    });
    return {
      all: async (sql, args) => call(sql, "all", args),
      get: async (sql, args) => call(sql, "get", args),
      tx: async (steps) => tx.immediate(steps),
    };
  }
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: url, max: 16 });
  const exec = async (c, [method, sql, args]) => {
    const { rows } = await c.query(sql, args);
    return method === "all" ? rows : rows[0];
  };
  return {
    all: (sql, args) => exec(pool, ["all", sql, args]),
    get: (sql, args) => exec(pool, ["get", sql, args]),
    async tx(steps) {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        let r = steps.next();
        while (!r.done) r = steps.next(await exec(c, r.value));
        await c.query("COMMIT");
        return r.value;
      } catch (e) {
        await c.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
  };
}

class ApiError extends Error {
  constructor(status, code) {
    super(code);
    this.status = status;
    this.code = code;
  }
}

const isStr = (v) => typeof v === "string" && v.trim() !== "";

/** Coral profile claims, as the Rust server checks them. */
function verify(req) {
  const h = req.get("authorization") || "";
  const m = /^bearer\s+(\S+)$/i.exec(h.trim());
  if (!m) throw new ApiError(401, "TOKEN_MISSING");
  let p;
  try {
    p = jwt.verify(m[1], secret, { algorithms: ["HS256"] });
  } catch (e) {
    throw new ApiError(401, e.name === "TokenExpiredError" ? "TOKEN_EXPIRED" : "TOKEN_SIGNATURE_INVALID");
  }
  const u = p.user;
  if (!u || typeof u !== "object") throw new ApiError(401, "TOKEN_CLAIM_MISSING");
  if (!isStr(u.id) || !isStr(u.email) || !u.email.includes("@") || !isStr(u.username))
    throw new ApiError(401, "TOKEN_CLAIM_INVALID");
  if (u.badges !== undefined && !(Array.isArray(u.badges) && u.badges.every(isStr)))
    throw new ApiError(401, "TOKEN_CLAIM_INVALID");
  return { payload: p, user: u };
}

const publicUser = (r) => ({
  profile: r.profile,
  id: r.external_id,
  username: r.username,
  badges: JSON.parse(r.badges),
  role: r.role ?? null,
  url: r.url ?? null,
  organizations: r.organizations ? JSON.parse(r.organizations) : null,
});

/** Whether a token with `iat` would update a user whose last one was `lastIat`. */
const newer = (iat, lastIat) => iat != null && (lastIat == null || iat > Number(lastIat));

/**
 * The user if the token changes nothing (known, live, its email not another
 * user's, not newer): plain reads, no transaction. Else undefined.
 */
async function unchangedUser(payload, u) {
  const existing = await db.get(SQL.byKey, ["coral", u.id]);
  if (!existing) return undefined;
  if (existing.deleted_at != null) throw new ApiError(401, "TOKEN_USER_DELETED");
  const owner = await db.get(SQL.emailOwner, [u.email]);
  if (owner && Number(owner.id) !== Number(existing.id)) return undefined;
  return newer(payload.iat, existing.last_iat) ? undefined : existing;
}

/** The upsert, as steps for `tx`: user by key, email owner, insert or update. */
function* upsertSteps(payload, u, now) {
  const existing = yield ["get", SQL.byKey, ["coral", u.id]];
  if (existing?.deleted_at != null) throw new ApiError(401, "TOKEN_USER_DELETED");
  const owner = yield ["get", SQL.emailOwner, [u.email]];
  if (owner && Number(owner.id) !== Number(existing?.id)) throw new ApiError(409, "DUPLICATE_USER");
  const badges = JSON.stringify(u.badges || []);
  if (!existing)
    return yield ["get", SQL.insert, ["coral", u.id, u.email, u.username, badges, u.role ?? null, u.url ?? null, payload.iat ?? null, now]];
  if (newer(payload.iat, existing.last_iat)) {
    const next = { ...existing, email: u.email, username: u.username, badges: u.badges ? badges : existing.badges, last_iat: payload.iat };
    yield ["run", SQL.update, [existing.id, next.email, next.username, next.badges, next.role, next.url, next.last_iat, now]];
    return next;
  }
  return existing;
}

const db = await openDb(dbUrl);
const sqlite = dbUrl.startsWith("sqlite:");
const app = express();
app.disable("etag");
app.disable("x-powered-by");
app.use((req, res, next) => {
  res.set({ "x-content-type-options": "nosniff", "cache-control": "no-cache" });
  next();
});

const handle = (fn) => async (req, res) => {
  try {
    await fn(req, res);
  } catch (e) {
    if (e instanceof ApiError) res.status(e.status).json({ error: { code: e.code } });
    else {
      console.error(e);
      res.status(500).json({ error: { code: "INTERNAL_ERROR" } });
    }
  }
};

app.post(
  "/api/session",
  handle(async (req, res) => {
    const { payload, user } = verify(req);
    if (payload.jti && (await db.get(SQL.revoked, ["coral", payload.jti]))) throw new ApiError(401, "TOKEN_REVOKED");
    const now = Math.floor(Date.now() / 1000);
    const row = (await unchangedUser(payload, user)) ?? (await db.tx(upsertSteps(payload, user, now)));
    res.json({ profile: "coral", user: publicUser(row), canSignOut: !!(payload.jti && payload.exp), expiresAt: payload.exp ?? null });
  })
);

app.get(
  "/api/comments",
  handle(async (req, res) => {
    const storyID = typeof req.query.storyID === "string" ? req.query.storyID.trim() : "";
    if (!storyID) throw new ApiError(400, "STORY_MISSING");
    const key = "id:" + storyID;
    const rows = await db.all(SQL.comments, [key, PAGE_SIZE]);
    const count = Number((await db.get(SQL.count, [key])).n);
    res.json({
      storyID,
      storyURL: null,
      count,
      comments: rows.map((r) => ({
        id: Number(r.id),
        body: r.body,
        createdAt: Number(r.created_at),
        author: { username: r.username, badges: JSON.parse(r.badges), role: r.role ?? null },
      })),
    });
  })
);

const server = app.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  console.log(`node baseline: http://127.0.0.1:${server.address().port}/ (${sqlite ? "sqlite" : "postgres"})`);
});
server.keepAliveTimeout = 65_000;
for (const s of ["SIGTERM", "SIGINT"]) process.on(s, () => server.close(() => process.exit(0)));
