//! Part 1: first run, login, lock, receiving a dossier with its receipt printed.

use super::*;
use motcua_core::calendar::Term;

#[test]
fn the_wizard_sets_up_the_station_and_ends_at_the_login() {
    let s = Station::empty();
    let mut w = s.open();
    assert!(w.shows(T::SetupTitle.vi()));
    // A wrong agency id and station number are shown by their fields; nothing is created.
    for v in [
        "H56",
        "UBND xã Tân Lập",
        "",
        "12",
        "lan",
        "Trần Thị Lan",
        "mật khẩu dài",
    ] {
        w.type_text(v);
        w.enter();
    }
    w.type_text("mật khẩu khác");
    w.enter();
    assert!(w.shows(
        "«H56» không đúng dạng xxx.yy.zz.Hnn (ví dụ 000.17.22.H56) hoặc mã cấp 1 đứng đầu (ví dụ G12.18.77)"
    ));
    assert!(w.shows("phải từ 1 đến 9"));
    assert!(w.shows("hai lần nhập mật khẩu không giống nhau"));
    assert!(Counter::station_in(&s.paths).unwrap().is_none());
    // The first refused field has the focus: typing replaces nothing else.
    w.send(Message::Setup(setup::Message::Edited(
        setup::Input::AgencyId,
        "000.17.22.H56".into(),
    )));
    w.send(Message::Setup(setup::Message::Edited(
        setup::Input::StationNo,
        "2".into(),
    )));
    w.send(Message::Setup(setup::Message::Edited(
        setup::Input::Confirm,
        "mật khẩu dài".into(),
    )));
    w.send(Message::Setup(setup::Message::Submit));
    assert!(w.shows(T::LoginTitle.vi()));
    assert!(w.shows(&i18n::set_up("UBND xã Tân Lập", 2)));
    let st = Counter::station_in(&s.paths).unwrap().unwrap();
    assert_eq!(st.station_id, "000.17.22.H56#2");
    // The admin made by the wizard signs in.
    w.sign_in();
}

#[test]
fn a_wrong_password_gets_one_message_and_no_hint() {
    let s = Station::new();
    let mut w = s.open();
    w.type_text("lan");
    w.enter();
    w.type_text("sai mật khẩu");
    w.enter();
    assert!(w.shows("tên đăng nhập hoặc mật khẩu không đúng"));
    assert!(w.shows(T::LoginTitle.vi()));
    // The password field is emptied and focused: the right one signs in.
    w.type_text("mật khẩu dài");
    w.enter();
    assert!(w.shows("F1 Tiếp nhận"));
    let app = w.state();
    assert_eq!(app.phase, Phase::Main);
    assert_eq!(app.user.unwrap().username, "lan");
}

#[test]
fn locking_by_ctrl_l_or_when_idle_keeps_the_draft() {
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    choose(&mut w, "khai sinh");
    w.type_text("Nguyễn Văn Bình");
    w.ctrl("l");
    assert!(w.shows(T::LockTitle.vi()));
    assert!(
        !w.shows("Nguyễn Văn Bình"),
        "nothing of the draft on the lock screen"
    );
    w.type_text("mật khẩu dài");
    w.enter();
    assert!(w.shows("Nguyễn Văn Bình"), "the draft is still there");
    assert!(w.shows("1.001193 — Đăng ký khai sinh"));
    // Idle for the setting's 10 minutes: the next tick locks.
    s.clock.advance(chrono::Duration::minutes(11));
    w.send(Message::Tick);
    assert!(w.shows(T::LockTitle.vi()));
    w.type_text("mật khẩu dài");
    w.enter();
    assert!(w.shows("Nguyễn Văn Bình"));
}

