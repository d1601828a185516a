//! The catalogue at the counter: cases, channels, terms, imports, the picker.

use crate::counter::testing::*;
use chrono::NaiveDateTime;
use motcua_core::Field;
use motcua_core::calendar::Term;
use motcua_core::dossier::Channel;

/// A term as the catalogue writes it.
fn term(text: &str) -> Option<Term> {
    Some(text.parse().unwrap())
}

/// The five national fixture records as one array file.
fn national_file(dir: &std::path::Path) -> std::path::PathBuf {
    let fixtures = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/catalog/national"
    );
    let records: Vec<serde_json::Value> =
        ["1.001193", "2.000815", "2.000635", "1.009122", "1.004222"]
            .iter()
            .map(|c| {
                let mut v: serde_json::Value = serde_json::from_str(
                    &std::fs::read_to_string(format!("{fixtures}/{c}.json")).unwrap(),
                )
                .unwrap();
                // The commune keeps residence off its counter (motcua's x_counter):
                // a bare national record would keep the station's own choice.
                if *c == "1.004222" {
                    v["data"]["x_counter"] = serde_json::json!({"offerByDefault": false});
                }
                v
            })
            .collect();
    let file = dir.join("national.json");
    std::fs::write(&file, serde_json::to_string(&records).unwrap()).unwrap();
    file
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

#[test]
fn the_case_and_channel_decide_the_term_and_the_appointment() {
    let mut f = fixture();
    let file = national_file(f.dir.path());
    let imp = f
        .counter
        .import_catalog(&f.counter.station_owner(), &file)
        .unwrap();
    assert!(imp.loaded && imp.version.starts_with("dvcqg-"));
    // Merged into the station's 23 procedures: the four it had are updated, 1.009122
    // is added, the other 19 stay; 1.004222 comes with the commune's decision to keep
    // residence off the counter.
    assert_eq!(
        (imp.added, imp.updated, imp.unchanged, imp.refused),
        (1, 4, 0, 0)
    );
    assert_eq!((imp.procedures, imp.offered), (24, 23));
    // 15 working days from Monday 23/11/2026 09:00, Tuesday 24/11 (Ngày Văn hóa Việt
    // Nam) not counted: Tuesday 15/12 09:00.
    let mut form = form("Phạm Thị Thu");
    form.procedure = "2.000635".into();
    form.received_at = Some(at("2026-11-23T09:00"));
    form.input.case_code = Some("2.000635.01".into());
    let r = f.counter.receive(&form).unwrap();
    assert_eq!(r.dossier.procedure.term, term("15wd"));
    assert_eq!(
        r.dossier.procedure.case.as_ref().unwrap().code,
        "2.000635.01"
    );
    assert_eq!(r.due.at, at("2026-12-15T09:00"));
    assert!(
        r.due.explanation.contains("24/11 Ngày Văn hóa Việt Nam"),
        "{}",
        r.due.explanation
    );
    // 1 calendar day from Friday 20/11 10:00 is Saturday: Monday 23/11 at closing.
    form.input.case_code = Some("02".into());
    form.received_at = Some(at("2026-11-20T10:00"));
    let r = f.counter.receive(&form).unwrap();
    assert_eq!(
        (r.dossier.procedure.term, r.due.at),
        (term("1d"), at("2026-11-23T17:00"))
    );
    // Stored as received, case and all.
    let back = f.counter.dossier(&r.dossier.code.to_string()).unwrap();
    assert_eq!(back.procedure, r.dossier.procedure);
    // The building permit: 10 calendar days for a house in town, whichever channel.
    let mut permit = crate::counter::testing::form("Vũ Văn Nam");
    permit.procedure = "1.009122".into();
    permit.input.case_code = Some("1.009122.12".into());
    permit.input.channel = Channel::Postal;
    permit.input.post_address = Some("Thôn Đông, xã Tân Lập".into());
    permit.received_at = Some(at("2026-11-23T09:00"));
    let r = f.counter.receive(&permit).unwrap();
    assert_eq!(
        (r.dossier.procedure.term, r.due.at),
        (term("10d"), at("2026-12-03T17:00"))
    );
}

