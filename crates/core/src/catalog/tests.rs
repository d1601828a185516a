//! The catalogue model, its fallback order, and real national records read into it.

use super::*;
use crate::calendar::Term;

const OLD: &str = include_str!("../../../../assets/catalog/commune-procedures.json");
const VINH_BAO: &str = include_str!("../../../../assets/catalog/national/vinh-bao-hai-phong.json");

fn fixture(code: &str) -> String {
    let path = format!(
        "{}/../../tests/fixtures/catalog/national/{code}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn national(code: &str) -> Catalog {
    parse_file(&fixture(code), &ImportOptions::default()).unwrap()
}

fn term(t: &str) -> Option<Term> {
    Some(t.parse().unwrap())
}

/// The one term an answer gives: (term, where from, unconfirmed).
fn one(a: &Applicable) -> (Option<Term>, Level, bool) {
    let o = a
        .term
        .single()
        .unwrap_or_else(|| panic!("one term expected, got {:?}", a.term));
    (o.term, o.from, o.unconfirmed)
}

/// The terms an answer offers to choose among, in order.
fn choices(a: &Applicable) -> Vec<Option<Term>> {
    match &a.term {
        TermAnswer::Choose { options } => options.iter().map(|o| o.term).collect(),
        other => panic!("a choice expected, got {other:?}"),
    }
}

#[test]
fn todays_catalogue_loads_and_writes_back_unchanged() {
    let cat = Catalog::from_json(OLD).unwrap();
    assert_eq!(cat.procedures.len(), 23);
    assert!(
        cat.procedures
            .iter()
            .all(|p| p.offered && p.cases.is_empty())
    );
    // Stored bodies are compared as written: nothing new may appear in an old catalogue.
    let again: serde_json::Value = serde_json::to_value(&cat).unwrap();
    let file: serde_json::Value = serde_json::from_str(OLD).unwrap();
    assert_eq!(again, file);
    // And the same through the any-format reader.
    assert_eq!(parse_file(OLD, &ImportOptions::default()).unwrap(), cat);
}

#[test]
fn a_procedure_with_cases_of_different_terms_needs_a_case() {
    let cat = national("2.000635");
    let p = cat.get("2.000635").unwrap();
    let codes: Vec<(&str, Option<Term>)> =
        p.cases.iter().map(|c| (c.code.as_str(), c.term)).collect();
    assert_eq!(
        codes,
        [
            ("2.000635.01", term("15wd")),
            ("2.000635.02", term("1d")),
            ("2.000635.03", term("1wd")),
            ("2.000635.04", term("1wd"))
        ]
    );
    assert!(p.case_required());
    assert_eq!(p.term, None);
    assert!(p.term_unconfirmed);
    assert!(
        p.term_note.as_deref().unwrap().contains("chọn trường hợp"),
        "{:?}",
        p.term_note
    );
    // Channels give no number (OTHER 0): the case's term applies, the channel's fee.
    let a = p.applicable(p.case("2.000635.01"), SubmissionMethod::Direct);
    assert_eq!(one(&a), (term("15wd"), Level::Case, false));
    assert_eq!(a.fee, "Lệ phí: 8.000 đồng");
    assert_eq!(a.fee_from, Some(Level::Channel));
    let a = p.applicable(p.case("02"), SubmissionMethod::Postal);
    assert_eq!(one(&a).0, term("1d"));
    // With no case there is no term, and the procedure says why.
    let a = p.applicable(None, SubmissionMethod::Direct);
    assert!(matches!(a.term, TermAnswer::Missing { .. }), "{:?}", a.term);
    assert!(p.case("2.000815.01").is_none() && p.case("09").is_none());
}

#[test]
fn per_channel_variants_with_different_terms_are_not_taken_without_the_case() {
    let cat = national("1.009122");
    let p = cat.get("1.009122").unwrap();
    assert_eq!(p.channels.len(), 6);
    assert!(
        p.channels.iter().all(|c| c.variant.is_some()),
        "three channels, two variants each"
    );
    assert_eq!(p.cases.len(), 3);
    // Without a case the two published variants of the channel are offered, with their
    // text.
    let a = p.applicable(None, SubmissionMethod::Direct);
    assert_eq!(choices(&a), [term("15d"), term("10d")]);
    let texts: Vec<&str> = a.term.options().iter().map(|o| o.text.as_str()).collect();
    assert!(
        texts[1].starts_with("Trực tiếp (") && texts[1].ends_with("): 10 ngày"),
        "{texts:?}"
    );
    assert!(
        a.fee.contains("Lệ phí: 100.000 đồng") && a.fee.contains("Lệ phí: 50.000 đồng"),
        "{}",
        a.fee
    );
    // The case's term is one of the channel's variants: the case selects it.
    let a = p.applicable(p.case("1.009122.12"), SubmissionMethod::Direct);
    assert_eq!((one(&a).0, one(&a).1), (term("10d"), Level::Case));
    let a = p.applicable(p.case("1.009122.10"), SubmissionMethod::Online);
    assert_eq!(one(&a).0, term("15d"));
    assert_eq!(p.handled_by, Some(HandledBy::Commune));
    assert!(p.offered);
}

#[test]
fn residence_is_kept_but_not_offered_and_fees_follow_the_channel() {
    let cat = national("1.004222");
    let p = &cat.procedures[0];
    assert!(!p.offered);
    assert_eq!(p.handled_by, Some(HandledBy::CommunePolice));
    assert_eq!(p.term, term("7wd"));
    let case = p.default_case().unwrap();
    assert_eq!(case.code, "1.004222.01");
    let direct = p.applicable(Some(case), SubmissionMethod::Direct);
    let online = p.applicable(Some(case), SubmissionMethod::Online);
    assert_eq!(one(&direct).0, term("7wd"));
    assert!(
        direct.fee.starts_with("Lệ phí: 20.000 đồng — "),
        "{}",
        direct.fee
    );
    assert!(
        online.fee.starts_with("Lệ phí: 10.000 đồng — "),
        "{}",
        online.fee
    );
    // No postal channel: not offered by post; the fee falls back to the procedure's,
    // which lists both.
    assert!(!p.offers(SubmissionMethod::Postal) && p.offers(SubmissionMethod::Direct));
    let postal = p.applicable(Some(case), SubmissionMethod::Postal);
    assert_eq!(postal.fee_from, Some(Level::Procedure));
    assert!(
        postal.fee.starts_with("Trực tiếp: Lệ phí: 20.000 đồng"),
        "{}",
        postal.fee
    );
    assert!(postal.fee.contains("Trực tuyến: Lệ phí: 10.000 đồng"));
    let offered = parse_file(
        &fixture("1.004222"),
        &ImportOptions {
            offer_hidden: true,
            ..ImportOptions::default()
        },
    )
    .unwrap();
    assert!(offered.procedures[0].offered);
}

#[test]
fn birth_registration_reads_its_cases_documents_and_legal_basis() {
    let cat = national("1.001193");
    let p = &cat.procedures[0];
    assert_eq!(p.name, "Thủ tục đăng ký khai sinh");
    assert_eq!(p.field, "Hộ tịch");
    assert_eq!(p.cases.len(), 2);
    assert!(!p.case_required(), "both cases 1 working day");
    assert_eq!((p.term, p.term_unconfirmed), (term("1wd"), false));
    // The channels say OTHER: no term there, marked, and passed over.
    assert!(
        p.channels
            .iter()
            .all(|c| c.term.is_none() && c.term_unconfirmed)
    );
    // Both cases say 1 working day: that is the procedure's term without a case.
    let a = p.applicable(None, SubmissionMethod::Direct);
    assert_eq!(one(&a), (term("1wd"), Level::Case, false));
    assert_eq!(a.fee, "Phí: 0 đồng");
    assert_eq!(p.legal_basis.len(), 15);
    assert!(p.legal_basis.iter().any(|l| l.code == "123/2015/NĐ-CP"));
    assert!(!p.documents.is_empty());
    for d in &p.documents {
        assert!(
            !d.name.starts_with('-') && !d.name.ends_with('…'),
            "{}",
            d.name
        );
        assert!(
            crate::validation::check_visible(&d.name, Field::Document).is_ok(),
            "{}",
            d.name
        );
    }
    assert!(
        p.documents
            .iter()
            .any(|d| d.name.starts_with("Tờ khai đăng ký khai sinh theo mẫu"))
    );
    assert!(p.source.as_deref().unwrap().contains("163/QĐ-BTP"));
    assert_eq!(cat.effective_from.to_string(), "2026-04-15");
}

#[test]
fn one_channel_with_two_fees_lists_both_with_their_variant() {
    let cat = national("2.000815");
    let p = &cat.procedures[0];
    assert_eq!(p.term, term("1wd"));
    let a = p.applicable(p.default_case(), SubmissionMethod::Direct);
    assert_eq!(one(&a).0, term("1wd"));
    assert!(
        a.fee
            .contains("Lệ phí: 2.000 đồng/trang (Tại Ủy ban nhân dân cấp xã"),
        "{}",
        a.fee
    );
    assert!(
        a.fee
            .contains("Lệ phí: 10 USD/bản (Tại cơ quan đại diện: 10 USD/bản.)"),
        "{}",
        a.fee
    );
}

#[test]
fn the_fallback_order_is_case_channel_case_channel_procedure() {
    let ch = |method, t: &str, fee: &str| ChannelTerms {
        method,
        term: term(t),
        term_unconfirmed: false,
        term_note: None,
        term_none: false,
        fee: fee.into(),
        fee_unconfirmed: false,
        variant: None,
    };
    let mut p = Catalog::from_json(OLD).unwrap().procedures.remove(0);
    p.term = term("5wd");
    p.fee = "Mặc định".into();
    p.channels = vec![ch(SubmissionMethod::Postal, "7wd", "Bưu chính")];
    p.cases = vec![ProcedureCase {
        code: format!("{}.01", p.code),
        name: "Trường hợp 1".into(),
        term: term("3wd"),
        term_unconfirmed: true,
        term_note: None,
        term_none: false,
        fee: String::new(),
        fee_unconfirmed: false,
        channels: vec![ch(SubmissionMethod::Direct, "2wd", "")],
    }];
    let case = p.cases.first();
    let a = p.applicable(case, SubmissionMethod::Direct);
    assert_eq!(one(&a), (term("2wd"), Level::CaseChannel, false));
    assert_eq!(
        (a.fee.as_str(), a.fee_from),
        ("Mặc định", Some(Level::Procedure))
    );
    // One case, one channel entry: neither side distinguishes anything, the two
    // procedure-wide statements disagree (7 vs 3): the clerk chooses.
    let a = p.applicable(case, SubmissionMethod::Postal);
    assert_eq!(choices(&a), [term("7wd"), term("3wd")]);
    assert_eq!(
        (a.fee.as_str(), a.fee_from),
        ("Bưu chính", Some(Level::Channel))
    );
    let a = p.applicable(None, SubmissionMethod::Postal);
    assert_eq!(choices(&a), [term("7wd"), term("3wd")]);
    // A channel with no entry: the case's statement (no channel statement to weigh).
    let a = p.applicable(None, SubmissionMethod::Online);
    assert_eq!(one(&a), (term("3wd"), Level::Case, true));
    // With no case at all, motcua's own default comes last.
    p.cases.clear();
    let a = p.applicable(None, SubmissionMethod::Direct);
    assert_eq!(one(&a), (term("5wd"), Level::Procedure, false));
    p.cases = vec![ProcedureCase {
        code: format!("{}.01", p.code),
        name: "Trường hợp 1".into(),
        term: term("3wd"),
        term_unconfirmed: true,
        term_note: None,
        term_none: false,
        fee: String::new(),
        fee_unconfirmed: false,
        channels: vec![ch(SubmissionMethod::Direct, "2wd", "")],
    }];
    let cat = Catalog {
        version: "x".into(),
        effective_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        source: "test".into(),
        procedures: vec![p.clone()],
    };
    cat.check().unwrap();
    // An empty term must be marked; a case code must be usable; a case may not be listed
    // twice word for word.
    let mut bad = cat.clone();
    bad.procedures[0].term = None;
    assert!(
        bad.check()
            .unwrap_err()
            .reason
            .contains("không đánh dấu chưa xác nhận")
    );
    let mut bad = cat.clone();
    bad.procedures[0].cases[0].code = "2.000635 01".into();
    assert!(bad.check().unwrap_err().reason.contains("không hợp lệ"));
    let mut bad = cat.clone();
    let twice = bad.procedures[0].cases[0].clone();
    bad.procedures[0].cases.push(twice);
    assert!(bad.check().unwrap_err().reason.contains("lặp lại y hệt"));
    // A term written as no term is refused when the file is read, naming where it is,
    // by the whole-file reader and record by record alike.
    let mut file = serde_json::to_value(&cat).unwrap();
    file["procedures"][0]["cases"][0]["channels"][0]["term"] = "3 ngày".into();
    let text = file.to_string();
    let e = Catalog::from_json(&text).unwrap_err();
    assert_eq!(e.field, Field::Procedure);
    let case = format!("trường hợp {}.01, kênh Trực tiếp", p.code);
    assert!(
        e.reason.starts_with(&format!(
            "thời hạn «3 ngày» của {case} không hợp lệ (cần dạng 3wd"
        )),
        "{e}"
    );
    let e = parse_file(&text, &ImportOptions::default()).unwrap_err();
    assert!(
        e.reason.starts_with(&format!(
            "thủ tục số 1 (mã {}): thời hạn «3 ngày» của {case} không hợp lệ",
            p.code
        )),
        "{e}"
    );
    file["procedures"][0]["term"] = "5 ngày làm việc".into();
    let e = Catalog::from_json(&file.to_string()).unwrap_err();
    assert!(
        e.reason.starts_with(&format!(
            "thời hạn «5 ngày làm việc» của thủ tục {} không hợp lệ",
            p.code
        )),
        "{e}"
    );
}

#[test]
fn records_alone_get_a_version_derived_from_their_content() {
    let codes = ["1.001193", "2.000815", "2.000635", "1.009122", "1.004222"];
    let pretty = format!(
        "[{}]",
        codes
            .iter()
            .map(|c| fixture(c))
            .collect::<Vec<_>>()
            .join(",")
    );
    let cat = parse_file(&pretty, &ImportOptions::default()).unwrap();
    assert_eq!(cat.procedures.len(), 5);
    assert!(
        cat.version.starts_with("dvcqg-20260617-"),
        "{}",
        cat.version
    );
    assert_eq!(cat.effective_from.to_string(), "2026-06-17");
    assert!(
        cat.source
            .starts_with("Cổng Dịch vụ công quốc gia (dichvucong.gov.vn): 5 bản ghi")
    );
    // Laid out otherwise (compact, bare records instead of answers): the same version.
    let values: Vec<serde_json::Value> = codes
        .iter()
        .map(|c| serde_json::from_str::<serde_json::Value>(&fixture(c)).unwrap()["data"].clone())
        .collect();
    let compact = serde_json::to_string(&values).unwrap();
    assert_eq!(
        parse_file(&compact, &ImportOptions::default()).unwrap(),
        cat
    );
    // A changed record is another version.
    let changed = compact.replace("\"qty\":15", "\"qty\":14");
    assert_ne!(
        parse_file(&changed, &ImportOptions::default())
            .unwrap()
            .version,
        cat.version
    );
    // Asked for by name.
    let named = parse_file(
        &compact,
        &ImportOptions {
            version: Some("ha-noi-2026.12".into()),
            ..ImportOptions::default()
        },
    )
    .unwrap();
    assert_eq!(named.version, "ha-noi-2026.12");
}

#[test]
fn a_bad_record_is_refused_with_its_number_code_and_field() {
    let good: serde_json::Value = serde_json::from_str(&fixture("2.000635")).unwrap();
    let other: serde_json::Value = serde_json::from_str(&fixture("1.001193")).unwrap();
    let refuse = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut second = good.clone();
        edit(&mut second);
        let text = serde_json::to_string(&serde_json::json!([other, second])).unwrap();
        parse_file(&text, &ImportOptions::default())
            .unwrap_err()
            .to_string()
    };
    let e = refuse(&|v| v["data"]["executionMethods"][1]["processingTimeUnit"] = 3.into());
    assert_eq!(
        e,
        "Thủ tục hành chính: bản ghi số 2 (mã 2.000635), trường «executionMethods[1].processingTimeUnit»: phải là chuỗi"
    );
    let e = refuse(&|v| v["data"]["cases"][0]["code"] = "1.001193 09".into());
    assert!(e.contains("bản ghi số 2 (mã 2.000635), trường «cases[0].code»: mã trường hợp «1.001193 09» không dùng được"), "{e}");
    let e = refuse(&|v| v["data"]["executionMethods"][0]["submissionMethod"] = "FAX".into());
    assert!(
        e.contains("trường «executionMethods[0].submissionMethod»: «FAX» không phải DIRECT"),
        "{e}"
    );
    let e = refuse(&|v| v["data"]["name"] = "  ".into());
    assert!(
        e.contains("bản ghi số 2 (mã 2.000635), trường «name»: thiếu tên thủ tục"),
        "{e}"
    );
    let e = refuse(&|v| v["data"]["code"] = "1.001193".into());
    assert!(
        e.contains("bản ghi số 2 (mã 1.001193), trường «code»: trùng mã với bản ghi số 1"),
        "{e}"
    );
    let e = refuse(&|v| v["code"] = "ERROR".into());
    assert!(
        e.contains("bản ghi số 2: phản hồi của cổng có code «ERROR»"),
        "{e}"
    );
    let e = refuse(&|v| v["data"]["code"] = "2000635".into());
    assert!(
        e.contains("bản ghi số 2: trường «code»: mã thủ tục «2000635»"),
        "{e}"
    );
    let e = refuse(&|v| {
        v["data"]["executionCases"][0]["profileComponents"][1]["copyQty"] = "một".into()
    });
    assert!(
        e.contains("trường «executionCases[0].profileComponents[1].copyQty»: phải là số"),
        "{e}"
    );
    let e = parse_file("{\"hello\": 1}", &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("không nhận ra định dạng tệp"), "{e}");
    let e = parse_file("[]", &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("không có bản ghi thủ tục nào"), "{e}");
    let e = parse_file("{not json", &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("không phải JSON hợp lệ"), "{e}");
}

