//! Part 2: finding, following and handing back dossiers; sync and settings.

use super::*;
use motcua_app::ReceiveForm;
use motcua_app::clock::Clock;
use motcua_core::dossier::{DocumentInput, DocumentKind, DossierInput};
use motcua_core::status::Status;

/// Receives a dossier of Xác nhận tình trạng hôn nhân (3 working days) for `name`.
fn receive(s: &Station, name: &str) -> String {
    let mut c = s.counter();
    let r = c
        .receive(&ReceiveForm {
            request_id: None,
            clerk: "lan".into(),
            procedure: "1.004873".into(),
            input: DossierInput {
                applicant_name: name.into(),
                id_number: Some("001099012345".into()),
                documents: vec![
                    DocumentInput::new("Tờ khai", DocumentKind::Original, 1),
                    DocumentInput::new("Giấy tờ tùy thân", DocumentKind::Copy, 1),
                ],
                sets: 1,
                ..DossierInput::default()
            },
            received_at: None,
        })
        .unwrap();
    r.dossier.code.to_string()
}

fn digit<P: iced::Program<State = App, Message = Message, Theme = Theme>>(
    w: &mut Window<P>,
    d: &str,
) {
    w.press(Key::Character(d.into()));
}

/// Moves a dossier from outside the window (another process), as the command line does.
fn set_status(
    s: &Station,
    code: &str,
    to: Status,
) -> Result<motcua_app::change::Changed, motcua_app::AppError> {
    let note = (to == Status::SupplementRequested).then(|| "Bản sao giấy khai sinh".to_string());
    s.counter().change(
        code,
        motcua_app::change::Change::Status { to, note },
        "lan",
        &motcua_app::change::Paper::Keep,
    )
}

fn status(s: &Station, code: &str) -> Status {
    s.counter().dossier(code).unwrap().status
}

#[test]
fn the_register_finds_with_or_without_marks_filters_and_opens() {
    let s = Station::new();
    let a = receive(&s, "Đặng Thị Hằng");
    s.clock.advance(chrono::Duration::days(7));
    let b = receive(&s, "Lê Văn Cường");
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F2);
    assert!(w.shows("2 hồ sơ"));
    assert!(w.shows(&a) && w.shows(&b));
    w.type_text("dang thi");
    assert!(w.shows("1 hồ sơ"), "folded search");
    assert!(w.shows("Đặng Thị Hằng") && !w.shows("Lê Văn Cường"));
    w.send(Message::Register(register::Message::Edited(
        register::Input::Search,
        "ĐẶNG".into(),
    )));
    assert!(
        w.shows("Đặng Thị Hằng") && w.shows("1 hồ sơ"),
        "with marks and capitals"
    );
    w.send(Message::Register(register::Message::Edited(
        register::Input::Search,
        String::new(),
    )));
    // Wed 02/12 09:30: the first (due Mon 30/11) is overdue; Ctrl+2 keeps only it.
    w.ctrl("2");
    assert!(w.shows("1 hồ sơ") && w.shows(&a) && !w.shows(&b));
    w.ctrl("1");
    assert!(w.shows("2 hồ sơ"));
    // Down, then Enter in the search field opens the selected (the older) dossier.
    w.key(Named::ArrowDown);
    w.enter();
    assert!(w.shows(&a) && w.shows("Nhật ký hồ sơ"));
    assert!(w.shows("QUÁ HẠN"));
    // Esc goes back to the list, where it was.
    w.send(Message::Input(Input::Key {
        key: Key::Named(Named::Escape),
        modifiers: Modifiers::empty(),
        captured: true,
    }));
    assert!(w.shows("2 hồ sơ"));
}

