//! `motcua recover` and `motcua sync enroll --recover`: events the database lost, fetched
//! back from the hub; a replacement PC rebuilt from the hub.

use super::open;
use crate::cli::out::{self, outln};
use crate::paths::Paths;
use anyhow::{Context, Result};
use motcua_app::recovery::{Loss, RecoveryReport};
use motcua_app::{Counter, Env};
use std::path::Path;

fn print_report(r: &RecoveryReport) -> Result<()> {
    for line in r.lines() {
        outln!("{line}")?;
    }
    Ok(())
}

/// Fetches the events the database lacks from the hub; with `accept_loss`, accepts the
/// loss of what nobody holds. Exits non-zero while events are still missing.
pub fn recover(accept_loss: bool, paths: &Paths) -> Result<()> {
    let mut counter = open(paths)?;
    let r = counter.recover(if accept_loss {
        Loss::Accept
    } else {
        Loss::Refuse
    })?;
    let missing = r.missing;
    let saved = format!(
        "Đã khôi phục nhật ký đến sự kiện số {} (trước đó {})",
        r.after, r.before
    );
    out::after_saving(saved, || print_report(&r))?;
    if missing > 0 {
        anyhow::bail!(
            "cơ sở dữ liệu vẫn thiếu {missing} sự kiện; quầy chưa thể cấp mã hồ sơ; chạy lại «motcua recover» khi có mạng, hoặc «motcua recover --accept-loss» nếu chắc chắn không còn nơi nào giữ chúng"
        );
    }
    Ok(())
}

/// Rebuilds the station `station_id` in this (new) data directory from the hub.
pub fn rebuild(
    hub: &str,
    token: &str,
    station_id: &str,
    admin: &str,
    ca_cert: Option<&Path>,
    paths: &Paths,
) -> Result<()> {
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .context("không đọc được mật khẩu mới của quản trị viên từ đầu vào chuẩn")?;
    let password = password.trim_end_matches(['\n', '\r']);
    let (counter, r) = Counter::rebuild_from_hub(
        paths.clone(),
        Env::system(),
        hub,
        token,
        station_id,
        ca_cert,
        admin,
        password,
    )?;
    let summary = counter.verify()?;
    let saved = format!(
        "Đã dựng lại quầy {station_id} từ máy chủ tỉnh: {} hồ sơ",
        summary.dossiers
    );
    out::after_saving(saved, || {
        print_report(&r)?;
        outln!(
            "Đã dựng lại quầy {station_id} từ máy chủ tỉnh {hub}: {} hồ sơ, nhật ký toàn vẹn ({} sự kiện). Quản trị viên «{admin}» đăng nhập bằng mật khẩu vừa đặt.",
            summary.dossiers,
            summary.events
        )?;
        Ok(())
    })
}
