//! Part 5: citizens' personal data in the window: ID numbers masked in the lists, whole on
//! the dossier's own screen, found by a whole number; and each search and opening in the
//! access log under the clerk signed in.

use super::*;
use motcua_app::access::AccessQuery;
use motcua_core::access::AccessAction;

/// Hằng (038199012345) and Cường (001088054321), each with a dossier; their codes.
fn two_citizens(s: &Station) -> (String, String) {
    (
        s.receive_marriage_status("Đặng Thị Hằng", Some("038199012345"), None),
        s.receive_marriage_status("Lê Văn Cường", Some("001088054321"), None),
    )
}

#[test]
fn lists_mask_id_numbers_a_whole_number_finds_and_the_log_names_the_clerk() {
    let s = Station::new();
    let (a, b) = two_citizens(&s);
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F2);
    assert!(w.shows("2 hồ sơ"));
    assert!(w.shows("Đặng Thị Hằng") && w.shows("038*******45"));
    assert!(w.shows("Lê Văn Cường") && w.shows("001*******21"));
    assert!(!w.shows("038199012345") && !w.shows("001088054321"));
    // A whole ID number typed in the search finds its dossier; the list stays masked.
    w.type_text("038199012345");
    assert!(w.shows("1 hồ sơ") && w.shows(&a) && !w.shows(&b));
    assert!(w.shows("038*******45") && !w.shows("001*******21"));
    // Enter opens it: the whole number is on its own screen.
    w.enter();
    assert!(w.shows("Nhật ký hồ sơ") && w.shows("038199012345"));
    drop(w);
    let mut c = s.counter();
    let lan = c.reviewer("lan").unwrap();
    let mut log = c.access_log(&AccessQuery::default(), &lan).unwrap();
    log.reverse();
    let ours: Vec<_> = log
        .iter()
        .filter(|e| e.clerk == "lan")
        .map(|e| (e.access.action, e.access.dossiers.clone()))
        .collect();
    // The list as first shown, the search typed (one entry for its twelve keys), the
    // opening.
    assert_eq!(
        ours,
        [
            (AccessAction::Search, vec![b.clone(), a.clone()]),
            (AccessAction::Search, vec![a.clone()]),
            (AccessAction::View, vec![a.clone()]),
        ],
        "{log:#?}"
    );
    assert_eq!(log[1].access.what, "Tìm «038*******45»");
}

#[test]
fn ctrl_e_corrects_the_applicants_name_by_keyboard_and_the_history_keeps_the_old_one() {
    use motcua_core::correction::{CorrectionInput, Role};
    let s = Station::new();
    let code = s.receive_marriage_status("Đặng Thị Hằg", Some("038199012345"), None);
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F2);
    w.enter();
    w.ctrl("e");
    assert!(w.shows(&i18n::correct_title(Role::Applicant)));
    assert!(!w.shows(T::CorrectNext.vi()), "nobody else on this dossier");
    assert!(w.shows("Đặng Thị Hằg") && w.shows("038199012345"));
    // The name is selected: the right one typed over it; Enter passes the other fields,
    // which stay as they were, to the reason; Enter there with none.
    w.type_text("Đặng Thị Hằng");
    for _ in 0..6 {
        w.enter();
    }
    // No reason: refused with the reason's message, nothing written.
    let input = CorrectionInput {
        full_name: Some("Đặng Thị Hằng".into()),
        ..CorrectionInput::default()
    };
    let refusal = s
        .counter()
        .correct(&code, Role::Applicant, &input, "", "lan")
        .unwrap_err()
        .to_string();
    assert!(w.shows(&refusal), "{refusal}");
    assert_eq!(
        s.counter().dossier(&code).unwrap().applicant.full_name,
        "Đặng Thị Hằg"
    );
    // The focus is on the reason: typed, Enter saves.
    w.type_text("Theo thẻ Căn cước công dân xuất trình");
    w.enter();
    assert!(w.shows(&i18n::corrected(&code, Role::Applicant)));
    let d = s.counter().dossier(&code).unwrap();
    assert_eq!(d.applicant.full_name, "Đặng Thị Hằng");
    assert_eq!(d.applicant.id_number.as_deref(), Some("038199012345"));
    // The history shows the correction with the old name; the dossier's own event is as
    // it was received.
    let last = s.counter().detail(&code).unwrap().journal.pop().unwrap();
    assert!(w.shows(&format!(
        "{}  Trần Thị Lan — Đính chính thông tin người nộp hồ sơ",
        last.at
    )));
    assert!(w.shows(last.note.as_deref().unwrap()));
    assert_eq!(
        last.note.as_deref(),
        Some(
            "Họ và tên: Đặng Thị Hằg → Đặng Thị Hằng. Lý do: Theo thẻ Căn cước công dân xuất trình"
        )
    );
    assert_eq!(last.who, "Trần Thị Lan");
    s.counter().verify().unwrap();
}

