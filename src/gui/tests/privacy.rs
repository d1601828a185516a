//! Part 5: citizens' personal data in the window: ID numbers masked in the lists, whole on
//! the dossier's own screen, found by a whole number; and each search and opening in the
//! access log under the clerk signed in.

use super::*;
use motcua_app::access::AccessQuery;
use motcua_core::access::AccessAction;

#[test]
fn lists_mask_id_numbers_a_whole_number_finds_and_the_log_names_the_clerk() {
    let s = Station::new();
    let a = s.receive_marriage_status("Đặng Thị Hằng", Some("038199012345"), None);
    let b = s.receive_marriage_status("Lê Văn Cường", Some("001088054321"), None);
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
    let lan = c.admin("lan").unwrap();
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