#[test]
fn a_wrong_missing_or_hidden_case_is_refused_by_field() {
    let mut f = fixture();
    let file = national_file(f.dir.path());
    f.counter
        .import_catalog(&f.counter.station_owner(), &file)
        .unwrap();
    let mut form = form("Phạm Thị Thu");
    form.procedure = "2.000635".into();
    let e = f.counter.receive(&form).unwrap_err();
    assert_eq!(e.fields()[0].field, Field::Case);
    assert!(
        e.to_string().starts_with("Trường hợp: thủ tục 2.000635 có 4 trường hợp với thời hạn khác nhau; hãy chọn một: 2.000635.01 (15 ngày làm việc), 2.000635.02 (1 ngày)"),
        "{e}"
    );
    form.input.case_code = Some("2.000635.09".into());
    let e = f.counter.receive(&form).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("Trường hợp: thủ tục 2.000635 không có trường hợp «2.000635.09»"),
        "{e}"
    );
    // Every problem at once: the case first, then the applicant.
    form.input.applicant_name = String::new();
    let fields: Vec<Field> = f
        .counter
        .receive(&form)
        .unwrap_err()
        .fields()
        .iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, [Field::Case, Field::FullName]);
    // Cư trú is not received at the counter.
    form = crate::counter::testing::form("Đỗ Văn Cư");
    form.procedure = "1.004222".into();
    let e = f.counter.receive(&form).unwrap_err();
    assert!(e.to_string().contains("thủ tục 1.004222 «Đăng ký thường trú» không tiếp nhận tại quầy một cửa (do Công an cấp xã thực hiện)"), "{e}");
    // Nothing was saved.
    assert!(f.counter.search("", None, 10).unwrap().is_empty());
    // A procedure with two cases of the same term needs none; its default applies.
    form.procedure = "1.001193".into();
    let r = f.counter.receive(&form).unwrap();
    assert_eq!(
        (r.dossier.procedure.term, r.dossier.procedure.case.as_ref()),
        (term("1wd"), None)
    );
}

#[test]
fn the_window_gets_the_cases_with_their_terms_and_the_hidden_ones_on_request() {
    let mut f = fixture();
    let file = national_file(f.dir.path());
    f.counter
        .import_catalog(&f.counter.station_owner(), &file)
        .unwrap();
    let (cases, required) = f.counter.cases("2.000635", Channel::Direct).unwrap();
    assert!(required);
    let terms: Vec<&str> = cases.iter().map(|c| c.term_label.as_str()).collect();
    assert_eq!(
        terms,
        [
            "15 ngày làm việc",
            "1 ngày",
            "1 ngày làm việc",
            "1 ngày làm việc"
        ]
    );
    assert_eq!(cases[0].fee, "Lệ phí: 8.000 đồng");
    let due = f
        .counter
        .due_for_case(
            "2.000635",
            super::TermInput {
                case: Some("2.000635.01"),
                ..Default::default()
            },
            at("2026-11-23T09:00"),
        )
        .unwrap();
    assert_eq!(due.at, at("2026-12-15T09:00"));
    let applied = f
        .counter
        .applied("1.004222", super::TermInput::default())
        .unwrap_err();
    assert_eq!(applied.fields()[0].field, Field::Procedure);
    assert_eq!(f.counter.search_procedures("").unwrap().len(), 23);
    let all = f.counter.find_procedures("thuong tru", true).unwrap();
    assert_eq!(all[0].code, "1.004222");
    assert_eq!(f.counter.procedure_counts().unwrap(), (23, 1));
}

#[test]
fn the_picker_ranks_by_this_counters_use_of_the_last_30_days() {
    let mut f = fixture();
    let codes = |f: &crate::counter::testing::Fixture, q: &str| -> Vec<String> {
        f.counter
            .search_procedures(q)
            .unwrap()
            .into_iter()
            .take(3)
            .map(|p| p.code)
            .collect()
    };
    // Nothing received yet: no suggestions for an empty field; relevance decides.
    assert!(f.counter.frequent_procedures(8).unwrap().is_empty());
    let before = codes(&f, "chung thuc");
    assert_ne!(before[0], "2.000884", "{before:?}");
    // Two signatures certified, one marriage status confirmed.
    for name in ["Lê Văn A", "Lê Văn B"] {
        let mut form = form(name);
        form.procedure = "2.000884".into();
        f.counter.receive(&form).unwrap();
    }
    f.counter.receive(&form("Lê Văn C")).unwrap();
    let frequent: Vec<String> = f
        .counter
        .frequent_procedures(8)
        .unwrap()
        .into_iter()
        .map(|p| p.code)
        .collect();
    assert_eq!(frequent, ["2.000884", "1.004873"]);
    assert_eq!(codes(&f, "chung thuc")[0], "2.000884");
    // An exact code still comes first.
    assert_eq!(codes(&f, "2.000815")[0], "2.000815");
    // Use older than 30 days no longer counts.
    f.clock.advance(chrono::Duration::days(31));
    assert!(f.counter.frequent_procedures(8).unwrap().is_empty());
    assert_eq!(codes(&f, "chung thuc"), before);
}

#[test]
fn the_builtin_lists_read() {
    let cat = super::builtin_catalog().unwrap();
    assert_eq!(cat.version, "vinh-bao-2026.09.29+dvcqg-20260718");
    assert_eq!(cat.procedures.iter().filter(|p| p.offered).count(), 274);
    assert_eq!(super::builtin_2025_07().unwrap().procedures.len(), 23);
}