#[test]
fn the_procedure_is_found_with_or_without_marks_and_taken_by_keyboard() {
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    w.type_text("chung thuc");
    assert!(w.shows("2.000815  Chứng thực bản sao từ bản chính giấy tờ, văn bản"));
    w.send(Message::Receive(receive::Message::Edited(
        receive::Input::Procedure,
        "Đăng ký khai sinh".into(),
    )));
    assert!(w.shows("1.001193  Đăng ký khai sinh"));
    assert!(w.shows("1.004884  Đăng ký lại khai sinh"));
    // Down moves the highlight; Enter takes it and typing goes on in the document
    // marks (one key per document handed in), then Enter goes on to the name.
    w.key(Named::ArrowDown);
    w.enter();
    assert!(w.shows("1.004884 — Đăng ký lại khai sinh"));
    w.type_text("2");
    assert!(w.shows(&i18n::marked(1, 3)));
    w.enter();
    w.type_text("Lê Thị Hoa");
    let app = w.state();
    assert_eq!(app.receive.draft.name, "Lê Thị Hoa");
    assert_eq!(
        app.receive
            .draft
            .documents
            .iter()
            .map(|d| d.marked)
            .collect::<Vec<_>>(),
        [false, true, false]
    );
    assert_eq!(
        app.receive.draft.chosen.map(|p| p.code).as_deref(),
        Some("1.004884")
    );
    // By code, too.
    let mut w = s.open();
    w.sign_in();
    choose(&mut w, "1.001193");
    assert!(w.shows("1.001193 — Đăng ký khai sinh"));
    assert!(
        w.shows("[1] Tờ khai đăng ký khai sinh"),
        "its documents are listed, each with its key"
    );
}

const QR: &str = "001099012345|123456789|Nguyễn Văn An|01011999|Nam|Thôn Đông, xã Tân Lập|15082021";

#[test]
fn a_scanned_card_fills_the_applicant_and_leaves_no_trace() {
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    choose(&mut w, "khai sinh");
    // The scanner types into the focused field (the name) and ends with Enter.
    w.type_text(QR);
    w.enter();
    assert!(w.shows("Nguyễn Văn An"));
    assert!(w.shows("001099012345"));
    assert!(w.shows("Thôn Đông, xã Tân Lập"));
    assert!(w.shows("Nam, sinh năm 1999, nơi đăng ký khai sinh: Hà Nội"));
    assert!(!w.shows(QR));
    let app = w.state();
    let d = &app.receive.draft;
    for field in [
        &d.name,
        &d.id_number,
        &d.address,
        &d.procedure_query,
        &d.phone,
    ] {
        assert!(!field.contains('|'), "no trace of the raw string: {field}");
    }
}

/// Cards issued since 7/2024 and children's cards carry fields after the seventh; the
/// scanner keeps typing them after the QR is recognised, and none may land in the field.
#[test]
fn a_longer_card_qr_typed_key_by_key_leaves_nothing_in_the_field() {
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    choose(&mut w, "khai sinh");
    w.type_text(&format!("\u{feff}{QR}|Nguyễn Văn Cha|Lê Thị Mẹ||"));
    w.enter();
    assert!(w.shows("Nguyễn Văn An"));
    assert!(w.shows("001099012345"));
    let app = w.state();
    let d = &app.receive.draft;
    assert_eq!(
        d.name, "Nguyễn Văn An",
        "the fields after the seventh are swallowed"
    );
    for field in [&d.name, &d.id_number, &d.address, &d.phone, &d.email] {
        assert!(
            !field.contains('|') && !field.contains("Cha") && !field.contains('\u{feff}'),
            "no trace of the raw string: {field:?}"
        );
    }
}

#[test]
fn typing_after_a_scan_is_typing() {
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    choose(&mut w, "khai sinh");
    // A 7-field QR, then the clerk goes on typing in the same field: kept.
    w.type_text(QR);
    w.type_text(" Jr");
    let app = w.state();
    assert_eq!(app.receive.draft.name, "Nguyễn Văn An Jr");
}

