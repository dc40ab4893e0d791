//! Reference stream server for stream-embed.
//!
//! Two origins in one process: the publisher demo site (`www/`) and the
//! stream origin (SDK files from `dist/`, the stream page and its JSON API).
//! Tokens are verified per the `coral`, `talk-v4` and `token` profiles
//! ([`auth`]); users and comments live in SQLite or PostgreSQL ([`store`]).

pub mod admin;
pub mod auth;
pub mod config;
pub mod dev;
pub mod http;
pub mod random;
pub mod store;

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use tokio::net::TcpListener;

/// Binds both origins, prints the URL lines and serves until Ctrl-C / SIGTERM.
pub async fn run(mut cfg: config::Config) -> Result<(), String> {
    let default_origins = cfg.allowed_origins == vec![cfg.publisher_origin()];
    let pub_v4 = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, cfg.publisher_port)))
        .await
        .map_err(|e| {
            format!(
                "cannot bind 127.0.0.1:{} (PUBLISHER_PORT): {e}",
                cfg.publisher_port
            )
        })?;
    let pub_port = pub_v4.local_addr().map_err(|e| e.to_string())?.port();
    // Chromium may resolve `localhost` to ::1; serve there too when possible.
    let pub_v6 = TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, pub_port)))
        .await
        .ok();
    let stream = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, cfg.stream_port)))
        .await
        .map_err(|e| {
            format!(
                "cannot bind 127.0.0.1:{} (STREAM_PORT): {e}",
                cfg.stream_port
            )
        })?;
    cfg.publisher_port = pub_port;
    cfg.stream_port = stream.local_addr().map_err(|e| e.to_string())?.port();
    if default_origins {
        cfg.allowed_origins = vec![cfg.publisher_origin()];
    }
    let store = store::Store::open_with(&cfg.database, cfg.sqlite_sync)
        .await
        .map_err(|e| format!("cannot open {}: {e}", cfg.database.redacted()))?;
    let durability = store.durability().await.map_err(|e| e.to_string())?;

    println!("publisher: {}/", cfg.publisher_origin());
    println!("stream: {}/", cfg.stream_origin());
    for (var, secret) in &cfg.generated {
        println!("dev secret: {var}={secret}");
    }
    eprintln!(
        "mode: {}; token profiles: {}; frame-ancestors: {}; database: {} ({durability})",
        if cfg.production {
            "production"
        } else {
            "development"
        },
        cfg.profile_names().join(", "),
        cfg.allowed_origins.join(" "),
        cfg.database.redacted()
    );
    use std::io::Write as _;
    let _ = std::io::stdout().flush();

    let state = Arc::new(http::AppState {
        cfg,
        store: store.clone(),
    });
    let publisher = http::publisher_router(state.clone());
    let stream_app = http::stream_router(state.clone());

    let shutdown = async {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let term = async {
            if let Ok(mut s) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            {
                s.recv().await;
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    };
    let (tx, _) = tokio::sync::broadcast::channel::<()>(1);
    let serve = |l: TcpListener, app: axum::Router| {
        let mut rx = tx.subscribe();
        tokio::spawn(async move {
            axum::serve(l, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.recv().await;
                })
                .await
        })
    };
    let mut tasks = vec![serve(pub_v4, publisher.clone()), serve(stream, stream_app)];
    if let Some(l) = pub_v6 {
        tasks.push(serve(l, publisher));
    }
    shutdown.await;
    let _ = tx.send(());
    // Let open requests finish, but do not wait for idle keep-alive
    // connections (a browser may hold them open indefinitely).
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), async {
        for t in tasks {
            let _ = t.await;
        }
    })
    .await;
    store.close().await;
    Ok(())
}
