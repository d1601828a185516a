//! Validation of what the clerk typed, and old payloads read back.

use super::*;

#[test]
fn overdue_is_derived() {
    let mut d: Dossier =
        serde_json::from_str(include_str!("../../../../tests/fixtures/dossier.json")).unwrap();
    assert_eq!(
        d.ledger_entry, None,
        "events journaled before numbers were stored"
    );
    let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
    d.due_at = Some(t("2026-04-29T17:00"));
    assert!(!d.is_overdue(t("2026-04-29T17:00")));
    assert!(d.is_overdue(t("2026-05-04T08:00")));
    d.status = Status::Returned;
    assert!(!d.is_overdue(t("2026-05-04T08:00")));
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn input() -> DossierInput {
    DossierInput {
        applicant_name: "  Nguye\u{302}\u{303}n Văn   An ".into(),
        id_number: Some("001 099 012 345".into()),
        phone: Some("+84912345678".into()),
        email: Some("an@Example.vn".into()),
        address: Some("Xã X, Tỉnh Y".into()),
        documents: vec![DocumentInput::new("Tờ khai", DocumentKind::Original, 1)],
        sets: 1,
        ..DossierInput::default()
    }
}

#[test]
fn valid_input_is_normalised() {
    let v = input().validate(today()).unwrap();
    assert_eq!(v.applicant.full_name, "Nguyễn Văn An");
    assert_eq!(v.applicant.id_number.as_deref(), Some("001099012345"));
    assert_eq!(v.applicant.phone.as_deref(), Some("0912345678"));
    assert_eq!(v.applicant.email.as_deref(), Some("an@example.vn"));
    assert_eq!(v.documents[0].kind, DocumentKind::Original);
    assert_eq!(v.result_delivery, ResultDelivery::Counter);
}

#[test]
fn all_errors_reported_in_form_order() {
    let bad = DossierInput {
        applicant_name: "x".repeat(100_000),
        id_number: Some("0010990123A5".into()),
        phone: Some("0112345678".into()),
        email: Some("nope".into()),
        documents: vec![DocumentInput::new("", DocumentKind::Copy, 0)],
        sets: 0,
        post_address: Some("  ".into()),
        ..DossierInput::default()
    };
    let errs = bad.validate(today()).unwrap_err();
    let fields: Vec<Field> = errs.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            Field::FullName,
            Field::IdNumber,
            Field::Phone,
            Field::Email,
            Field::Sets,
            Field::Document,
            Field::ReturnAddress
        ]
    );
}

#[test]
fn sql_metacharacters_are_just_text() {
    let mut i = input();
    i.applicant_name = "Robert'); DROP TABLE dossiers;--".into();
    assert_eq!(
        i.validate(today()).unwrap().applicant.full_name,
        "Robert'); DROP TABLE dossiers;--"
    );
}

#[test]
fn document_args() {
    assert_eq!(
        parse_document_arg("Giấy chứng sinh:bản chính:1").unwrap(),
        DocumentInput::new("Giấy chứng sinh", DocumentKind::Original, 1)
    );
    assert_eq!(
        parse_document_arg("CCCD:ban-sao:2").unwrap(),
        DocumentInput::new("CCCD", DocumentKind::Copy, 2)
    );
    assert_eq!(
        parse_document_arg("Hợp đồng: mua bán:bản sao chứng thực:2").unwrap(),
        DocumentInput::new("Hợp đồng: mua bán", DocumentKind::CertifiedCopy, 2)
    );
    assert!("bản sao chứng thực".parse::<DocumentKind>().is_ok());
    assert!("Ba\u{309}n chi\u{301}nh".parse::<DocumentKind>().is_ok());
}