#[test]
fn each_legal_transition_is_offered_and_taken_by_its_digit_and_nothing_else() {
    let s = Station::new();
    let code = receive(&s, "Vũ Thị Mai");
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F2);
    w.enter();
    assert!(w.shows("1 Chuyển xử lý"));
    assert!(
        !w.shows("8 Trả kết quả cho người nộp"),
        "not from «received»"
    );
    // A digit with no transition behind it does nothing.
    digit(&mut w, "9");
    assert_eq!(status(&s, &code), Status::Received);
    digit(&mut w, "1");
    w.type_text("chuyển công chức tư pháp");
    w.enter();
    assert_eq!(status(&s, &code), Status::Processing);
    assert!(w.shows("Hồ sơ 000.17.22.H56-261125-0001 đã chuyển sang «Đang xử lý»."));
    assert!(
        w.shows("chuyển công chức tư pháp"),
        "the note is in the journal"
    );
    // Each change keeps its digit whatever the status: from «processing», 4 is still
    // «result ready» (1, which is not offered any more, does nothing).
    digit(&mut w, "1");
    assert!(w.shows("4 Đã có kết quả, chờ trả") && !w.shows("1 Chuyển xử lý"));
    digit(&mut w, "4");
    w.enter();
    assert_eq!(status(&s, &code), Status::ResultReady);
    assert!(w.shows("8 Trả kết quả cho người nộp"));
    let journal = s.counter().detail(&code).unwrap().journal;
    assert_eq!(journal.len(), 3);
    s.counter().verify().unwrap();
}

#[test]
fn a_supplement_request_picks_the_missing_documents_and_prints_mau_02() {
    let s = Station::new();
    let code = receive(&s, "Bùi Văn Nam");
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F2);
    w.enter();
    digit(&mut w, "2");
    assert!(w.shows(T::SupplementTitle.vi()));
    // Ctrl+2 marks the second document of the checklist as missing.
    assert!(w.shows("Ctrl+2  Giấy tờ tùy thân"));
    w.ctrl("2");
    w.type_text("bản sao không rõ");
    w.enter();
    w.type_text("Giấy xác nhận cư trú");
    w.enter();
    assert_eq!(status(&s, &code), Status::SupplementRequested);
    let printed = s.printer.recorded();
    assert!(
        matches!(printed.last(), Some(Recorded::Printed { file, title, .. })
            if file.ends_with(format!("{code}-mau02.pdf")) && title.starts_with("PhieuBoSung")),
        "{printed:?}"
    );
    let detail = s.counter().detail(&code).unwrap();
    let note = detail.journal.last().unwrap().note.clone().unwrap();
    assert!(
        note.contains("Giấy tờ tùy thân") && note.contains("Giấy xác nhận cư trú"),
        "{note}"
    );
}

#[test]
fn a_result_is_handed_back_in_two_keystrokes() {
    let s = Station::new();
    let old = receive(&s, "Ngô Thị Lan");
    let new = receive(&s, "Hồ Văn Tâm");
    for c in [&old, &new] {
        set_status(&s, c, Status::ResultReady).unwrap();
    }
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F3);
    assert!(w.shows("2 hồ sơ đã có kết quả, chờ trả (cũ nhất trước)"));
    w.enter();
    assert!(w.shows(&i18n::handing_back(&old)), "the oldest first");
    assert!(w.shows("Ngô Thị Lan"), "the recipient is ready");
    w.enter();
    assert_eq!(status(&s, &old), Status::Returned);
    assert_eq!(status(&s, &new), Status::ResultReady);
    assert!(w.shows(&i18n::handed_back(&old, "Ngô Thị Lan")));
    assert!(w.shows("1 hồ sơ đã có kết quả, chờ trả (cũ nhất trước)"));
    let note = s
        .counter()
        .detail(&old)
        .unwrap()
        .journal
        .last()
        .unwrap()
        .note
        .clone();
    assert_eq!(note.as_deref(), Some("Người nhận kết quả: Ngô Thị Lan"));
}

