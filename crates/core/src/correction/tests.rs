use super::*;
use crate::dossier::{Channel, Party, ProcedureRef, Proxy, ResultDelivery};
use crate::status::Status;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
}

fn dossier() -> Dossier {
    Dossier {
        id: "0193a0b0-0000-7000-8000-000000000001".into(),
        code: "000.17.22.H56-261207-0001".parse().unwrap(),
        lookup_secret: "K7QM".into(),
        applicant: Party {
            full_name: "Nguyễn Văn Anh".into(),
            id_number: Some("038090012345".into()),
            phone: Some("0912345678".into()),
            ..Party::default()
        },
        owner: None,
        proxy: Some(Proxy {
            full_name: "Trần Thị Bình".into(),
            authorisation: "Giấy ủy quyền số 12/2026/UQ".into(),
            ..Proxy::default()
        }),
        procedure: ProcedureRef {
            code: "1.001612".into(),
            name: "Đăng ký khai sinh".into(),
            catalog_version: "v1".into(),
            term: None,
            case: None,
            term_source: None,
            field: None,
        },
        documents: vec![],
        sets: 1,
        channel: Channel::Direct,
        result_delivery: ResultDelivery::Counter,
        fee: None,
        received_at: today().and_hms_opt(9, 0, 0).unwrap(),
        due_at: None,
        clerk: "lan".into(),
        status: Status::Received,
        note: None,
        ledger_entry: Some(1),
    }
}

#[test]
fn a_correction_names_only_what_changes_and_replays_onto_the_old_values() {
    let d = dossier();
    let input = CorrectionInput {
        full_name: Some("  Nguyễn Văn An ".into()),
        // The same number: not a change.
        id_number: Some("038090012345".into()),
        phone: Some(String::new()),
        ..CorrectionInput::default()
    };
    let c = Correction::between(&d, Role::Applicant, &input, "Theo CCCD", today()).unwrap();
    assert_eq!(
        c.changes,
        vec![
            FieldChange {
                field: PersonField::FullName,
                from: Some("Nguyễn Văn Anh".into()),
                to: Some("Nguyễn Văn An".into()),
            },
            FieldChange {
                field: PersonField::Phone,
                from: Some("0912345678".into()),
                to: None,
            },
        ]
    );
    assert_eq!(c.applicant_name(), Some("Nguyễn Văn An"));
    assert_eq!(
        c.lines(),
        [
            "Họ và tên: Nguyễn Văn Anh → Nguyễn Văn An",
            "Số điện thoại: 0912345678 → (trống)"
        ]
    );
    let mut after = d.clone();
    c.apply(&mut after).unwrap();
    assert_eq!(after.applicant.full_name, "Nguyễn Văn An");
    assert_eq!(after.applicant.phone, None);
    assert_eq!(after.applicant.id_number, d.applicant.id_number);
    // Replayed twice, the old values are no longer there.
    let e = c.apply(&mut after).unwrap_err();
    assert!(e.contains("không còn là giá trị trước"), "{e}");
    // The wire form round-trips.
    let json = serde_json::to_string(&c).unwrap();
    assert!(json.contains("\"role\":\"applicant\""), "{json}");
    assert_eq!(serde_json::from_str::<Correction>(&json).unwrap(), c);
}

#[test]
fn bad_values_a_missing_person_no_change_and_no_reason_are_refused_with_their_field() {
    let d = dossier();
    let bad = CorrectionInput {
        full_name: Some(" ".into()),
        id_number: Some("12345".into()),
        email: Some("không-phải-email".into()),
        ..CorrectionInput::default()
    };
    let e = Correction::between(&d, Role::Applicant, &bad, "", today()).unwrap_err();
    let fields: Vec<Field> = e.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [Field::Note, Field::FullName, Field::IdNumber, Field::Email]
    );
    assert!(e[0].reason.contains("lý do đính chính"), "{:?}", e[0]);

    let name = CorrectionInput {
        full_name: Some("Lê Văn Chủ".into()),
        ..CorrectionInput::default()
    };
    let e = Correction::between(&d, Role::Owner, &name, "Theo CCCD", today()).unwrap_err();
    assert_eq!(e[0].field, Field::OwnerName);
    assert!(e[0].reason.contains("không ghi chủ hồ sơ"), "{:?}", e[0]);

    let same = CorrectionInput {
        full_name: Some("Nguyễn Văn Anh".into()),
        ..CorrectionInput::default()
    };
    let e = Correction::between(&d, Role::Applicant, &same, "Theo CCCD", today()).unwrap_err();
    assert!(
        e[0].reason.contains("không có thông tin nào khác"),
        "{:?}",
        e[0]
    );

    // The authorised person's fields are reported as theirs.
    let proxy = CorrectionInput {
        id_number: Some("0380900123".into()),
        ..CorrectionInput::default()
    };
    let e = Correction::between(&d, Role::Proxy, &proxy, "Theo CCCD", today()).unwrap_err();
    assert_eq!(e[0].field, Field::ProxyIdNumber);
    let proxy = CorrectionInput {
        id_number: Some("038185000001".into()),
        ..CorrectionInput::default()
    };
    let c = Correction::between(&d, Role::Proxy, &proxy, "Theo CCCD", today()).unwrap();
    assert_eq!(c.applicant_name(), None);
    let mut after = d.clone();
    c.apply(&mut after).unwrap();
    assert_eq!(
        after.proxy.unwrap().id_number.as_deref(),
        Some("038185000001")
    );
}

#[test]
fn decomposed_input_is_stored_composed() {
    let d = dossier();
    use unicode_normalization::UnicodeNormalization;
    let nfd: String = "Nguyễn Văn Ân".nfd().collect();
    assert_ne!(nfd, "Nguyễn Văn Ân");
    let input = CorrectionInput {
        full_name: Some(nfd),
        ..CorrectionInput::default()
    };
    let c = Correction::between(&d, Role::Applicant, &input, "Theo CCCD", today()).unwrap();
    assert_eq!(c.changes[0].to.as_deref(), Some("Nguyễn Văn Ân"));
}
