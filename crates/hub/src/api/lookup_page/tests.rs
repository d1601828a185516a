use super::*;

fn row(status: Status) -> LookupRow {
    LookupRow {
        code: "000.00.00.H00-261207-0001".into(),
        applicant_name: "Trần Thị Lan".into(),
        status,
        due_at: Some("2026-12-14T17:00:00".into()),
        first_due_at: None,
        updated_at: "2026-12-08T02:00:00.000Z".into(),
        procedure: Some("Đăng ký khai sinh".into()),
        agency: AgencyInfo {
            name: Some("UBND xã Thượng Đức".into()),
            phone: Some("0204 3 882 123".into()),
            address: None,
        },
        history: vec![HistoryStep {
            at: "2026-12-07T08:15:00+07:00".into(),
            what: StepKind::Received,
        }],
    }
}

#[test]
fn the_appointment_reads_as_a_citizen_says_it() {
    assert_eq!(
        appointment_text("2026-12-07T17:00:00"),
        "17:00 thứ Hai, 07/12/2026"
    );
    assert_eq!(
        appointment_text("2026-12-13T09:30:00"),
        "09:30 chủ nhật, 13/12/2026"
    );
    assert_eq!(appointment_text("garbage"), "garbage");
}

#[test]
fn a_received_dossier_shows_its_facts_the_agency_and_what_to_bring() {
    let html = dossier(&row(Status::Received));
    for part in [
        "<html lang=\"vi\">",
        "name=\"viewport\" content=\"width=device-width, initial-scale=1\"",
        "UBND xã Thượng Đức",
        "Đã tiếp nhận, đang chờ giải quyết",
        "Đăng ký khai sinh",
        "T. T. Lan",
        "17:00 thứ Hai, 14/12/2026",
        "Khi đến nhận kết quả, xin mang theo",
        "08:15 07/12/2026</span> Bộ phận một cửa tiếp nhận hồ sơ",
        "<a href=\"tel:02043882123\">0204 3 882 123</a>",
        "<label for=\"mk\">Mã tra cứu</label>",
    ] {
        assert!(html.contains(part), "{part} missing in {html}");
    }
    assert!(!html.contains("Trần Thị Lan"), "the full name is shown");
    assert!(!html.contains("<script"), "{html}");
    assert!(
        !html.contains("http"),
        "something is loaded from elsewhere: {html}"
    );
}

#[test]
fn every_status_says_in_plain_words_what_happened_and_what_is_next() {
    let supplement = HistoryStep {
        at: "2026-12-08T09:00:00+07:00".into(),
        what: StepKind::Status {
            status: Status::SupplementRequested,
            note: Some("Thiếu giấy chứng sinh".into()),
        },
    };
    let mut d = row(Status::SupplementRequested);
    d.history.push(supplement);
    let html = dossier(&d);
    assert!(html.contains("Cần bổ sung giấy tờ"), "{html}");
    assert!(
        html.contains("Cần bổ sung: Thiếu giấy chứng sinh"),
        "{html}"
    );
    assert!(html.contains("Khi đến bổ sung, xin mang theo"), "{html}");

    let mut d = row(Status::Refused);
    d.history.push(HistoryStep {
        at: "2026-12-08T09:00:00+07:00".into(),
        what: StepKind::Status {
            status: Status::Refused,
            note: Some("Không thuộc thẩm quyền".into()),
        },
    });
    let html = dossier(&d);
    assert!(html.contains("Hồ sơ không được giải quyết"), "{html}");
    assert!(html.contains("Lý do: Không thuộc thẩm quyền"), "{html}");
    assert!(!html.contains("xin mang theo"), "{html}");

    for (status, words) in [
        (Status::ResultReady, "Đã có kết quả: mời ông/bà đến nhận"),
        (Status::Returned, "Đã trả kết quả"),
        (
            Status::Withdrawn,
            "Hồ sơ đã được rút theo yêu cầu của ông/bà",
        ),
        (Status::Processing, "Đang giải quyết"),
    ] {
        let html = dossier(&row(status));
        assert!(html.contains(words), "{status:?}: {html}");
    }
}

#[test]
fn an_extension_shows_the_new_appointment_and_the_first() {
    let mut d = row(Status::Processing);
    d.due_at = Some("2026-12-21T16:00:00".into());
    d.first_due_at = Some("2026-12-14T17:00:00".into());
    d.history.push(HistoryStep {
        at: "2026-12-14T10:00:00+07:00".into(),
        what: StepKind::Extended {
            to: "2026-12-21T16:00:00".into(),
            reason: "Chờ xác minh".into(),
        },
    });
    let html = dossier(&d);
    assert!(html.contains("16:00 thứ Hai, 21/12/2026"), "{html}");
    assert!(
        html.contains("Đã hẹn lại; hẹn ban đầu: 17:00 thứ Hai, 14/12/2026"),
        "{html}"
    );
    assert!(
        html.contains("Hẹn lại ngày trả kết quả: 16:00 thứ Hai, 21/12/2026. Lý do: Chờ xác minh"),
        "{html}"
    );
}

#[test]
fn what_is_typed_is_escaped_and_a_message_page_has_the_form() {
    let mut d = row(Status::Received);
    d.procedure = Some("<b>x</b>".into());
    assert!(dossier(&d).contains("&lt;b&gt;x&lt;/b&gt;"));
    let m = message("Không tìm thấy");
    assert!(m.contains("Không tìm thấy"));
    assert!(m.contains("<form method=\"get\" action=\"/tra-cuu\">"));
    assert_eq!(mask_name("Trần Thị Lan"), "T. T. Lan");
    assert_eq!(mask_name("Lan"), "Lan");
}
