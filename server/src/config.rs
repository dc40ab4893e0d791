//! Configuration from environment variables (see `server/README.md`).

use crate::admin::lookup::UserLookup;
use crate::auth::{Profile, ProfileConfig, Verifier};
use crate::random::random_hex;
use crate::store::SqliteSync;
use std::fmt;
use std::path::PathBuf;
use url::Url;

/// Where users, comments and signed-out token ids live.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file (`DATABASE_PATH`, or `DATABASE_URL=sqlite:<path>`).
    Sqlite(PathBuf),
    /// A PostgreSQL server (`DATABASE_URL=postgres://…`).
    Postgres(String),
}

impl Database {
    /// For logs: the path, or the URL with its password replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            Database::Sqlite(p) => format!("sqlite {}", p.display()),
            Database::Postgres(u) => match Url::parse(u) {
                Ok(mut url) => {
                    if url.password().is_some() {
                        let _ = url.set_password(Some("***"));
                    }
                    format!("postgres {url}")
                }
                Err(_) => "postgres (unparsable URL)".into(),
            },
        }
    }

    /// Reads `DATABASE_URL` (wins) or `DATABASE_PATH`; both set is an error.
    pub fn from_vars(url: Option<String>, path: Option<String>) -> Result<Database, String> {
        let url = match (url, path) {
            (Some(_), Some(_)) => {
                return Err("set DATABASE_URL or DATABASE_PATH, not both".into());
            }
            (None, path) => {
                let p = path.unwrap_or_else(|| "./data/stream.sqlite3".into());
                return Ok(Database::Sqlite(PathBuf::from(p)));
            }
            (Some(url), None) => url,
        };
        if let Some(p) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if p.is_empty() {
                return Err("DATABASE_URL=sqlite: names no file".into());
            }
            return Ok(Database::Sqlite(PathBuf::from(p)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return match Url::parse(&url) {
                Ok(u) if u.host_str().is_some() => Ok(Database::Postgres(url)),
                _ => Err(
                    "DATABASE_URL is not a URL like postgres://user:password@host:5432/db".into(),
                ),
            };
        }
        Err("DATABASE_URL must start with postgres://, postgresql:// or sqlite:".into())
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// `STREAM_ENV=production` or `--production`.
    pub production: bool,
    /// `PUBLISHER_PORT` (default 3000).
    pub publisher_port: u16,
    /// `STREAM_PORT` (default 3001).
    pub stream_port: u16,
    /// `WWW_DIR` (default `./www`).
    pub www_dir: PathBuf,
    /// `DIST_DIR` (default `./dist`).
    pub dist_dir: PathBuf,
    /// `DATABASE_URL` or `DATABASE_PATH` (default `./data/stream.sqlite3`).
    pub database: Database,
    /// `SQLITE_SYNCHRONOUS` (`full`, the default, or `normal`; SQLite only).
    pub sqlite_sync: SqliteSync,
    /// `ALLOWED_ORIGINS` (default the publisher demo origin).
    pub allowed_origins: Vec<String>,
    /// `TOKEN_AUTH_URL`: where the stream's Sign in sends Spoke users (informational).
    pub token_auth_url: Option<String>,
    /// `TALK_TOKEN_USER_URL`: who an unknown talk-v4 `sub` is (Talk v4's
    /// `tokenUserNotFound`, see [`crate::admin::lookup`]).
    pub token_user_lookup: Option<UserLookup>,
    /// `STREAM_PUBLIC_ORIGIN`: the stream origin as clients reach it (behind
    /// a proxy), for links the server hands out; default [`Config::stream_origin`].
    pub public_origin: Option<String>,
    /// Enabled token profiles.
    pub verifier: Verifier,
    /// Secrets generated at startup (dev mode), to print: (env var name, value).
    pub generated: Vec<(&'static str, String)>,
}

impl Config {
    /// The publisher demo origin, `http://localhost:<PUBLISHER_PORT>`.
    pub fn publisher_origin(&self) -> String {
        format!("http://localhost:{}", self.publisher_port)
    }

    /// The stream origin as clients reach it: `STREAM_PUBLIC_ORIGIN`, else
    /// [`Config::stream_origin`].
    pub fn public_stream_origin(&self) -> String {
        self.public_origin
            .clone()
            .unwrap_or_else(|| self.stream_origin())
    }

    /// The stream origin, `http://127.0.0.1:<STREAM_PORT>`.
    pub fn stream_origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.stream_port)
    }

    /// The enabled token profiles, by name.
    pub fn profile_names(&self) -> Vec<&'static str> {
        self.verifier
            .profiles
            .iter()
            .map(|p| p.profile.name())
            .collect()
    }

    /// Reads the process environment and arguments.
    pub fn from_env() -> Result<Config, String> {
        let args: Vec<String> = std::env::args().skip(1).collect();
        Self::from_lookup(&|k| std::env::var(k).ok(), &args)
    }

    /// Builds the configuration from a variable lookup and arguments.
    /// The error is one line naming the variable at fault.
    pub fn from_lookup(
        var: &dyn Fn(&str) -> Option<String>,
        args: &[String],
    ) -> Result<Config, String> {
        let get = |k: &str| {
            var(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let mut production = false;
        for a in args {
            match a.as_str() {
                "--production" => production = true,
                "--dev" | "--development" => production = false,
                other => return Err(format!("unknown argument `{other}` (known: --production)")),
            }
        }
        match get("STREAM_ENV").as_deref() {
            None | Some("development") | Some("dev") | Some("test") => {}
            Some("production") | Some("prod") => production = true,
            Some(other) => {
                return Err(format!(
                    "STREAM_ENV=`{other}` is not one of development, test, production"
                ))
            }
        }
        let port = |k: &str, default: u16| -> Result<u16, String> {
            match get(k) {
                None => Ok(default),
                Some(v) => v
                    .parse::<u16>()
                    .map_err(|_| format!("{k}=`{v}` is not a port number")),
            }
        };
        let publisher_port = port("PUBLISHER_PORT", 3000)?;
        let stream_port = port("STREAM_PORT", 3001)?;
        if publisher_port == stream_port && publisher_port != 0 {
            return Err("PUBLISHER_PORT and STREAM_PORT must differ".into());
        }
        let www_dir = PathBuf::from(get("WWW_DIR").unwrap_or_else(|| "./www".into()));
        let dist_dir = PathBuf::from(get("DIST_DIR").unwrap_or_else(|| "./dist".into()));
        let database = Database::from_vars(get("DATABASE_URL"), get("DATABASE_PATH"))?;
        let sqlite_sync = match (get("SQLITE_SYNCHRONOUS"), &database) {
            (None, _) => SqliteSync::default(),
            (Some(_), Database::Postgres(_)) => {
                return Err("SQLITE_SYNCHRONOUS applies to SQLite only; PostgreSQL's \
                            durability is its synchronous_commit setting"
                    .into())
            }
            (Some(v), Database::Sqlite(_)) => SqliteSync::parse(&v)
                .ok_or_else(|| format!("SQLITE_SYNCHRONOUS=`{v}` is not `full` or `normal`"))?,
        };
        let allowed_origins = match get("ALLOWED_ORIGINS") {
            None => vec![format!("http://localhost:{publisher_port}")],
            Some(v) => {
                let mut out = Vec::new();
                for o in v.split([',', ' ']).map(str::trim).filter(|o| !o.is_empty()) {
                    if !valid_origin(o) {
                        return Err(format!(
                            "ALLOWED_ORIGINS: `{o}` is not an origin like https://news.example"
                        ));
                    }
                    out.push(o.trim_end_matches('/').to_string());
                }
                out
            }
        };

        // Which profiles: AUTH_PROFILES if given, else inferred from the secrets set.
        let explicit: Option<Vec<Profile>> = match get("AUTH_PROFILES") {
            None => None,
            Some(v) => {
                let mut out = Vec::new();
                for name in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    match Profile::parse(name) {
                        Some(p) if !out.contains(&p) => out.push(p),
                        Some(_) => {}
                        None => {
                            return Err(format!(
                                "AUTH_PROFILES: unknown profile `{name}` (known: coral, talk-v4, token)"
                            ))
                        }
                    }
                }
                Some(out)
            }
        };
        let strategy = get("PASSPORT_STRATEGY");
        if let Some(s) = &strategy {
            if s != "token" {
                return Err(format!(
                    "PASSPORT_STRATEGY=`{s}` is not supported (only `token`)"
                ));
            }
        }
        let enabled = |p: Profile| -> bool {
            match &explicit {
                Some(list) => list.contains(&p),
                None => match p {
                    Profile::Coral => get("CORAL_SSO_SECRET").is_some(),
                    Profile::TalkV4 => get("TALK_JWT_SECRET").is_some(),
                    Profile::Token => strategy.is_some(),
                },
            }
        };
        let mut verifier = Verifier::default();
        let mut generated = Vec::new();
        for p in Profile::ALL {
            if !enabled(p) {
                continue;
            }
            let secret = match get(p.secret_var()) {
                Some(s) => s,
                None if !production && p == Profile::Coral => {
                    let s = random_hex(32);
                    generated.push((p.secret_var(), s.clone()));
                    s
                }
                None => {
                    return Err(format!(
                        "{} is not set (required for the `{}` token profile)",
                        p.secret_var(),
                        p
                    ))
                }
            };
            let (issuer, audience) = match p {
                Profile::Coral => (None, None),
                Profile::TalkV4 => (
                    Some(get("TALK_JWT_ISSUER").ok_or(
                        "TALK_JWT_ISSUER is not set (required for the `talk-v4` token profile)",
                    )?),
                    Some(get("TALK_JWT_AUDIENCE").unwrap_or_else(|| "talk".into())),
                ),
                Profile::Token => (
                    Some(get("TOKEN_AUTH_ISSUER").ok_or(
                        "TOKEN_AUTH_ISSUER is not set (required for PASSPORT_STRATEGY=token)",
                    )?),
                    Some(get("TOKEN_AUTH_AUDIENCE").ok_or(
                        "TOKEN_AUTH_AUDIENCE is not set (required for PASSPORT_STRATEGY=token)",
                    )?),
                ),
            };
            verifier.profiles.push(ProfileConfig {
                profile: p,
                secret: secret.into_bytes(),
                issuer,
                audience,
            });
        }
        if verifier.is_empty() {
            if production {
                return Err(
                    "CORAL_SSO_SECRET is not set (production mode needs a token secret: \
                     CORAL_SSO_SECRET, TALK_JWT_SECRET or PASSPORT_STRATEGY=token with \
                     TOKEN_AUTH_SHARED_SECRET)"
                        .into(),
                );
            }
            let s = random_hex(32);
            generated.push((Profile::Coral.secret_var(), s.clone()));
            verifier.profiles.push(ProfileConfig {
                profile: Profile::Coral,
                secret: s.into_bytes(),
                issuer: None,
                audience: None,
            });
        }
        if let (Some(t), Some(k)) = (verifier.get(Profile::TalkV4), verifier.get(Profile::Token)) {
            if t.issuer == k.issuer {
                return Err(
                    "TALK_JWT_ISSUER and TOKEN_AUTH_ISSUER must differ (tokens are matched to \
                     their profile by issuer)"
                        .into(),
                );
            }
        }
        for p in &verifier.profiles {
            if production && p.secret.len() < 32 {
                return Err(format!(
                    "{} is shorter than 32 characters (production mode)",
                    p.profile.secret_var()
                ));
            }
        }
        let token_auth_url = get("TOKEN_AUTH_URL");
        if let Some(u) = &token_auth_url {
            if !(u.starts_with("http://") || u.starts_with("https://") || u.starts_with('/')) {
                return Err(format!("TOKEN_AUTH_URL=`{u}` is not a URL"));
            }
        }
        let token_user_lookup = match get("TALK_TOKEN_USER_URL") {
            None => None,
            Some(_) if verifier.get(Profile::TalkV4).is_none() => {
                return Err("TALK_TOKEN_USER_URL needs the talk-v4 token profile \
                            (TALK_JWT_SECRET, TALK_JWT_ISSUER)"
                    .into())
            }
            Some(u) => Some(UserLookup::new(&u)?),
        };
        let public_origin = get("STREAM_PUBLIC_ORIGIN");
        if let Some(o) = &public_origin {
            if !valid_origin(o) {
                return Err(format!(
                    "STREAM_PUBLIC_ORIGIN=`{o}` is not an origin like https://comments.example"
                ));
            }
        }
        Ok(Config {
            production,
            publisher_port,
            stream_port,
            www_dir,
            dist_dir,
            database,
            sqlite_sync,
            allowed_origins,
            token_auth_url,
            token_user_lookup,
            public_origin: public_origin.map(|o| o.trim_end_matches('/').to_string()),
            verifier,
            generated,
        })
    }
}

/// `scheme://host[:port]` with no path, query or fragment.
pub fn valid_origin(o: &str) -> bool {
    let o = o.trim_end_matches('/');
    let rest = if let Some(r) = o.strip_prefix("https://") {
        r
    } else if let Some(r) = o.strip_prefix("http://") {
        r
    } else {
        return false;
    };
    !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_'))
}