#[test]
fn ctrl_s_saves_prints_shows_the_code_and_starts_again_at_the_procedure() {
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    choose(&mut w, "xac nhan tinh trang hon nhan");
    for v in [
        "Đặng Thị Hằng",
        "038199012345",
        "0912 345 678",
        "",
        "Thôn Đông, xã Tân Lập",
    ] {
        w.type_text(v);
        w.enter();
    }
    w.ctrl("s");
    let list = s.counter().search("", None, 10).unwrap();
    assert_eq!(list.len(), 1);
    let d = s.counter().dossier(&list[0].code).unwrap();
    assert_eq!(d.applicant.full_name, "Đặng Thị Hằng");
    assert_eq!(d.applicant.id_number.as_deref(), Some("038199012345"));
    assert_eq!(d.applicant.phone.as_deref(), Some("0912345678"));
    assert_eq!(d.procedure.code, "1.004873");
    // Wed 25/11/2026 09:30 + 3 working days.
    assert_eq!(d.due_at.unwrap().to_string(), "2026-11-30 09:30:00");
    let rec = s.printer.recorded();
    assert!(
        matches!(&rec[..], [Recorded::Printed { file, copies: 1, printer, .. }]
            if printer == "PDF" && file.ends_with(format!("{}-mau01.pdf", d.code))),
        "{rec:?}"
    );
    assert!(w.shows(&d.code.to_string()));
    assert!(w.shows(&d.lookup_secret));
    assert!(w.shows("Đã gửi giấy tiếp nhận tới máy in PDF (1 bản)."));
    assert!(!w.shows("Đặng Thị Hằng"), "the form is cleared");
    // Typing goes to the procedure field again.
    w.type_text("khai sinh");
    assert!(w.shows("1.001193  Đăng ký khai sinh"));
    // Ctrl+P prints the last receipt again.
    w.ctrl("p");
    assert_eq!(s.printer.recorded().len(), 2);
}

#[test]
fn an_organisation_filing_through_an_authorised_person_is_typed_by_keyboard() {
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    choose(&mut w, "khai sinh");
    // A person unless told: Ctrl+T in the name field makes it an organisation (twice:
    // back to a person; three times: an organisation), and the labels follow at once.
    assert!(w.shows(T::FullName.vi()));
    w.ctrl("t");
    assert!(w.shows(T::OrgName.vi()));
    assert!(w.shows(T::Representative.vi()));
    w.ctrl("t");
    assert!(w.shows(T::FullName.vi()));
    assert!(!w.shows(T::Representative.vi()));
    w.ctrl("t");
    // Name, code, phone, e-mail, address, its representative; then the authorised
    // person: name, ID, phone, address, e-mail, authorisation.
    for v in [
        "Hợp tác xã Nông nghiệp Tân Lập",
        "2801234567",
        "0237 3812 345",
        "",
        "Thôn Đông, xã Tân Lập",
        "Đỗ Văn Hải",
        "Ngô Thị Mai",
        "038190012345",
        "0987654321",
        "Thôn Tây, xã Tân Lập",
        "",
        "Giấy ủy quyền số 05/2026/UQ ngày 01/12/2026",
    ] {
        w.type_text(v);
        w.enter();
    }
    assert!(w.shows(T::OrgCode.vi()), "the labels follow the choice");
    assert!(w.shows(T::Representative.vi()));
    w.ctrl("s");
    let list = s.counter().search("tan lap", None, 10).unwrap();
    assert_eq!(list.len(), 1, "saved once");
    let d = s.counter().dossier(&list[0].code).unwrap();
    assert_eq!(
        d.applicant.kind,
        motcua_core::dossier::PartyKind::Organisation
    );
    assert_eq!(d.applicant.id_number.as_deref(), Some("2801234567"));
    assert_eq!(d.applicant.phone.as_deref(), Some("02373812345"));
    assert_eq!(d.applicant.representative.as_deref(), Some("Đỗ Văn Hải"));
    let p = d.proxy.expect("the authorised person");
    assert_eq!(p.full_name, "Ngô Thị Mai");
    assert_eq!(p.id_number.as_deref(), Some("038190012345"));
    assert_eq!(p.address.as_deref(), Some("Thôn Tây, xã Tân Lập"));
    assert_eq!(
        p.authorisation,
        "Giấy ủy quyền số 05/2026/UQ ngày 01/12/2026"
    );
}

