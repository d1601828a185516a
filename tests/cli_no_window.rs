//! `motcua` with no command opens the window; on a machine with no display to open it on,
//! it prints the text summary and says why (exit 0), before and after the setup.

mod common;

use common::{motcua, station};

fn no_display(dir: &std::path::Path) -> String {
    let out = motcua(dir)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn without_a_display_the_summary_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    let text = no_display(&d);
    assert!(
        text.contains("Không mở được cửa sổ (không có màn hình"),
        "{text}"
    );
    assert!(text.contains("Máy này chưa được thiết lập"), "{text}");
    assert!(!d.exists(), "nothing is created by looking");
    station(&d, 2);
    let text = no_display(&d);
    assert!(text.contains("quầy số 2 của UBND xã Tân Lập"), "{text}");
}

#[test]
fn a_display_that_cannot_be_opened_gives_the_summary_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    station(&d, 1);
    let out = motcua(&d)
        .env("DISPLAY", ":4242")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}{err}");
    assert!(text.contains("Không mở được cửa sổ ("), "{text}");
    assert!(text.contains("quầy số 1 của UBND xã Tân Lập"), "{text}");
    assert!(!err.contains("panicked"), "{err}");
}