#[test]
fn f7_lists_the_access_log_and_filters_it_by_a_citizens_whole_number_on_enter() {
    use crate::gui::screen::access::line;
    let s = Station::new();
    let (a, b) = two_citizens(&s);
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F2);
    w.type_text("038199012345");
    w.enter();
    assert!(w.shows("Nhật ký hồ sơ"));
    w.key(Named::F7);
    assert!(w.shows(T::AccessKeys.vi()));
    // Every entry so far is on the screen, as the log holds it.
    let lan = s.counter().reviewer("lan").unwrap();
    let all = s
        .counter()
        .access_log(&AccessQuery::default(), &lan)
        .unwrap();
    assert!(all.len() >= 3, "{all:#?}");
    for e in &all {
        assert!(w.shows(&line(e)), "{}", line(e));
    }
    assert!(w.shows(&format!("{} lượt truy cập", all.len())));
    // A citizen's number, then Enter: the entries naming their dossier, and the review.
    w.type_text("001088054321");
    w.enter();
    let theirs = s
        .counter()
        .access_log(&AccessQuery::default(), &lan)
        .unwrap();
    let review = &theirs[0];
    assert_eq!(review.access.action, AccessAction::Review);
    assert_eq!(review.access.dossiers, std::slice::from_ref(&b));
    assert!(w.shows(&line(review)), "{}", line(review));
    let view_of_a = all
        .iter()
        .find(|e| e.access.action == AccessAction::View)
        .unwrap();
    assert_eq!(view_of_a.access.dossiers, std::slice::from_ref(&a));
    assert!(!w.shows(&line(view_of_a)), "only the entries naming {b}");
    assert!(!w.shows("038199012345"));
}

#[test]
fn ctrl_p_on_f7_answers_a_citizens_request_printed_with_its_json_kept() {
    let s = Station::new();
    let (a, b) = two_citizens(&s);
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F7);
    // No number typed: the window says what to do, nothing is printed.
    w.ctrl("p");
    assert!(w.shows(T::AccessAnswerNeedsId.vi()));
    assert!(s.printer.recorded().is_empty());
    w.type_text("038199012345");
    w.ctrl("p");
    let file = match s.printer.recorded().last() {
        Some(Recorded::Printed { file, title, .. }) => {
            assert!(title.starts_with("ThongBaoDuLieuCaNhan"), "{title}");
            file.clone()
        }
        other => panic!("not printed: {other:?}"),
    };
    assert!(
        file.to_string_lossy().ends_with("-du-lieu-ca-nhan.pdf"),
        "{}",
        file.display()
    );
    let json = std::fs::read_to_string(file.with_extension("json")).unwrap();
    assert!(json.contains(&a) && !json.contains(&b), "{json}");
    assert!(w.shows(&format!(
        "Đã lập thư trả lời (1 hồ sơ), lưu tại {} cùng tệp JSON. Đã gửi thư tới máy in PDF.",
        file.display()
    )));
    // The log: the request naming her dossier and her number masked, then the print of
    // the letter, which names none.
    let lan = s.counter().reviewer("lan").unwrap();
    let log = s
        .counter()
        .access_log(&AccessQuery::default(), &lan)
        .unwrap();
    assert_eq!(log[0].access.action, AccessAction::Print);
    assert!(log[0].access.dossiers.is_empty());
    assert_eq!(log[1].access.action, AccessAction::Request);
    assert_eq!(log[1].access.dossiers, std::slice::from_ref(&a));
    assert_eq!(log[1].access.subject.as_deref(), Some("038*******45"));
}