#[test]
fn an_authorised_person_without_an_authorisation_is_refused_by_its_field() {
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    choose(&mut w, "khai sinh");
    // A person: no key for that, Enter goes from the address to the authorised person.
    for v in ["Nguyễn Văn An", "", "", "", "", "Trần Văn Bảo"] {
        w.type_text(v);
        w.enter();
    }
    w.ctrl("s");
    assert!(w.shows(T::FixFields.vi()));
    assert!(w.shows("cần ghi giấy tờ ủy quyền (số, ngày) hoặc quan hệ với người có hồ sơ"));
    assert!(s.counter().search("", None, 10).unwrap().is_empty());
    // The refused field has the focus: typing the relationship there saves.
    w.type_text("Cha của người được khai sinh");
    w.ctrl("s");
    let list = s.counter().search("", None, 10).unwrap();
    assert_eq!(list.len(), 1);
    let d = s.counter().dossier(&list[0].code).unwrap();
    assert_eq!(
        d.proxy.unwrap().authorisation,
        "Cha của người được khai sinh"
    );
    assert_eq!(d.applicant.kind, motcua_core::dossier::PartyKind::Person);
}

#[test]
fn a_case_is_picked_by_its_number_and_the_appointment_follows_it() {
    let s = Station::real_catalogue();
    let mut w = s.open();
    w.sign_in();
    // 2.000635 has four cases with different terms: the case field takes the focus.
    choose(&mut w, "2.000635");
    assert!(w.shows(T::CaseField.vi()));
    w.type_text("2");
    w.enter();
    // Then the documents handed in: the first one.
    w.type_text("1");
    w.enter();
    for v in ["Lê Văn Tám", "", "", "", "Thôn Bắc"] {
        w.type_text(v);
        w.enter();
    }
    w.ctrl("s");
    let list = s.counter().search("le van tam", None, 10).unwrap();
    assert_eq!(list.len(), 1);
    let d = s.counter().dossier(&list[0].code).unwrap();
    assert_eq!(d.procedure.case.clone().unwrap().code, "2.000635.02");
    assert_eq!(d.documents.len(), 1);
    // The term stored and the appointment are the ones the application layer gives
    // for that case and channel.
    let applied = s
        .counter()
        .applied(
            "2.000635",
            motcua_app::catalog::TermInput {
                case: Some("2.000635.02"),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(d.procedure.term, applied.term);
    let due = s
        .counter()
        .due_for_case(
            "2.000635",
            motcua_app::catalog::TermInput {
                case: Some("2.000635.02"),
                ..Default::default()
            },
            d.received_at,
        )
        .unwrap();
    assert_eq!(d.due_at, Some(due.at));
}

#[test]
fn a_procedure_without_a_term_takes_the_one_typed_from_the_listing() {
    let s = Station::real_catalogue();
    let mut w = s.open();
    w.sign_in();
    // 1.000464 is not in the national catalogue, so it has no term: the term field takes
    // the focus and the appointment says why there is none yet.
    choose(&mut w, "1.000464");
    assert!(w.shows(T::TermField.vi()));
    w.type_text("năm ngày");
    w.enter();
    for v in ["Phạm Thị Thu", "", "", "", "Thôn Nam"] {
        w.type_text(v);
        w.enter();
    }
    w.ctrl("s");
    assert!(w.shows(T::FixFields.vi()));
    assert!(s.counter().search("", None, 10).unwrap().is_empty());
    w.send(Message::Receive(receive::Message::Edited(
        receive::Input::Term,
        "5 ngày làm việc".into(),
    )));
    w.ctrl("s");
    let list = s.counter().search("pham thi thu", None, 10).unwrap();
    assert_eq!(list.len(), 1);
    let d = s.counter().dossier(&list[0].code).unwrap();
    assert_eq!(d.procedure.term, Some(Term::WorkingDays(5)));
    assert_eq!(
        d.procedure.term_source,
        Some(motcua_core::dossier::TermSource::Typed {
            text: "5 ngày làm việc".into()
        })
    );
    // Wed 25/11/2026 09:30 + 5 working days.
    assert_eq!(d.due_at.unwrap().to_string(), "2026-12-02 09:30:00");
}

#[test]
fn refused_fields_are_shown_by_the_field_and_nothing_is_saved_until_fixed() {
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    choose(&mut w, "khai sinh");
    w.enter(); // the name left empty
    w.type_text("00109901234");
    w.enter();
    w.type_text("0112345678");
    w.ctrl("s");
    assert!(w.shows(T::FixFields.vi()));
    assert!(w.shows("không được để trống"));
    assert!(w.shows("phải có đúng 12 chữ số (nhận được 11)"));
    assert!(w.shows("0112345678"), "what was typed stays");
    assert!(s.counter().search("", None, 10).unwrap().is_empty());
    // The first refused field (the name) has the focus; fixing all three saves.
    w.type_text("Nguye\u{302}\u{303}n Thị Bình"); // decomposed, as some input methods send it
    w.send(Message::Receive(receive::Message::Edited(
        receive::Input::IdNumber,
        "001099012345".into(),
    )));
    w.send(Message::Receive(receive::Message::Edited(
        receive::Input::Phone,
        "0912345678".into(),
    )));
    w.ctrl("s");
    let list = s.counter().search("nguyen thi binh", None, 10).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].applicant_name, "Nguyễn Thị Bình", "stored as NFC");
}

