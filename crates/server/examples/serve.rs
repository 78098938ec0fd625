//! Serves a data directory until Ctrl-C, for trying the server before
//! `storyline serve` exists: `cargo run -p storyline-server --example serve -- DIR [ADDR]`.

use std::net::SocketAddr;
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("STORYLINE_LOG")
                .unwrap_or_else(|_| "info,tower_http=debug".into()),
        )
        .init();
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: serve DATA_DIR [ADDR]")?;
    let addr: SocketAddr = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:8080".into())
        .parse()?;
    let engine = Arc::new(storyline_engine::Engine::open(dir.as_ref())?);
    storyline_server::serve_blocking(engine, addr, storyline_server::ServerConfig::default())?;
    Ok(())
}