#[test]
fn the_office_head_opens_the_access_log_and_the_reports_but_not_the_settings() {
    let s = Station::new();
    two_citizens(&s);
    s.counter()
        .add_user(
            &AccountForm {
                username: "truong".into(),
                full_name: "Nguyễn Văn Trưởng".into(),
                role: Role::Head,
                password: "mật khẩu của lãnh đạo".into(),
                confirm: None,
            },
            &s.counter().station_owner(),
        )
        .unwrap();
    let mut w = s.open();
    w.type_text("truong");
    w.enter();
    w.type_text("mật khẩu của lãnh đạo");
    w.enter();
    assert!(w.shows("F1 Tiếp nhận"), "signed in");
    w.key(Named::F2);
    assert!(w.shows("2 hồ sơ"));
    w.key(Named::F7);
    assert!(w.shows(T::AccessKeys.vi()) && !w.shows(T::AccessAdminOnly.vi()));
    w.key(Named::F6);
    assert!(w.shows(T::ReportsOverdue.vi()) && !w.shows(T::ReportsAdminOnly.vi()));
    w.key(Named::F5);
    assert!(w.shows(T::AdminOnly.vi()) && !w.shows(T::StationTitle.vi()));
    // The log names the head for the list the head read.
    // (The window's counter writes what it holds back when its thread ends.)
    drop(w);
    let start = Instant::now();
    loop {
        let mut c = s.counter();
        let head = c.reviewer("truong").unwrap();
        let log = c.access_log(&AccessQuery::default(), &head).unwrap();
        if log.iter().any(|e| e.clerk == "truong") {
            break;
        }
        assert!(start.elapsed() < DEADLINE, "{log:#?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_e_again_corrects_the_authorised_person_and_leaves_the_applicant_as_they_were() {
    use motcua_core::correction::Role as Person;
    let s = Station::new();
    let mut input = marriage_input("Đặng Thị Hằng", Some("038199012345"));
    input.proxy_name = Some("Nguyễn Văn Am".into());
    input.proxy_id_number = Some("001099012345".into());
    input.proxy_authorisation = Some("Giấy ủy quyền số 12/2026/UQ".into());
    let code = s.receive_marriage_input(input, None);
    let mut w = s.open();
    w.sign_in();
    w.key(Named::F2);
    w.enter();
    w.ctrl("e");
    assert!(w.shows(&i18n::correct_title(Person::Applicant)) && w.shows(T::CorrectNext.vi()));
    // No owner recorded: the authorised person is next, prefilled with what the dossier
    // records of them.
    w.ctrl("e");
    assert!(w.shows(&i18n::correct_title(Person::Proxy)));
    assert!(w.shows("Nguyễn Văn Am") && w.shows("001099012345"));
    w.type_text("Nguyễn Văn An");
    for _ in 0..5 {
        w.enter();
    }
    w.type_text("Theo thẻ Căn cước của người được ủy quyền");
    w.enter();
    assert!(w.shows(&i18n::corrected(&code, Person::Proxy)));
    let d = s.counter().dossier(&code).unwrap();
    assert_eq!(d.proxy.as_ref().unwrap().full_name, "Nguyễn Văn An");
    assert_eq!(d.applicant.full_name, "Đặng Thị Hằng");
    let last = s.counter().detail(&code).unwrap().journal.pop().unwrap();
    assert_eq!(
        last.note.as_deref(),
        Some(
            "Họ và tên: Nguyễn Văn Am → Nguyễn Văn An. Lý do: Theo thẻ Căn cước của người được ủy quyền"
        )
    );
    // Ctrl+E from the last person comes back to the applicant.
    w.ctrl("e");
    w.ctrl("e");
    assert!(w.shows(&i18n::correct_title(Person::Proxy)));
    w.ctrl("e");
    assert!(w.shows(&i18n::correct_title(Person::Applicant)));
}
