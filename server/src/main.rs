//! `stream-server`: see `server/README.md`.

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("token") {
        // `stream-server token …`: personal access tokens (crate::admin::cli).
        let code = stream_server::admin::cli::run(
            &args[1..],
            &|k| std::env::var(k).ok(),
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        )
        .await;
        std::process::exit(code);
    }
    let cfg = match stream_server::config::Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("stream-server: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = stream_server::run(cfg).await {
        eprintln!("stream-server: {e}");
        std::process::exit(1);
    }
}
