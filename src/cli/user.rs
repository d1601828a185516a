//! `motcua user …`: clerk accounts.

use super::{now_vn, open_store, print_json};
use crate::paths::Paths;
use anyhow::{Context, Result};
use motcua_store::NewUser;
use std::io::BufRead;

/// Account subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum UserCmd {
    /// Create a clerk account.
    Add {
        username: String,
        #[arg(long)]
        full_name: String,
        #[arg(long, default_value = "clerk", value_parser = ["clerk", "admin"])]
        role: String,
        /// Read the password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
        #[arg(long)]
        json: bool,
    },
}

/// Runs an account subcommand.
pub fn run(cmd: UserCmd, paths: &Paths) -> Result<()> {
    match cmd {
        UserCmd::Add {
            username,
            full_name,
            role,
            password_stdin: _,
            json,
        } => {
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("không đọc được mật khẩu từ đầu vào chuẩn")?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            let mut store = open_store(paths)?;
            let user = store.add_user(
                &NewUser {
                    username,
                    full_name,
                    role: role.parse()?,
                    password,
                },
                "system",
                now_vn(),
            )?;
            if json {
                print_json(&user)
            } else {
                println!("Đã tạo tài khoản «{}» ({}).", user.username, user.full_name);
                Ok(())
            }
        }
    }
}