#[test]
fn the_sync_screen_lists_each_refused_event_with_its_reason() {
    let s = Station::new();
    receive(&s, "Trịnh Văn Long");
    {
        let key = motcua_store::keys::load(&s.paths.key).unwrap();
        let mut store = motcua_store::Store::open(&s.paths.db)
            .unwrap()
            .with_signer(key);
        let now = s.clock.now();
        store.set_hub("http://127.0.0.1:9", now).unwrap();
        let pending = store.pending_events(100).unwrap();
        let last = pending.last().unwrap().seq;
        store
            .record_push(
                &motcua_store::PushRecord {
                    acked: (1..last).collect(),
                    rejected: vec![(last, "mã hồ sơ đã được một quầy khác dùng".into())],
                    requeue_from: None,
                },
                now,
            )
            .unwrap();
    }
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F4);
    assert!(w.shows(T::QuarantineTitle.vi()));
    let seq = s.counter().sync_state().unwrap().quarantine[0].seq;
    assert!(w.shows(&i18n::quarantined_item(
        seq,
        "dossier_received",
        "mã hồ sơ đã được một quầy khác dùng"
    )));
    assert!(w.shows("http://127.0.0.1:9"));
}

#[test]
fn the_form_set_and_the_unit_name_are_set_on_f5() {
    use motcua_app::settings::{FormSet, Key};
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F5);
    assert!(w.shows(i18n::setting_label(Key::FormSet)));
    assert!(w.shows(i18n::setting_label(Key::ReceivingUnit)));
    let set = settings::Input::Setting(Key::FormSet);
    w.send(Message::Settings(settings::Message::Edited(
        set,
        "2020".into(),
    )));
    w.send(Message::Settings(settings::Message::Entered(set)));
    assert!(w.shows("bộ biểu mẫu phải là 2025 hoặc 2018"));
    assert_eq!(s.counter().settings().unwrap().form_set, FormSet::Tt03_2025);
    w.send(Message::Settings(settings::Message::Edited(
        set,
        "2018".into(),
    )));
    w.send(Message::Settings(settings::Message::Entered(set)));
    assert_eq!(s.counter().settings().unwrap().form_set, FormSet::Tt01_2018);
    let unit = settings::Input::Setting(Key::ReceivingUnit);
    w.send(Message::Settings(settings::Message::Edited(
        unit,
        "Phòng một cửa".into(),
    )));
    w.send(Message::Settings(settings::Message::Entered(unit)));
    assert!(w.shows(
        "tên phải bắt đầu bằng «Trung tâm Phục vụ hành chính công» hoặc «Bộ phận Tiếp nhận và Trả kết quả», như trên biểu mẫu"
    ));
    w.send(Message::Settings(settings::Message::Edited(
        unit,
        "Trung tâm Phục vụ hành chính công xã Tân Lập".into(),
    )));
    w.send(Message::Settings(settings::Message::Entered(unit)));
    assert_eq!(
        s.counter().settings().unwrap().receiving_unit,
        "Trung tâm Phục vụ hành chính công xã Tân Lập"
    );
}

#[test]
fn settings_are_saved_checked_and_closed_to_clerks() {
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F5);
    assert!(w.shows(T::StationTitle.vi()));
    let copies = settings::Input::Setting(motcua_app::settings::Key::Copies);
    w.send(Message::Settings(settings::Message::Edited(
        copies,
        "0".into(),
    )));
    w.send(Message::Settings(settings::Message::Entered(copies)));
    assert!(w.shows("số bản in phải từ 1 đến 9"));
    w.send(Message::Settings(settings::Message::Edited(
        copies,
        "2".into(),
    )));
    w.send(Message::Settings(settings::Message::Entered(copies)));
    assert_eq!(s.counter().settings().unwrap().copies, 2);
    // A clerk account, added from here.
    for (input, value) in [
        (settings::Input::NewUsername, "hoa"),
        (settings::Input::NewFullName, "Lê Thị Hoa"),
        (settings::Input::NewRole, "1"),
        (settings::Input::NewPassword, "mật khẩu của hoa"),
        (settings::Input::NewConfirm, "mật khẩu của hoa"),
    ] {
        w.send(Message::Settings(settings::Message::Edited(
            input,
            value.into(),
        )));
    }
    w.send(Message::Settings(settings::Message::Entered(
        settings::Input::NewConfirm,
    )));
    assert!(w.shows(&i18n::account_added("hoa")));
    // The last admin cannot be deactivated.
    w.send(Message::Settings(settings::Message::ToggleActive(
        "lan".into(),
        false,
    )));
    assert!(
        w.shows("không thể khóa tài khoản «lan»: đây là quản trị viên cuối cùng còn hoạt động")
    );
    // The holiday table of 2027 says where it comes from.
    w.send(Message::Settings(settings::Message::Edited(
        settings::Input::Year,
        "2027".into(),
    )));
    w.send(Message::Settings(settings::Message::Entered(
        settings::Input::Year,
    )));
    assert!(w.shows("Nguồn: lịch đi kèm phần mềm"));
    // A clerk signing in sees no settings.
    let mut w = s.open();
    w.type_text("hoa");
    w.enter();
    w.type_text("mật khẩu của hoa");
    w.enter();
    w.key(Named::F5);
    assert!(w.shows(T::AdminOnly.vi()));
    assert!(!w.shows(T::StationTitle.vi()));
}