#[test]
fn text_size_and_high_contrast_are_remembered_by_the_station() {
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    w.ctrl("=");
    w.ctrl("=");
    w.ctrl("h");
    let app = w.state();
    assert_eq!(app.zoom, 120);
    assert!(app.high_contrast);
    let settings = s.counter().settings().unwrap();
    assert_eq!((settings.text_scale, settings.high_contrast), (120, true));
    let w = s.open();
    let app = w.state();
    assert_eq!((app.zoom, app.high_contrast), (120, true));
}

#[test]
fn the_cli_receiving_beside_the_window_loses_nothing() {
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    let mut cli = s.counter();
    let mut g = cli.generator("lan", 3).unwrap();
    choose(&mut w, "khai sinh");
    w.type_text("Vũ Thị Mai");
    for _ in 0..20 {
        cli.receive_generated(&mut g).unwrap();
    }
    w.ctrl("s");
    for _ in 0..20 {
        cli.receive_generated(&mut g).unwrap();
    }
    assert_eq!(cli.search("", None, 100).unwrap().len(), 41);
    assert_eq!(cli.search("vu thi mai", None, 10).unwrap().len(), 1);
    cli.verify().unwrap();
}

/// A small filesystem of its own, unmounted when dropped.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    /// Needs root (mount). Outside CI a machine without it skips; in CI it fails.
    fn mount(at: &std::path::Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                std::env::var("CI").is_err(),
                "mounting a small tmpfs needs root; CI runs as root"
            );
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(SmallDisk(at.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

#[test]
fn a_full_disk_fails_the_save_clearly_and_keeps_every_field() {
    let mut s = Station::empty();
    let mount = s.dir.path().join("disk");
    let Some(_disk) = SmallDisk::mount(&mount, "4m") else {
        return;
    };
    s.paths = Paths::in_dir(mount.join("data"));
    s.set_up_in(&s.paths);
    let mut w = s.open();
    w.sign_in();
    choose(&mut w, "khai sinh");
    w.type_text("Hoàng Văn Nam");
    w.enter();
    w.type_text("001099012345");
    // Fill the disk to the last byte.
    let filler = mount.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        while f.write_all(&[0u8]).is_ok() {}
    }
    w.ctrl("s");
    assert!(
        w.shows(&i18n::not_saved(
            "ổ đĩa đã đầy nên dữ liệu CHƯA được lưu; hãy giải phóng dung lượng rồi thử lại"
        )),
        "a clear message"
    );
    assert!(
        w.shows("Hoàng Văn Nam") && w.shows("001099012345"),
        "every field kept"
    );
    assert!(w.shows("1.001193 — Đăng ký khai sinh"));
    std::fs::remove_file(&filler).unwrap();
    w.ctrl("s");
    assert_eq!(
        s.counter().search("hoang van nam", None, 10).unwrap().len(),
        1
    );
    s.counter().verify().unwrap();
}

#[test]
fn the_ice_script_runs_wizard_login_receive_and_save() {
    let s = Station::empty();
    let program = application(
        s.paths.clone(),
        Options {
            env: s.env(),
            background_sync: false,
            trace: false,
            jobs: Jobs::default(),
        },
    );
    iced_test::run(
        program,
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ice/first-run"),
    )
    .unwrap();
    let mut c = s.counter();
    let list = c.search("", None, 10).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].applicant_name, "Phạm Minh Đức");
    assert_eq!(s.printer.recorded().len(), 1);
    // Exactly the two documents marked by their keys (4 and 7) are on the dossier.
    let d = c.dossier(&list[0].code).unwrap();
    let names: Vec<&str> = d.documents.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].starts_with("Giấy chứng sinh"), "{names:?}");
    assert!(
        names[1].starts_with("Tờ khai đăng ký khai sinh"),
        "{names:?}"
    );
}

