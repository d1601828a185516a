//! `motcua dev …`: tools for benchmarks and robustness tests, not for the counter.

use super::open;
use crate::cli::out::errln;
use crate::paths::Paths;
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;

/// Development subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum DevCmd {
    /// Generate N realistic dossiers spread over days (benchmarks).
    Seed {
        #[arg(long)]
        clerk: String,
        #[arg(long)]
        count: u64,
        /// Spread over this many days ending at --end.
        #[arg(long, default_value_t = 1)]
        days: u64,
        /// Last day (default today).
        #[arg(long, value_parser = crate::cli::date_arg)]
        end: Option<NaiveDate>,
        /// Dossiers per transaction.
        #[arg(long, default_value_t = 5000)]
        batch: usize,
        /// Seed of the generator (same seed, same people).
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Receive dossiers one transaction at a time and print each code once it is durable
    /// (the crash test kills this process at random moments).
    ReceiveLoop {
        #[arg(long)]
        clerk: String,
        #[arg(long)]
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Runs a development subcommand.
pub fn run(cmd: DevCmd, paths: &Paths) -> Result<()> {
    let mut counter = open(paths)?;
    match cmd {
        DevCmd::Seed {
            clerk,
            count,
            days,
            end,
            batch,
            seed,
        } => {
            let mut g = counter.generator(&clerk, seed)?;
            let end = end.unwrap_or_else(|| counter.now().date_naive());
            let s = counter.seed(&mut g, count, days, end, batch)?;
            errln!(
                "seeded {} dossiers over {} day(s) in {:.1} s",
                s.count,
                s.days,
                s.seconds
            );
            Ok(())
        }
        DevCmd::ReceiveLoop { clerk, count, seed } => {
            let mut g = counter.generator(&clerk, seed)?;
            let out = std::io::stdout();
            for _ in 0..count {
                let code = counter.receive_generated(&mut g)?;
                let mut lock = out.lock();
                writeln!(lock, "{code}")?;
                lock.flush()?;
            }
            Ok(())
        }
    }
}