#[test]
fn a_hundred_thousand_rows_scroll_to_the_end_by_keyboard_with_the_selection_in_sight() {
    let s = Station::new();
    {
        let mut c = s.counter();
        let mut g = c.generator("lan", 11).unwrap();
        let end = s.clock.now().date_naive();
        c.seed(&mut g, 100_000, 30, end, 20_000).unwrap();
    }
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F2);
    assert!(w.shows("100000 hồ sơ"));
    for _ in 0..5 {
        w.key(Named::PageDown);
    }
    // PageDown moves by the rows in sight (the list is 480 px, 16 rows, before the
    // window reports its real height).
    assert!(w.shows(&i18n::selected_row(5 * 16 + 1, 100_000)));
    w.key(Named::End);
    assert!(w.shows(&i18n::selected_row(100_000, 100_000)));
    let oldest = s
        .counter()
        .register_page(&Default::default(), 99_999, 1)
        .unwrap();
    assert!(
        w.shows(&oldest[0].summary.code),
        "the last row is built and shown"
    );
    w.key(Named::Home);
    assert!(w.shows(&i18n::selected_row(1, 100_000)));
    let newest = s
        .counter()
        .register_page(&Default::default(), 0, 1)
        .unwrap();
    assert!(w.shows(&newest[0].summary.code));
    assert!(
        !w.shows(&oldest[0].summary.code),
        "only the rows in sight are built"
    );
    let app = w.state();
    assert!(app.register.selection_in_sight());
}

/// Runs the `.ice` scripts of `tests/ice/<dir>` on `s`.
fn ice(s: &Station, dir: &str) {
    let program = application(
        s.paths.clone(),
        Options {
            env: s.env(),
            background_sync: false,
            trace: false,
            jobs: Jobs::default(),
        },
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/ice")
        .join(dir);
    iced_test::run(program, dir).unwrap();
}

#[test]
fn the_ice_script_finds_opens_marks_ready_and_returns() {
    let s = Station::new();
    let code = receive(&s, "Đặng Thị Hằng");
    ice(&s, "follow");
    let d = s.counter().detail(&code).unwrap();
    assert_eq!(d.shown.dossier.status, Status::Returned);
    assert_eq!(d.journal.len(), 3);
    s.counter().verify().unwrap();
}

#[test]
fn the_ice_script_searches_the_register_as_you_type() {
    let s = Station::new();
    receive(&s, "Đặng Thị Hằng");
    receive(&s, "Lê Văn Cường");
    ice(&s, "register-search");
}

/// Signs in, opens the register and the newest dossier in it.
fn open_newest(
    s: &Station,
) -> Window<impl iced::Program<State = App, Message = Message, Theme = Theme> + use<>> {
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F2);
    w.enter();
    assert!(w.shows("Nhật ký hồ sơ"), "the dossier is open");
    w
}

fn last_printed(s: &Station) -> String {
    match s.printer.recorded().last() {
        Some(Recorded::Printed { file, .. }) => file.display().to_string(),
        other => panic!("nothing printed: {other:?}"),
    }
}

