//! The forms rendered from the register, kept and printed.

use super::*;
use crate::counter::testing::*;
use crate::print::{PrintError, Recorded, RecordingPrinter};
use crate::settings::Key;

#[test]
fn place_names() {
    assert_eq!(place_from("UBND xã Tân Lập"), "Tân Lập");
    assert_eq!(place_from("Ủy ban nhân dân phường Ba Đình"), "Ba Đình");
    assert_eq!(place_from("Xã Đông Sơn"), "Đông Sơn");
    assert_eq!(place_from("UBND"), "UBND");
}

#[test]
fn the_case_is_named_when_it_says_more() {
    use motcua_core::dossier::CaseRef;
    let mut f = fixture();
    let mut d = f.counter.receive(&form("A")).unwrap().dossier;
    let plain = d.procedure.name.clone();
    assert_eq!(procedure_text(&d), plain);
    d.procedure.case = Some(CaseRef {
        code: "x.01".into(),
        name: plain.to_uppercase(),
    });
    assert_eq!(procedure_text(&d), plain, "a case that repeats the name");
    d.procedure.case = Some(CaseRef {
        code: "x.02".into(),
        name: " Có yếu tố nước ngoài ".into(),
    });
    assert_eq!(
        procedure_text(&d),
        format!("{plain} (Có yếu tố nước ngoài)")
    );
}

#[test]
fn unit_names() {
    let t = "Trung tâm Phục vụ hành chính công";
    assert_eq!(unit_from("UBND xã Tân Lập"), format!("{t} xã Tân Lập"));
    assert_eq!(
        unit_from("Ủy ban nhân dân phường Ba Đình"),
        format!("{t} phường Ba Đình")
    );
    assert_eq!(unit_from("Xã Đông Sơn"), format!("{t} xã Đông Sơn"));
    assert_eq!(
        unit_from("UBND đặc khu Phú Quốc"),
        format!("{t} đặc khu Phú Quốc")
    );
    assert_eq!(
        unit_from("Huyện đảo Cồn Cỏ"),
        format!("{t} Huyện đảo Cồn Cỏ")
    );
}

#[test]
fn statutory_times() {
    use motcua_core::calendar::Term;
    use motcua_core::dossier::{ProcedureRef, TermSource};
    let of = |term: Option<Term>| ProcedureRef {
        code: "1.001193".into(),
        name: "Đăng ký khai sinh".into(),
        catalog_version: "v".into(),
        term,
        case: None,
        term_source: None,
        field: None,
    };
    let three = Some(Term::WorkingDays(3));
    assert_eq!(statutory_time(&of(three)), "03 ngày làm việc");
    assert_eq!(statutory_time(&of(Some(Term::SameDay))), "trong ngày");
    assert_eq!(statutory_time(&of(Some(Term::CalendarDays(30)))), "30 ngày");
    assert_eq!(
        statutory_time(&of(Some(Term::WorkingHours(4)))),
        "04 giờ làm việc"
    );
    assert_eq!(statutory_time(&of(Some(Term::ClockHours(12)))), "12 giờ");
    assert_eq!(statutory_time(&of(Some(Term::Months(2)))), "02 tháng");
    let mut none = of(None);
    none.term_source = Some(TermSource::Appointment);
    assert!(statutory_time(&none).starts_with("không quy định thời hạn"));
    assert_eq!(term_basis(&of(three)), None);
    none.term_source = Some(TermSource::Typed {
        text: "5 ngày làm việc".into(),
    });
    assert_eq!(
        term_basis(&none).unwrap(),
        "Do cán bộ ghi theo văn bản niêm yết: «5 ngày làm việc»"
    );
}

#[test]
fn receipt_is_rendered_and_kept_private() {
    let mut f = fixture();
    let r = f.counter.receive(&form("Nguyễn Văn An")).unwrap();
    let code = r.dossier.code.to_string();
    let pdf = f.counter.receipt(&code, Some(ReceiptLayout::A5x2)).unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF"));
    assert_eq!(std::fs::read(&pdf.kept).unwrap(), pdf.bytes);
    assert!(
        pdf.kept
            .ends_with(format!("receipts/2026/{code}-mau01.pdf"))
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&pdf.kept).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0);
    }
}

