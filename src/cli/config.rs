//! `motcua config …`: the station's settings (keys, defaults and checks live in the
//! application layer).

use super::{open, print_json};
use crate::cli::out::outln;
use crate::paths::Paths;
use anyhow::Result;
use motcua_app::settings::Key;

/// Config subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ConfigCmd {
    /// Show every setting and its value.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Change a setting.
    Set { key: String, value: String },
}

/// Runs a config subcommand.
pub fn run(cmd: ConfigCmd, acting: Option<String>, paths: &Paths) -> Result<()> {
    let mut counter = open(paths)?;
    match cmd {
        ConfigCmd::Show { json } => {
            let values = counter.settings_raw()?;
            if json {
                return print_json(
                    &values
                        .into_iter()
                        .map(|(k, v)| (k.name(), v))
                        .collect::<std::collections::BTreeMap<_, _>>(),
                );
            }
            for (k, value) in values {
                outln!("{} = {value}\n    {}", k.name(), k.help())?;
            }
            Ok(())
        }
        ConfigCmd::Set { key, value } => {
            let key = Key::parse(&key)?;
            let by = super::admin(&counter, acting.as_deref())?;
            let value = counter.set_setting(&by, key, &value)?;
            outln!("Đã đặt {} = {value}", key.name())?;
            Ok(())
        }
    }
}