#[test]
fn a_refusal_takes_its_reason_and_prints_mau_03() {
    let s = Station::new();
    let code = receive(&s, "Trịnh Văn Khoa");
    let mut w = open_newest(&s);
    // From «received»: 5 is «refused».
    digit(&mut w, "5");
    assert!(w.shows(T::RefuseTitle.vi()));
    w.type_text("không thuộc thẩm quyền của xã");
    w.enter();
    assert_eq!(status(&s, &code), Status::Refused);
    assert!(last_printed(&s).ends_with(&format!("{code}-mau03.pdf")));
    // The line says which form went to the printer.
    assert!(w.shows(&format!(
        "{} Đã gửi phiếu từ chối tiếp nhận giải quyết hồ sơ tới máy in PDF (1 bản).",
        i18n::changed(&code, Status::Refused)
    )));
    assert!(w.shows(Status::Refused.label()));
    assert!(
        w.shows("không thuộc thẩm quyền của xã"),
        "the reason is in the journal"
    );
    // Nothing follows a refusal: no digit does anything any more.
    for d in ["1", "2", "6"] {
        digit(&mut w, d);
    }
    assert_eq!(status(&s, &code), Status::Refused);
    s.counter().verify().unwrap();
}

#[test]
fn a_supplement_comes_back_and_a_dossier_is_withdrawn() {
    let s = Station::new();
    let code = receive(&s, "Lý Thị Hoa");
    set_status(&s, &code, Status::SupplementRequested).unwrap();
    let mut w = open_newest(&s);
    // From «supplement requested»: 1 is «processing» (the supplement came in).
    assert!(w.shows(&format!("1 {}", Status::Processing.label())) || w.shows("1 Chuyển xử lý"));
    digit(&mut w, "1");
    w.type_text("đã bổ sung giấy xác nhận cư trú");
    w.enter();
    assert_eq!(status(&s, &code), Status::Processing);
    // From «processing» as from «received»: 6 is «withdrawn».
    assert!(w.shows("6 Công dân rút hồ sơ (in Mẫu 05)"));
    digit(&mut w, "6");
    w.type_text("công dân xin rút");
    w.enter();
    assert_eq!(status(&s, &code), Status::Withdrawn);
    // The withdrawal printed the stop notice (Mẫu 05 of the 2025 set).
    assert!(last_printed(&s).ends_with(&format!("{code}-mau05.pdf")));
    // Ctrl+K prints the control slip (Mẫu 06) as the journal now stands.
    w.ctrl("k");
    assert!(last_printed(&s).ends_with(&format!("{code}-mau06.pdf")));
    let journal = s.counter().detail(&code).unwrap().journal;
    assert_eq!(
        journal.len(),
        4,
        "received, supplement, processing, withdrawn"
    );
    s.counter().verify().unwrap();
}

#[test]
fn a_change_made_elsewhere_meanwhile_is_refused_with_the_reason() {
    let s = Station::new();
    let code = receive(&s, "Mai Văn Đức");
    let mut w = open_newest(&s);
    // While the detail is open, the CLI (or sync) withdraws the dossier.
    set_status(&s, &code, Status::Withdrawn).unwrap();
    // The window still offers «1 Chuyển xử lý»; taking it is refused, nothing is written.
    digit(&mut w, "1");
    w.enter();
    let expected = set_status(&s, &code, Status::Processing)
        .unwrap_err()
        .to_string();
    assert!(expected.contains("không thể chuyển"), "{expected}");
    assert!(w.shows(&expected), "the refusal is shown: {expected}");
    assert_eq!(status(&s, &code), Status::Withdrawn);
    assert_eq!(s.counter().detail(&code).unwrap().journal.len(), 2);
}

