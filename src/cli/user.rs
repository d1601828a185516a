//! `motcua user …`: clerk accounts.

use super::{open, print_json};
use crate::cli::out::{self, outln};
use crate::paths::Paths;
use anyhow::{Context, Result};
use motcua_app::AccountForm;
use std::io::BufRead;

/// Account subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum UserCmd {
    /// Create a clerk account.
    Add {
        username: String,
        #[arg(long)]
        full_name: String,
        /// clerk (cán bộ), admin (quản trị viên) or head (lãnh đạo văn phòng: reviews the
        /// access log and the reports, changes nothing).
        #[arg(long, default_value = "clerk", value_parser = ["clerk", "admin", "head"])]
        role: String,
        /// Read the password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
        #[arg(long)]
        json: bool,
    },
}

/// Runs an account subcommand.
pub fn run(cmd: UserCmd, acting: Option<String>, paths: &Paths) -> Result<()> {
    match cmd {
        UserCmd::Add {
            username,
            full_name,
            role,
            password_stdin: _,
            json,
        } => {
            // Who acts is checked before a password is read.
            let mut counter = open(paths)?;
            let by = super::admin(&counter, acting.as_deref())?;
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("không đọc được mật khẩu từ đầu vào chuẩn")?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            let user = counter.add_user(
                &AccountForm {
                    username,
                    full_name,
                    role: role.parse()?,
                    password,
                    confirm: None,
                },
                &by,
            )?;
            let saved = format!("Tài khoản «{}» ĐÃ được tạo", user.username);
            out::after_saving(saved, || {
                if json {
                    print_json(&user)
                } else {
                    outln!("Đã tạo tài khoản «{}» ({}).", user.username, user.full_name)?;
                    Ok(())
                }
            })
        }
    }
}
