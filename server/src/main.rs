//! `stream-server`: see `server/README.md`.

#[tokio::main]
async fn main() {
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