#[test]
fn a_late_dossier_gets_the_apology_with_a_later_date_and_ctrl_p_reprints_the_receipt() {
    let s = Station::new();
    let code = receive(&s, "Châu Thị Ngọc");
    s.clock.advance(chrono::Duration::days(7));
    let mut w = open_newest(&s);
    assert!(w.shows("QUÁ HẠN"));
    digit(&mut w, "0");
    assert!(w.shows(T::ApologyAction.vi()));
    w.type_text("chờ xác minh của xã khác");
    w.enter();
    // A new date that is not later than the promised one is refused, by the field.
    let due = s.counter().dossier(&code).unwrap().due_at.unwrap();
    let refusal = motcua_app::AppError::field(
        motcua_core::Field::Date,
        format!(
            "ngày hẹn mới phải sau ngày hẹn cũ ({})",
            due.format("%H:%M ngày %d/%m/%Y")
        ),
    )
    .to_string();
    w.type_text("27/11/2026 09:00");
    w.enter();
    assert!(w.shows(&refusal), "{refusal}");
    assert!(s.printer.recorded().is_empty());
    // The wrong date is selected in its field: the right one typed over it, Enter.
    w.type_text("10/12/2026 09:00");
    w.enter();
    assert!(last_printed(&s).ends_with(&format!("{code}-mau04.pdf")));
    // The new appointment is the dossier's now, and an apology is given once.
    let shown = s.counter().show(&code).unwrap();
    assert_eq!(
        shown.dossier.due_at.unwrap().to_string(),
        "2026-12-10 09:00:00"
    );
    assert!(!shown.overdue);
    let detail = s.counter().detail(&code).unwrap();
    let last = detail.journal.last().unwrap();
    assert_eq!(
        last.what,
        "Hẹn lại ngày trả: 09:30 30/11/2026 → 09:00 10/12/2026"
    );
    assert!(w.shows(&format!("{}  {} — {}", last.at, last.who, last.what)));
    digit(&mut w, "0");
    let once = detail.extension_refused.unwrap();
    assert!(once.contains("chỉ thực hiện một lần"), "{once}");
    assert!(w.shows(&once), "{once}");
    w.ctrl("p");
    assert!(last_printed(&s).ends_with(&format!("{code}-mau01.pdf")));
    assert_eq!(s.printer.recorded().len(), 2);
}

#[test]
fn accounts_are_reset_and_deactivated_by_keyboard() {
    let s = Station::new();
    s.counter()
        .add_user(
            &motcua_app::AccountForm {
                username: "hoa".into(),
                full_name: "Lê Thị Hoa".into(),
                role: motcua_app::Role::Clerk,
                password: "mật khẩu của hoa".into(),
                confirm: None,
            },
            &s.counter().admin("lan").unwrap(),
        )
        .unwrap();
    let active = |s: &Station| {
        s.counter()
            .users()
            .unwrap()
            .into_iter()
            .find(|u| u.username == "hoa")
            .unwrap()
            .active
    };
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F5);
    assert!(w.shows(T::ToggleWho.vi()) && w.shows(T::ResetWho.vi()));
    let toggle = |w: &mut Window<_>, who: &str| {
        w.send(Message::Settings(settings::Message::Edited(
            settings::Input::ToggleWho,
            who.into(),
        )));
        w.send(Message::Settings(settings::Message::Entered(
            settings::Input::ToggleWho,
        )));
    };
    toggle(&mut w, "không-có");
    assert!(w.shows(&i18n::no_such_account("không-có")));
    toggle(&mut w, "HOA ");
    assert!(!active(&s), "deactivated");
    toggle(&mut w, "hoa");
    assert!(active(&s), "reactivated");
    // Reset: the username and Enter, then the new password typed twice, Enter after each.
    w.send(Message::Settings(settings::Message::Edited(
        settings::Input::ResetWho,
        "hoa".into(),
    )));
    w.send(Message::Settings(settings::Message::Entered(
        settings::Input::ResetWho,
    )));
    assert!(w.shows(T::Resetting.vi()));
    w.type_text("mật khẩu mới của hoa");
    w.enter();
    w.type_text("mật khẩu mới của hoa");
    w.enter();
    assert!(!w.shows(T::Resetting.vi()), "done");
    s.counter().login("hoa", "mật khẩu mới của hoa").unwrap();
    assert!(s.counter().login("hoa", "mật khẩu của hoa").is_err());
}