/// A station on the real catalogue with one more national record imported.
fn with_record(stem: &str) -> Station {
    let s = Station::real_catalogue();
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/catalog/national/{stem}.json"));
    let owner = s.counter().station_owner();
    s.counter().import_catalog(&owner, &file).unwrap();
    s
}

#[test]
fn published_terms_that_disagree_are_offered_and_the_choice_is_kept() {
    // 1.004837: one case of 5 working days, 3 on every channel.
    let s = Station::real_catalogue();
    let mut w = s.open();
    w.sign_in();
    w.type_text("1.004837");
    w.enter();
    assert!(w.shows(T::TermChoiceField.vi()));
    // Nothing chosen: the appointment says why.
    w.ctrl("s");
    assert!(s.counter().search("", None, 10).unwrap().is_empty());
    // The focus is on the choice: 1, then Enter goes on to the documents, then the name.
    w.type_text("1");
    w.enter();
    w.enter();
    w.type_text("Lương Văn Hòa");
    w.ctrl("s");
    let list = s.counter().search("luong van hoa", None, 10).unwrap();
    assert_eq!(list.len(), 1);
    let d = s.counter().dossier(&list[0].code).unwrap();
    assert_eq!(d.procedure.term, Some(Term::WorkingDays(3)));
    assert_eq!(
        d.procedure.term_source,
        Some(motcua_core::dossier::TermSource::Catalogue {
            unconfirmed: false,
            text: Some("Trực tiếp: 3 ngày làm việc".into()),
            chosen: true
        })
    );
    // Wed 25/11/2026 09:30 + 3 working days.
    assert_eq!(d.due_at.unwrap().to_string(), "2026-11-30 09:30:00");
}

#[test]
fn no_statutory_term_takes_the_clerks_appointment_and_the_receipt_says_so() {
    // 1.008312: every channel says "Không quy định"; its one case 1 working day.
    let s = with_record("1.008312.crawl");
    let mut w = s.open();
    w.sign_in();
    w.type_text("1.008312");
    w.enter();
    assert!(w.shows(T::TermChoiceField.vi()));
    w.type_text("1");
    assert!(w.shows(T::AppointmentField.vi()));
    w.enter();
    w.type_text("20/12/2026 10:00");
    assert!(w.shows("20/12/2026 10:00"), "typed in the appointment");
    w.enter();
    w.type_text("1");
    assert!(w.shows(&i18n::marked(1, 2)), "then the documents");
    w.enter();
    w.type_text("Hà Văn Thuế");
    w.ctrl("s");
    let list = s.counter().search("ha van thue", None, 10).unwrap();
    assert_eq!(list.len(), 1);
    let d = s.counter().dossier(&list[0].code).unwrap();
    assert_eq!(d.procedure.term, None);
    assert_eq!(
        d.procedure.term_source,
        Some(motcua_core::dossier::TermSource::Appointment)
    );
    assert_eq!(d.due_at.unwrap().to_string(), "2026-12-20 10:00:00");
}