#[test]
fn document_args_without_the_shape_are_refused() {
    for bad in [
        ":",
        "::",
        "a:b:c",
        "a:b",
        ":bản chính:1",
        ":bản chính",
        "Hợp đồng: mua bán",
        "Tờ khai:",
        // The help says NAME:KIND:COUNT: a bare name or a name and kind is not guessed.
        "Tờ khai",
        "CCCD:ban-sao",
        "Hợp đồng: mua bán:bản sao",
    ] {
        let e = parse_document_arg(bad).unwrap_err();
        assert_eq!(e.field, Field::Document, "{bad}");
        assert!(
            e.reason.contains("không đúng dạng TÊN:LOẠI:SỐ BẢN"),
            "{bad}: {e}"
        );
    }
    let e = parse_document_arg("Giấy chứng sinh:bản chính:1e3").unwrap_err();
    assert_eq!(e.field, Field::DocumentCount);
    assert!(e.to_string().contains("số bản «1e3»"), "{e}");
    for bad in [
        "X:bản chính:1.5",
        "X:bản chính: ",
        "X:bản sao:0x10",
        "X:bản sao:١",
    ] {
        assert!(parse_document_arg(bad).is_err(), "{bad}");
    }
    let e = parse_document_arg("Tờ khai:giấy lộn:1").unwrap_err();
    assert!(e.reason.contains("loại giấy tờ «giấy lộn»"), "{e}");
    // A count too long for any integer is parsed as out of range, and the form says so.
    let huge = parse_document_arg("Tờ khai:bản chính:12345678901234567890").unwrap();
    assert_eq!(huge.copies, i64::MAX);
    let mut i = input();
    i.documents = vec![huge];
    let errs = i.validate(today()).unwrap_err();
    assert_eq!(errs[0].field, Field::DocumentCount);
    assert_eq!(errs[0].to_string(), "Số lượng giấy tờ: phải từ 1 đến 999");
    // Names are checked like every text field.
    let mut i = input();
    i.documents = vec![parse_document_arg("Tờ\u{202E}khai:bản chính:1").unwrap()];
    let errs = i.validate(today()).unwrap_err();
    assert!(
        errs[0]
            .to_string()
            .starts_with("Thành phần hồ sơ: chứa ký tự đổi chiều")
    );
}

#[test]
fn names_addresses_and_notes_refuse_bidi_and_invisible_characters() {
    let mut i = input();
    i.applicant_name = "Nguyễn\u{202E}Văn An".into();
    i.address = Some("Thôn\u{200B} 3".into());
    i.owner_name = Some("Lê\u{2066}Văn".into());
    i.note = Some("ghi\u{0}chú".into());
    let errs = i.validate(today()).unwrap_err();
    let fields: Vec<Field> = errs.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            Field::FullName,
            Field::Address,
            Field::OwnerName,
            Field::Note
        ]
    );
    assert!(
        errs[0]
            .to_string()
            .starts_with("Họ và tên: chứa ký tự đổi chiều văn bản U+202E")
    );
}

#[test]
fn post_delivery_needs_address() {
    let mut i = input();
    i.post_address = Some("Thôn 3, xã Y".into());
    i.channel = Channel::Postal;
    let v = i.validate(today()).unwrap();
    assert_eq!(
        v.result_delivery,
        ResultDelivery::Post {
            address: "Thôn 3, xã Y".into()
        }
    );
}

#[test]
fn an_old_payload_reads_as_a_person_without_proxy_and_serialises_back_the_same() {
    let text = include_str!("../../../../tests/fixtures/dossier.json");
    let d: Dossier = serde_json::from_str(text).unwrap();
    assert_eq!(d.applicant.kind, PartyKind::Person);
    assert!(d.proxy.is_none() && d.procedure.case.is_none());
    let again: serde_json::Value = serde_json::to_value(&d).unwrap();
    assert!(again.get("proxy").is_none());
    assert!(again["procedure"].get("case").is_none());
    assert!(again["applicant"].get("kind").is_none());
    assert!(again["applicant"].get("representative").is_none());
}

#[test]
fn an_organisation_gives_its_code_and_representative() {
    let mut i = input();
    i.applicant_kind = PartyKind::Organisation;
    i.applicant_name = "Công ty TNHH Tân Lập".into();
    i.id_number = Some("0102 345 678 001".into());
    i.representative = Some("Lê Văn Bình".into());
    let v = i.validate(today()).unwrap();
    assert_eq!(v.applicant.kind, PartyKind::Organisation);
    assert_eq!(v.applicant.id_number.as_deref(), Some("0102345678-001"));
    assert_eq!(v.applicant.representative.as_deref(), Some("Lê Văn Bình"));
    // A personal ID number is not an organisation's code.
    i.id_number = Some("001099012345".into());
    let e = i.validate(today()).unwrap_err();
    assert_eq!(e[0].field, Field::IdNumber);
    assert!(e[0].to_string().contains("10 chữ số"), "{}", e[0]);
    // Nor does a person have a representative.
    let mut p = input();
    p.representative = Some("Ai đó".into());
    assert_eq!(
        p.validate(today()).unwrap_err()[0].field,
        Field::Representative
    );
}