#[test]
fn ctrl_r_syncs_now_from_the_sync_screen() {
    let s = Station::new();
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F4);
    assert!(w.shows(T::SyncNow.vi()));
    // Never enrolled: not offline, but not enrolled, and how to enrol here.
    assert!(w.shows("quầy chưa đăng ký với máy chủ tỉnh"));
    assert!(w.shows(T::EnrollHowTo.vi()));
    assert!(w.shows(T::SyncNotEnrolled.vi()), "the status bar");
    assert!(!w.shows(motcua_store::HubAnswer::Unreachable.label()));
    // The attempt is made and says why it cannot sync, in the window's words (not the
    // command the CLI would run).
    w.ctrl("r");
    let cli = s
        .counter()
        .sync_once(std::time::Duration::from_secs(5))
        .unwrap_err();
    assert!(cli.is_not_enrolled(), "{cli}");
    assert!(w.shows(T::SyncNeedsEnrolment.vi()));
    assert!(!w.shows(&cli.to_string()));
}

#[test]
fn the_last_success_reads_as_a_time_on_f4_and_in_the_status_bar() {
    let s = Station::new();
    {
        let mut store = motcua_store::Store::open(&s.paths.db).unwrap();
        // 09:30 in Vietnam, kept as 02:30 UTC: shown in Vietnam time either way.
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-25T02:30:00Z").unwrap();
        store.set_hub("http://127.0.0.1:9", at).unwrap();
        let outcome = motcua_store::SyncOutcome {
            answer: motcua_store::HubAnswer::Ok,
            error: None,
            clock_offset_ms: None,
            hub_busy: false,
        };
        store.record_sync_outcome(&outcome, at).unwrap();
    }
    let mut w = s.open();
    w.sign_in();
    assert!(w.shows(&i18n::last_sync("09:30 25/11")), "the status bar");
    w.key(Named::F4);
    assert!(w.shows(T::LastSuccess.vi()));
    assert!(w.shows("09:30 25/11/2026"));
    assert!(!w.shows("2026-11-25T02:30:00+00:00"));
    assert!(w.shows(motcua_store::HubAnswer::Ok.label()));
}

#[test]
fn a_filter_that_leaves_the_list_empty_is_left_by_keyboard() {
    let s = Station::new();
    receive(&s, "Phan Thị Yến");
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F2);
    assert!(w.shows("1 hồ sơ"));
    // Nothing is overdue yet: the list empties, and Ctrl+1 brings it back.
    w.ctrl("2");
    assert!(w.shows("0 hồ sơ"));
    w.ctrl("1");
    assert!(w.shows("1 hồ sơ"));
}

#[test]
fn a_database_behind_its_mark_refuses_to_save_and_f4_says_how_to_recover() {
    let s = Station::new();
    receive(&s, "Trước khi mất điện");
    // The journal's high-water mark says the station committed three events more than
    // the database holds (as after a deleted -wal).
    let (seq, hash) = {
        let c = rusqlite::Connection::open(&s.paths.db).unwrap();
        c.query_row("SELECT seq, hash FROM journal_head", [], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })
        .unwrap()
    };
    motcua_store::mark::write(
        &s.paths.db,
        &motcua_store::mark::Mark {
            station_id: "000.17.22.H56#1".into(),
            seq: seq as u64 + 3,
            hash,
            skipped: 0,
        },
    )
    .unwrap();
    let mut w = s.open();
    w.sign_in();
    choose(&mut w, "khai sinh");
    w.type_text("Sau khi mất điện");
    w.ctrl("s");
    assert!(
        w.shows(&i18n::not_saved(&i18n::missing_events_at_receive(3))),
        "the clerk is told why and where to go"
    );
    assert!(w.shows("Sau khi mất điện"), "the draft is kept");
    assert_eq!(s.counter().search("", None, 10).unwrap().len(), 1);
    w.key(Named::F4);
    assert!(w.shows(&i18n::missing_events(3)));
    assert!(w.shows(T::RecoverNow.vi()));
    // Not enrolled with a hub: the attempt says the events are still missing.
    w.ctrl("k");
    let lines = s
        .counter()
        .recover(motcua_app::recovery::Loss::Refuse)
        .unwrap()
        .lines();
    assert!(
        lines.iter().any(|l| l.contains("vẫn thiếu 3 sự kiện")),
        "{lines:?}"
    );
    assert!(w.shows(&i18n::recovered(&lines)), "recovery outcome shown");
}
