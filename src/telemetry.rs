//! Logging through `tracing`: human-readable text by default, JSON lines with `LOG_FORMAT=json`.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber. `level` is a level (`info`) or any `EnvFilter` directive.
pub fn init(level: &str, format: &str) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(level)
        .map_err(|e| anyhow::anyhow!("LOG_LEVEL {level:?} is not a level or filter: {e}"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let installed = match format {
        "json" => builder.json().try_init(),
        "text" => builder.try_init(),
        other => anyhow::bail!("LOG_FORMAT must be text or json, not {other:?}"),
    };
    // A second init (as in tests that start several servers) keeps the first subscriber.
    let _ = installed;
    Ok(())
}
