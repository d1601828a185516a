//! `motcua calendar …`: lunar conversion, holiday tables and appointment dates (no database).

use std::path::Path;

/// Calendar subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum CalendarCmd {}

/// Runs one calendar subcommand. `data_dir` may hold office-added yearly schedules.
pub fn run(cmd: CalendarCmd, _data_dir: &Path) -> anyhow::Result<()> {
    match cmd {}
}