#[test]
fn a_proxy_needs_a_name_and_an_authorisation_and_is_another_person() {
    let mut i = input();
    i.proxy_name = Some("Trần Thị Mai".into());
    i.proxy_id_number = Some("038190012345".into());
    i.proxy_phone = Some("0987 654 321".into());
    i.proxy_authorisation = Some("Giấy ủy quyền số 12/UQ ngày 01/11/2026".into());
    let v = i.validate(today()).unwrap();
    let p = v.proxy.unwrap();
    assert_eq!(p.full_name, "Trần Thị Mai");
    assert_eq!(p.phone.as_deref(), Some("0987654321"));

    let mut no_doc = input();
    no_doc.proxy_name = Some("Trần Thị Mai".into());
    let e = no_doc.validate(today()).unwrap_err();
    assert_eq!(e[0].field, Field::ProxyAuthorisation);

    let mut no_name = input();
    no_name.proxy_phone = Some("0987654321".into());
    no_name.proxy_authorisation = Some("Giấy ủy quyền".into());
    assert_eq!(
        no_name.validate(today()).unwrap_err()[0].field,
        Field::ProxyName
    );

    let mut bad_id = i.clone();
    bad_id.proxy_id_number = Some("12345".into());
    assert_eq!(
        bad_id.validate(today()).unwrap_err()[0].field,
        Field::ProxyIdNumber
    );

    let mut same = i.clone();
    same.proxy_id_number = same.id_number.clone();
    let e = same.validate(today()).unwrap_err();
    assert_eq!(e[0].field, Field::ProxyIdNumber);
    assert!(e[0].to_string().contains("người khác"), "{}", e[0]);

    // Nothing typed for the proxy: none.
    let mut blank = input();
    blank.proxy_name = Some("   ".into());
    assert!(blank.validate(today()).unwrap().proxy.is_none());
}

/// A dossier as version 5 journaled it (from `tests/fixtures/counter-v5`), when the term
/// was a string, and one received on an appointment (no statutory term: written empty),
/// as the journal writes every dossier.
const JOURNALED: [&str; 2] = [
    r#"{"id":"01a249f5-a6ea-74c6-a863-d70daefb7f93","code":"000.17.22.H56-261203-0002","lookup_secret":"RJ6W7P","applicant":{"full_name":"Phạm Thị Thu","id_number":"038185000001","phone":null,"email":null,"address":null},"owner":null,"procedure":{"code":"2.000635","name":"Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh","catalog_version":"vinh-bao-2026.09.29","term":"15wd","case":{"code":"2.000635.01","name":"Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh"}},"documents":[{"name":"Tờ khai","kind":"original","count":1}],"sets":1,"channel":"direct","result_delivery":{"kind":"counter"},"fee":null,"received_at":"2026-12-03T10:00:00","due_at":"2026-12-24T10:00:00","clerk":"lan","status":"received","note":null,"ledger_entry":2}"#,
    r#"{"id":"01a249f5-a707-726a-9c2e-1c8c6494135f","code":"000.17.22.H56-261204-0003","lookup_secret":"KZUJRW","applicant":{"full_name":"Lê Văn Bình","id_number":null,"phone":null,"email":null,"address":null},"owner":null,"procedure":{"code":"1.000001","name":"Thủ tục không quy định thời hạn","catalog_version":"vinh-bao-2026.09.29","term":"","term_source":{"kind":"appointment"}},"documents":[{"name":"Đơn đề nghị","kind":"certified_copy","count":2}],"sets":1,"channel":"direct","result_delivery":{"kind":"counter"},"fee":null,"received_at":"2026-12-04T14:00:00","due_at":"2026-12-20T10:00:00","clerk":"lan","status":"received","note":null,"ledger_entry":5}"#,
];

#[test]
fn a_dossier_journaled_with_a_string_term_reads_the_same_and_writes_back_byte_for_byte() {
    use crate::calendar::Term;
    let [with_term, without] = JOURNALED.map(|text| {
        let d: Dossier = serde_json::from_str(text).unwrap();
        // The journal's hash covers these bytes: writing the dossier again gives them.
        assert_eq!(serde_json::to_string(&d).unwrap(), text);
        d
    });
    assert_eq!(
        with_term.procedure,
        ProcedureRef {
            code: "2.000635".into(),
            name: "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh".into(),
            catalog_version: "vinh-bao-2026.09.29".into(),
            term: Some(Term::WorkingDays(15)),
            case: Some(CaseRef {
                code: "2.000635.01".into(),
                name: "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh".into(),
            }),
            term_source: None,
            field: None,
        }
    );
    assert_eq!(without.procedure.term, None);
    assert_eq!(without.procedure.term_source, Some(TermSource::Appointment));
    assert_eq!(without.documents[0].kind, DocumentKind::CertifiedCopy);
    // The fixture of the oldest shape reads as it always did.
    let old: Dossier =
        serde_json::from_str(include_str!("../../../../tests/fixtures/dossier.json")).unwrap();
    assert_eq!(old.procedure.term, Some(Term::WorkingDays(3)));
    // A term that is no term is not a dossier.
    let bad = JOURNALED[0].replace(r#""term":"15wd""#, r#""term":"15 ngày""#);
    let e = serde_json::from_str::<Dossier>(&bad)
        .unwrap_err()
        .to_string();
    assert!(e.contains("thời hạn «15 ngày» không hợp lệ"), "{e}");
}