#[test]
fn the_vinh_bao_list_reads_whole() {
    let cat = parse_file(VINH_BAO, &ImportOptions::default()).unwrap();
    assert_eq!(cat.version, "vinh-bao-2026.09.29+dvcqg-20260718");
    assert_eq!(cat.procedures.len(), 287);
    let offered = cat.procedures.iter().filter(|p| p.offered).count();
    assert_eq!(offered, 274);
    let hidden: Vec<&Procedure> = cat.procedures.iter().filter(|p| !p.offered).collect();
    assert_eq!(hidden.len(), 13);
    assert!(hidden.iter().any(|p| p.code == "1.004222"));
    assert_eq!(
        hidden
            .iter()
            .filter(|p| p.handled_by == Some(HandledBy::CommunePolice))
            .count(),
        11
    );
    assert!(
        cat.source
            .starts_with("Danh mục TTHC niêm yết của xã Vĩnh Bảo, thành phố Hải Phòng")
    );
    // 248 offered procedures have their national detail record (both crawls); the 26
    // codes not in the national catalogue have none.
    let detailed: Vec<&Procedure> = cat
        .procedures
        .iter()
        .filter(|p| p.offered && p.source.as_deref().unwrap().contains("bản ghi chi tiết"))
        .collect();
    assert_eq!(detailed.len(), 248);
    // Every case through every counter channel: how many procedures have one term
    // throughout, and how many ask the clerk somewhere (the figures of
    // assets/catalog/README.md, from `cargo run -p motcua-core --example
    // catalog_coverage`).
    let mut one = 0;
    let mut choose = 0;
    let mut missing = 0;
    for p in cat.procedures.iter().filter(|p| p.offered) {
        let cases: Vec<Option<&ProcedureCase>> = if p.cases.is_empty() {
            vec![None]
        } else {
            p.cases.iter().map(Some).collect()
        };
        let answers: Vec<TermAnswer> = cases
            .iter()
            .flat_map(|c| {
                [SubmissionMethod::Direct, SubmissionMethod::Postal]
                    .into_iter()
                    .filter(|m| p.offers(*m))
                    .map(|m| p.applicable(*c, m).term)
            })
            .collect();
        if answers
            .iter()
            .any(|a| matches!(a, TermAnswer::Missing { .. }))
            || answers.is_empty()
        {
            missing += 1;
        } else if answers
            .iter()
            .any(|a| matches!(a, TermAnswer::Choose { .. }))
        {
            choose += 1;
        } else {
            one += 1;
        }
    }
    assert_eq!((one, choose, missing), (203, 36, 35));
    for p in &cat.procedures {
        if p.term.is_none() && !p.term_none {
            assert!(p.term_unconfirmed && p.term_note.is_some(), "{}", p.code);
        }
        for d in &p.documents {
            assert!(
                crate::validation::bounded(
                    &d.name,
                    Field::Document,
                    1,
                    crate::dossier::DOCUMENT_NAME_MAX
                )
                .is_ok(),
                "{}: {}",
                p.code,
                d.name
            );
        }
    }
    // Half working days become working hours; a single case that disagrees with every
    // channel is not chosen silently: the clerk picks between the two published terms.
    let p = cat.get("1.115593").unwrap();
    assert_eq!(p.term, term("28wh"));
    let p = cat.get("1.004837").unwrap();
    let case = p.default_case().unwrap();
    let a = p.applicable(Some(case), SubmissionMethod::Direct);
    assert_eq!(choices(&a), [term("3wd"), term("5wd")]);
    assert!(
        p.term.is_none()
            && p.term_note
                .as_deref()
                .unwrap()
                .contains("chọn khi tiếp nhận")
    );
    // A code not in the national catalogue: no term, no fee, both marked.
    let p = cat.get("1.000464").unwrap();
    assert!(p.term.is_none() && p.term_unconfirmed && p.fee_unconfirmed);
    assert!(matches!(
        p.applicable(None, SubmissionMethod::Direct).term,
        TermAnswer::Missing { .. }
    ));
    // 1.000302 was a list item; its full record now gives it a term.
    let p = cat.get("1.000302").unwrap();
    assert!(p.term.is_some(), "{:?}", p.term_note);
    // Offering the hidden ones changes the label.
    let all = parse_file(
        VINH_BAO,
        &ImportOptions {
            offer_hidden: true,
            ..ImportOptions::default()
        },
    )
    .unwrap();
    assert_eq!(all.version, "vinh-bao-2026.09.29+dvcqg-20260718+offer-all");
    assert!(all.procedures.iter().all(|p| p.offered));
}
