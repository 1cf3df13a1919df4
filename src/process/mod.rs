//! The program around the service: commands, settings, wiring and listening, the background
//! purge and logging. The top floor: it may use every layer, and none uses it.

pub mod cli;
pub mod config;
pub mod connections;
pub mod retention;
pub mod server;
pub mod telemetry;
