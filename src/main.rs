//! motcua: the one-stop counter app (CLI for now; the window comes later).

mod cli;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Command line of the counter app.
#[derive(Debug, Parser)]
#[command(name = "motcua", version, about = "Phần mềm tiếp nhận hồ sơ một cửa cấp xã")]
struct Cli {
    /// Data directory (database, keys, receipts).
    #[arg(long, global = true, env = "MOTCUA_DATA_DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lunar calendar, holidays and appointment dates.
    #[command(subcommand)]
    Calendar(cli::calendar::CalendarCmd),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let data_dir = cli.data_dir.unwrap_or_else(|| PathBuf::from("."));
    match cli.command {
        Command::Calendar(cmd) => cli::calendar::run(cmd, &data_dir),
    }
}