#[test]
fn printing_uses_the_settings_and_a_failure_keeps_the_pdf() {
    let mut f = fixture();
    let code = f
        .counter
        .receive(&form("A"))
        .unwrap()
        .dossier
        .code
        .to_string();
    let lan = f.counter.admin("lan").unwrap();
    f.counter.set_setting(&lan, Key::Printer, "Quay2").unwrap();
    f.counter.set_setting(&lan, Key::Copies, "2").unwrap();
    let p = f
        .counter
        .print_receipt(&code, &PrintRequest::default())
        .unwrap();
    assert!(
        matches!(&p.delivered, Delivered::Printed { job, copies: 2 } if job.printer == "Quay2")
    );
    let rec = f.printer.recorded();
    assert!(
        matches!(&rec[0], Recorded::Printed { printer, copies: 2, title, .. }
        if printer == "Quay2" && title == &format!("GiayTiepNhan-{code}"))
    );

    let mut broken = fixture_with(RecordingPrinter::with_printers(&["PDF"]).failing(
        PrintError::Refused {
            printer: "PDF".into(),
            detail: "hết giấy".into(),
        },
    ));
    let code = broken
        .counter
        .receive(&form("B"))
        .unwrap()
        .dossier
        .code
        .to_string();
    let e = broken
        .counter
        .print_receipt(&code, &PrintRequest::default())
        .unwrap_err();
    assert!(e.to_string().contains("vẫn được lưu an toàn"), "{e}");
    assert!(e.log_line().contains("hết giấy"), "{}", e.log_line());
    let AppError::PrintFailed { kept, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(kept.exists());
    assert!(broken.counter.dossier(&code).is_ok());
}

#[test]
fn no_printer_anywhere_opens_the_viewer_when_asked() {
    let mut f = fixture_with(RecordingPrinter::default());
    let code = f
        .counter
        .receive(&form("A"))
        .unwrap()
        .dossier
        .code
        .to_string();
    let e = f
        .counter
        .print_receipt(&code, &PrintRequest::default())
        .unwrap_err();
    assert!(
        e.log_line().contains("chưa chọn máy in"),
        "{}",
        e.log_line()
    );
    let p = f
        .counter
        .print_receipt(
            &code,
            &PrintRequest {
                viewer_fallback: true,
                ..PrintRequest::default()
            },
        )
        .unwrap();
    assert_eq!(p.delivered, Delivered::Opened);
    assert_eq!(f.printer.recorded(), [Recorded::Opened(p.kept)]);
}

#[test]
fn letters_and_ledger() {
    let mut f = fixture();
    let d = f.counter.receive(&form("A")).unwrap().dossier;
    let code = d.code.to_string();
    assert!(f.counter.supplement_form(&code, &[], None).is_err());
    let s = f
        .counter
        .supplement_form(&code, &["Bản sao giấy khai sinh".into()], Some("thiếu"))
        .unwrap();
    assert!(s.kept.ends_with(format!("{code}-mau02.pdf")));
    f.counter
        .refusal_form(&code, "không thuộc thẩm quyền")
        .unwrap();
    let e = f.counter.apology_form(&code).unwrap_err();
    assert!(e.to_string().contains("chưa được hẹn lại"), "{e}");
    let day = d.received_at.date();
    let l = f.counter.ledger(day, day).unwrap();
    assert_eq!(l.rows, 1);
    let (kept, rows) = f.counter.ledger_kept(day, day).unwrap();
    assert_eq!(rows, 1);
    assert!(
        kept.kept
            .ends_with("receipts/2026/20261125_20261125-so-theo-doi.pdf")
    );
    assert!(
        f.counter
            .print_rendered(&kept, &PrintRequest::default())
            .is_ok()
    );
    assert!(f.counter.ledger(day, day.pred_opt().unwrap()).is_err());
}

#[test]
fn stop_notice_and_control_slip_from_the_journal() {
    let mut f = fixture();
    let d = f.counter.receive(&form("A")).unwrap().dossier;
    let code = d.code.to_string();
    let e = f.counter.stop_form(&code, None).unwrap_err().to_string();
    assert!(e.contains("không bị rút hay dừng xử lý"), "{e}");
    let blank = f.counter.control_form(&code).unwrap();
    assert!(blank.kept.ends_with(format!("{code}-mau06.pdf")));
    let header = f.counter.header(&f.counter.settings().unwrap()).unwrap();
    assert!(f.counter.control_steps(&d, &header).unwrap().is_empty());
    for (to, note) in [
        (Status::Processing, Some("chuyển tư pháp")),
        (Status::ResultReady, None),
    ] {
        f.counter.transition(&code, to, "lan", note).unwrap();
    }
    let back = crate::change::Change::HandBack {
        recipient: "Lê Văn B".into(),
    };
    f.counter
        .change(&code, back, "lan", &crate::change::Paper::Keep)
        .unwrap();
    let d = f.counter.dossier(&code).unwrap();
    let steps = f.counter.control_steps(&d, &header).unwrap();
    let units: Vec<(&str, &str)> = steps
        .iter()
        .map(|s| (s.giver.as_str(), s.receiver.as_str()))
        .collect();
    let agency = header.name.as_str();
    assert_eq!(
        units,
        [
            ("Bộ phận TN&TKQ", agency),
            (agency, "Bộ phận TN&TKQ"),
            ("Bộ phận TN&TKQ", "Lê Văn B"),
        ]
    );
    assert_eq!(steps[0].giver_name, "Trần Thị Lan");
    assert_eq!(steps[1].receiver_name, "Trần Thị Lan");
    assert_eq!(steps[2].receiver_name, "Lê Văn B");
    assert!(!steps[1].result.is_empty(), "{:?}", steps[1]);
    assert_eq!(steps[0].note, "Được tiếp nhận → Đang xử lý: chuyển tư pháp");

    let w = f
        .counter
        .receive(&form("B"))
        .unwrap()
        .dossier
        .code
        .to_string();
    let ch = f
        .counter
        .change(
            &w,
            crate::change::Change::Status {
                to: Status::Withdrawn,
                note: Some("xin rút".into()),
            },
            "lan",
            &crate::change::Paper::window(),
        )
        .unwrap();
    assert_eq!(ch.dossier.status, Status::Withdrawn);
    let notice = ch.form.unwrap();
    assert!(notice.kept.ends_with(format!("{w}-mau05.pdf")));
    assert_eq!(
        notice.form.title_vi(notice.set),
        "thông báo dừng giải quyết hồ sơ"
    );
    assert!(ch.printed.unwrap().is_ok());
    let again = f.counter.stop_form(&w, Some("theo đơn")).unwrap();
    assert!(again.bytes.starts_with(b"%PDF"));
}

#[test]
fn the_form_set_and_the_unit_come_from_the_settings() {
    let mut f = fixture();
    let code = f
        .counter
        .receive(&form("A"))
        .unwrap()
        .dossier
        .code
        .to_string();
    let s = f.counter.settings().unwrap();
    assert_eq!(s.form_set, FormSet::Tt03_2025);
    let h = f.counter.header(&s).unwrap();
    assert!(
        h.unit.starts_with("Trung tâm Phục vụ hành chính công"),
        "{}",
        h.unit
    );
    let lan = f.counter.admin("lan").unwrap();
    f.counter
        .set_setting(
            &lan,
            Key::ReceivingUnit,
            "Bộ phận Tiếp nhận và Trả kết quả xã X",
        )
        .unwrap();
    f.counter.set_setting(&lan, Key::FormSet, "2018").unwrap();
    let s = f.counter.settings().unwrap();
    assert_eq!(
        f.counter.header(&s).unwrap().unit,
        "Bộ phận Tiếp nhận và Trả kết quả xã X"
    );
    let r = f.counter.receipt(&code, None).unwrap();
    assert_eq!(r.set, FormSet::Tt01_2018);
    // Late on Tue 01/12/2026 (due Mon 30/11 09:30).
    f.clock.advance(chrono::Duration::days(6));
    let extend = crate::change::Change::Extend {
        reason: "chậm".into(),
        new_due: chrono::NaiveDate::from_ymd_opt(2027, 1, 5)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    };
    let old = f
        .counter
        .change(&code, extend, "lan", &crate::change::Paper::Keep)
        .unwrap()
        .form
        .unwrap();
    assert_eq!(
        old.form.title_vi(old.set),
        "phiếu xin lỗi và hẹn lại ngày trả kết quả"
    );
}

#[test]
fn the_qr_points_to_the_stations_page_else_the_hubs_else_carries_the_codes() {
    let mut f = fixture();
    let d = f.counter.receive(&form("A")).unwrap().dossier;
    let (code, secret) = (d.code.to_string(), d.lookup_secret.clone());
    let qr = |c: &Counter| lookup_url(&c.settings().unwrap(), &d);
    // A new station, never enrolled: no page that could answer, the two codes as text.
    assert_eq!(
        qr(&f.counter),
        format!("Mã hồ sơ: {code}\nMã tra cứu: {secret}")
    );
    // The hub told its page (at enrolment or with a pull).
    f.counter
        .store
        .set_hub_lookup_url("https://motcua.tinh.example/tra-cuu")
        .unwrap();
    assert_eq!(
        qr(&f.counter),
        format!("https://motcua.tinh.example/tra-cuu?ma={code}&mk={secret}")
    );
    // The station's own setting wins; cleared, the hub's page is back.
    let lan = f.counter.admin("lan").unwrap();
    f.counter
        .set_setting(&lan, Key::LookupUrl, "https://dvc.example/p?x=1")
        .unwrap();
    assert_eq!(
        qr(&f.counter),
        format!("https://dvc.example/p?x=1&ma={code}&mk={secret}")
    );
    f.counter.set_setting(&lan, Key::LookupUrl, "").unwrap();
    assert!(qr(&f.counter).starts_with("https://motcua.tinh.example/tra-cuu?ma="));
}
