//! Part 3: the reports screen (F6) — the period's figures, the on-time chart, the overdue
//! list opened by keyboard, Biểu 06 printed and exported; closed to clerks.

use super::*;
use motcua_core::status::Status;

/// Receives a dossier of Xác nhận tình trạng hôn nhân (3 working days) for `name`,
/// backdated to `at`.
fn receive_at(s: &Station, name: &str, at: &str) -> String {
    let at = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap();
    s.receive_marriage_status(name, None, Some(at))
}

#[test]
fn the_dashboard_counts_the_period_and_opens_an_overdue_dossier_by_keyboard() {
    let s = Station::new();
    // Two overdue (the older one the later), one pending in time, one ended early.
    let oldest = receive_at(&s, "Lò Văn Một", "2026-11-03 09:00");
    let older = receive_at(&s, "Lò Văn Hai", "2026-11-16 09:00");
    receive_at(&s, "Lò Văn Ba", "2026-11-24 09:00");
    let done = receive_at(&s, "Lò Văn Bốn", "2026-11-24 10:00");
    s.counter()
        .change(
            &done,
            motcua_app::change::Change::Status {
                to: Status::ResultReady,
                note: None,
            },
            "lan",
            &motcua_app::change::Paper::Keep,
        )
        .unwrap();
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F6);
    // 25/11/2026 with the report closing on the 15th: the period of December.
    assert!(w.shows("Tháng 12 năm 2026 — Từ ngày 15/11/2026 đến ngày 14/12/2026"));
    assert!(w.shows("Tiếp nhận 4 hồ sơ (từ kỳ trước 1; trực tuyến 0)"));
    assert!(w.shows("Đã giải quyết 1: trước hạn 1, đúng hạn 0, quá hạn 0"));
    assert!(w.shows("Đang giải quyết 3: trong hạn 1, quá hạn 2"));
    assert!(w.shows("Tỷ lệ hồ sơ giải quyết đúng hạn: 50,0 % (2/4)"));
    assert!(w.shows("2 hồ sơ quá hạn"));
    assert!(w.shows(&oldest) && w.shows(&older));
    assert!(w.shows("Trần Thị Lan"), "who received it, by name");
    assert!(w.shows("1. Xác nhận tình trạng hôn nhân: 3"));
    // The year, then the one before.
    w.press(Key::Character("4".into()));
    assert!(w.shows("Năm 2026 — Từ ngày 15/12/2025 đến ngày 14/12/2026"));
    w.key(Named::ArrowLeft);
    assert!(w.shows("Năm 2025 — Từ ngày 15/12/2024 đến ngày 14/12/2025"));
    assert!(w.shows(T::ReportsNoOverdue.vi()));
    w.key(Named::ArrowRight);
    assert!(w.shows("2 hồ sơ quá hạn"));
    // Away and back: the same period, counted again.
    w.key(Named::F1);
    w.key(Named::F6);
    assert!(w.shows("Năm 2026 — Từ ngày 15/12/2025 đến ngày 14/12/2026"));
    // Biểu 06 printed and exported.
    w.ctrl("p");
    match s.printer.recorded().last() {
        Some(motcua_app::print::Recorded::Printed { file, .. }) => {
            assert!(
                file.display()
                    .to_string()
                    .ends_with("20251215_20261214-bieu06.pdf")
            );
            // The year is not over: the paper says how far its figures go.
            let text = std::process::Command::new("pdftotext")
                .args(["-layout".as_ref(), file.as_os_str(), "-".as_ref()])
                .output()
                .expect("pdftotext (poppler-utils) runs");
            let text = String::from_utf8_lossy(&text.stdout);
            assert!(
                text.contains("Số liệu tính đến")
                    && text.contains("ngày 25/11/2026 (kỳ báo cáo chưa kết thúc)"),
                "{text}"
            );
        }
        other => panic!("Biểu 06 not printed: {other:?}"),
    }
    w.ctrl("e");
    let xlsx = s
        .paths
        .receipts
        .join("2026")
        .join("20251215_20261214-bieu06.xlsx");
    assert!(w.shows(&i18n::report_exported(&xlsx.display().to_string())));
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 0);
    // The latest first: Down selects the second, Enter opens it on the register.
    w.key(Named::ArrowDown);
    w.key(Named::Enter);
    assert!(w.shows("Nhật ký hồ sơ"), "the dossier is open");
    assert!(w.shows("Lò Văn Hai"));
}

#[test]
fn a_clerk_is_told_the_reports_are_for_admins() {
    let s = Station::new();
    s.counter()
        .add_user(
            &AccountForm {
                username: "hoa".into(),
                full_name: "Lê Thị Hoa".into(),
                role: Role::Clerk,
                password: "mật khẩu của hoa".into(),
                confirm: None,
            },
            &s.counter().station_owner(),
        )
        .unwrap();
    let mut w = s.open();
    w.type_text("hoa");
    w.enter();
    w.type_text("mật khẩu của hoa");
    w.enter();
    w.key(Named::F6);
    assert!(w.shows(T::ReportsAdminOnly.vi()));
    assert!(!w.shows(T::ReportsOverdue.vi()));
    // And the application layer refuses a clerk's dashboard whatever the front end.
    assert!(s.counter().admin("hoa").is_err());
}
