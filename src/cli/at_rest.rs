//! `motcua encrypt`: the register encrypted at rest, its copies, and who can open it.

use crate::cli::out::{self, outln};
use crate::paths::Paths;
use anyhow::{Context, Result, bail};
use motcua_app::Env;
use motcua_app::at_rest::{self, SlotKind};
use std::io::BufRead;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct EncryptArgs {
    /// Read the acting admin's password (`--as`) from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
    /// A backup of this register kept elsewhere, encrypted along with it (repeatable).
    /// On a register encrypted already: encrypt these copies only.
    #[arg(long = "copy", value_name = "TỆP")]
    copies: Vec<PathBuf>,
    /// Say whether the register is encrypted and what opens it; change nothing.
    #[arg(long, conflicts_with_all = ["password_stdin", "copies"])]
    status: bool,
}

/// Runs `motcua encrypt`.
pub fn encrypt(args: EncryptArgs, acting: Option<String>, paths: &Paths) -> Result<()> {
    if args.status {
        return status(paths);
    }
    if at_rest::is_encrypted(paths)? {
        if args.copies.is_empty() {
            bail!("sổ đăng ký đã được mã hóa rồi («motcua encrypt --status» cho biết ai mở được)");
        }
        let done = at_rest::encrypt_copies(paths, &args.copies)?;
        for c in &args.copies {
            let what = if done.contains(c) {
                "đã mã hóa"
            } else {
                "đã được mã hóa từ trước"
            };
            outln!("{}: {what}.", c.display())?;
        }
        return Ok(());
    }
    let Some(admin) = acting else {
        bail!(
            "hãy chỉ rõ quản trị viên mã hóa sổ: «motcua --as TÊN encrypt --password-stdin» (mật khẩu của người đó mở sổ về sau)"
        );
    };
    if !args.password_stdin {
        bail!(
            "cần mật khẩu của quản trị viên: thêm --password-stdin và đưa mật khẩu vào đầu vào chuẩn"
        );
    }
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .context("không đọc được mật khẩu từ đầu vào chuẩn")?;
    let password = password.trim_end_matches(['\n', '\r']);
    let done = at_rest::encrypt(paths, &Env::system(), &admin, password, &args.copies)?;
    out::after_saving("Sổ đăng ký ĐÃ được mã hóa".to_string(), || {
        outln!(
            "Đã mã hóa sổ đăng ký ({} hồ sơ) tại {}.",
            done.dossiers,
            paths.db.display()
        )?;
        outln!(
            "Mã khôi phục (chỉ hiện MỘT lần; chép ra giấy và cất ở nơi an toàn, không lưu trên máy này): {}",
            done.recovery_code
        )?;
        if done.sealed_to_account {
            outln!(
                "Khóa được gắn với tài khoản Windows đang dùng: cửa sổ và đồng bộ nền mở sổ mà không cần mật khẩu; máy bị lấy đi hay tài khoản khác thì không đọc được."
            )?;
        } else {
            outln!(
                "Sổ được mở bằng mật khẩu khi đăng nhập cửa sổ (mỗi tài khoản có khe khóa riêng, tạo khi họ đăng nhập sau một quản trị viên); dòng lệnh đọc mật khẩu từ tệp {}.",
                at_rest::PASSWORD_FILE_VAR
            )?;
        }
        for c in &done.copies {
            outln!("Bản sao đã mã hóa theo: {}", c.display())?;
        }
        Ok(())
    })
}

fn status(paths: &Paths) -> Result<()> {
    if !at_rest::is_encrypted(paths)? {
        outln!("Sổ đăng ký {} CHƯA được mã hóa.", paths.db.display())?;
        return Ok(());
    }
    outln!(
        "Sổ đăng ký {} đã được mã hóa (SQLCipher 4, AES-256).",
        paths.db.display()
    )?;
    for (kind, user) in at_rest::slots(paths)? {
        match kind {
            SlotKind::Windows => outln!("- khóa gắn với tài khoản Windows")?,
            SlotKind::Password => outln!("- mật khẩu của tài khoản «{user}»")?,
            SlotKind::Recovery => outln!("- mã khôi phục")?,
        }
    }
    Ok(())
}
