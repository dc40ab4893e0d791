//! `stream-server token …`: personal access tokens from the command line,
//! for the first token (there is no admin UI) and for rotation.
//!
//! ```text
//! stream-server token create --name NAME   # prints the token once
//! stream-server token list                 # id, name, created, owner
//! stream-server token revoke ID            # refused from the next request on
//! ```
//!
//! Tokens made here belong to the operator account (`local:stream-admin`,
//! role `ADMIN`), created on first use. The database is the server's
//! (`DATABASE_URL` or `DATABASE_PATH`, SQLite or PostgreSQL, read as the
//! server reads them); the server may be running.

use super::store::OPERATOR;
use super::{export, pat};
use crate::config::Database;
use crate::store::{Store, StoreError};
use std::io::Write;

const USAGE: &str = "usage: stream-server token create --name NAME | token list | token revoke ID";

/// Runs `token <args>` against the database `DATABASE_URL` or
/// `DATABASE_PATH` names; returns the exit code (0 ok, 1 failure, 2
/// usage). The token goes to `out` once; messages to `err`.
pub async fn run(
    args: &[String],
    var: &dyn Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let set = |k: &str| {
        var(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let command = match args.as_slice() {
        ["create", "--name", name] => Command::Create(name),
        ["create", flag] if flag.starts_with("--name=") => Command::Create(&flag[7..]),
        ["list"] => Command::List,
        ["revoke", id] => Command::Revoke(id),
        _ => return usage(err),
    };
    let database = match Database::from_vars(set("DATABASE_URL"), set("DATABASE_PATH")) {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(err, "stream-server: {e}");
            return 2;
        }
    };
    let db = match Store::open(&database).await {
        Ok(db) => db,
        Err(e) => {
            let _ = writeln!(
                err,
                "stream-server: cannot open {}: {e}",
                database.redacted()
            );
            return 1;
        }
    };
    let result = command.run(&db, crate::auth::now(), out).await;
    db.close().await;
    match result {
        Ok(()) => 0,
        Err(msg) => {
            let _ = writeln!(err, "stream-server: {msg}");
            1
        }
    }
}

fn usage(err: &mut dyn Write) -> i32 {
    let _ = writeln!(err, "{USAGE}");
    2
}

enum Command<'a> {
    Create(&'a str),
    List,
    Revoke(&'a str),
}

impl Command<'_> {
    async fn run(&self, db: &Store, now: i64, out: &mut dyn Write) -> Result<(), String> {
        let sql = |e: StoreError| e.to_string();
        match self {
            Command::Create(name) => {
                let name = name.trim();
                if name.is_empty()
                    || name.chars().count() > 100
                    || name.chars().any(char::is_control)
                {
                    return Err("--name must be 1 to 100 characters".into());
                }
                let new = pat::generate().map_err(|e| format!("no randomness: {e}"))?;
                let owner = db.ensure_operator(now).await.map_err(sql)?;
                let t = db
                    .create_token(owner.row_id, name, &new.digest, now)
                    .await
                    .map_err(sql)?;
                writeln!(
                    out,
                    "id: {}\nname: {}\nowner: {}:{}\ntoken: {}\n\n\
                     Store the token now: it is shown once and only its hash is kept.",
                    t.id, t.name, OPERATOR.0, OPERATOR.1, new.secret
                )
                .map_err(|e| e.to_string())
            }
            Command::List => {
                for (t, owner) in db.active_tokens().await.map_err(sql)? {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{owner}",
                        t.id,
                        export::coral_timestamp(t.created_at),
                        t.name
                    )
                    .map_err(|e| e.to_string())?;
                }
                Ok(())
            }
            Command::Revoke(id) => {
                if db.revoke_token(id, now).await.map_err(sql)? {
                    writeln!(out, "revoked {id}").map_err(|e| e.to_string())
                } else {
                    Err(format!("no active token has id {id}"))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::run;

    async fn cli(path: &str, args: &[&str]) -> (i32, String, String) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let p = path.to_string();
        let code = run(
            &args,
            &|k| (k == "DATABASE_PATH").then(|| p.clone()),
            &mut out,
            &mut err,
        )
        .await;
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap_or_default();
        (code, text(out), text(err))
    }

    #[tokio::test]
    async fn create_list_revoke_and_usage() {
        let dir = std::env::temp_dir().join(format!("stream-cli-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = dir.join("db.sqlite3");
        let path = db.to_str().unwrap_or_default();
        let (code, out, _) = cli(path, &["create", "--name", "sync job"]).await;
        assert_eq!(code, 0);
        let token = out
            .lines()
            .find_map(|l| l.strip_prefix("token: "))
            .unwrap_or_default();
        assert!(crate::admin::pat::well_formed(token), "{out}");
        let id = out
            .lines()
            .find_map(|l| l.strip_prefix("id: "))
            .unwrap_or_default()
            .to_string();
        let (code, listed, _) = cli(path, &["list"]).await;
        assert_eq!(code, 0);
        assert!(
            listed.contains(&id) && listed.contains("sync job"),
            "{listed}"
        );
        assert!(!listed.contains(token), "list never shows a token");
        assert_eq!(cli(path, &["create", "--name=second"]).await.0, 0);
        assert_eq!(cli(path, &["revoke", &id]).await.0, 0);
        let (code, _, err) = cli(path, &["revoke", &id]).await;
        assert_eq!(code, 1, "already revoked: {err}");
        assert!(!cli(path, &["list"]).await.1.contains(&id));
        assert_eq!(cli(path, &["create", "--name", " "]).await.0, 1);
        assert_eq!(cli(path, &["create"]).await.0, 2);
        assert_eq!(cli(path, &["frobnicate"]).await.0, 2);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
