//! Mẫu 01 of the 2025 set (TT 03/2025/TT-VPCP) end to end: every field read back with
//! poppler in the official order (docs/forms.md §2) for a person, a dossier filed under
//! an authorisation and an organisation's, on A4 and A5; the lookup QR; awkward input
//! inside the margins; both signature names on one line.

mod common;

use common::samples;
use common::{
    a4_portrait_frames, a5_half_frames, assert_in_order, assert_layout_clean, fold_ws, have,
    have_all, keep, page_parts, pdfinfo, pdftotext, qr_codes, strips_text, without_page_numbers,
    word_boxes,
};
use motcua_receipt::{FormSet, Layout, ReceiptData, format_instant_vi, render_receipt};
use unicode_normalization::UnicodeNormalization;

const SET: FormSet = FormSet::Tt03_2025;
const COPIES: [&str; 2] = ["(Liên 1: Lưu)", "(Liên 2: Giao người nộp)"];
const TITLE: &str = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ";
const PROXY_CLAUSE: &str = "(Trường hợp ủy quyền thì cung cấp thêm thông tin của người ủy quyền, bao gồm: họ và tên, địa chỉ, số định danh cá nhân, số điện thoại, email, giấy tờ ủy quyền).";

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// The left header column: ĐƠN VỊ CHỦ QUẢN over the unit, then the number.
fn left_header(d: &ReceiptData) -> Vec<String> {
    let mut e = vec![
        "ỦY BAN NHÂN DÂN XÃ ĐÔNG SƠN".to_owned(),
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ ĐÔNG SƠN".to_owned(),
    ];
    if let Some(n) = &d.number {
        e.push(format!("Số: {n}"));
    }
    e
}

const RIGHT_HEADER: [&str; 3] = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Đông Sơn, ngày 05 tháng 3 năm 2026",
];

/// Who signs as NGƯỜI NỘP HỒ SƠ.
fn submitter(d: &ReceiptData) -> String {
    match (&d.proxy, &d.representative) {
        (Some(p), _) => nfc(&p.name),
        (None, Some(r)) => r.clone(),
        (None, None) => nfc(&d.applicant_name),
    }
}

/// Every printed field of one copy from the title down, in the order of BM.01.
fn expected_body(d: &ReceiptData, copy: &str) -> Vec<String> {
    let mut e = vec![
        TITLE.to_owned(),
        format!("Mã hồ sơ: {}", d.code),
        format!("Mã tra cứu: {}", d.lookup_secret),
        copy.to_owned(),
        d.header.unit.clone(),
        format!(
            "Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: {}",
            nfc(&d.applicant_name)
        ),
        format!(
            "Số định danh cá nhân/tổ chức: {}",
            d.id_number.clone().unwrap_or_default()
        ),
        format!("Địa chỉ: {}", nfc(&d.address)),
        format!("Số điện thoại: {}", d.phone),
        format!("Email: {}", d.email),
    ];
    if let Some(p) = &d.proxy {
        e.push(PROXY_CLAUSE.to_owned());
        e.push(format!("Họ và tên: {}", nfc(&p.name)));
        e.push(format!("Số định danh cá nhân: {}", p.id_number));
        e.push(format!("Địa chỉ: {}", p.address));
        e.push(format!("Số điện thoại: {}", p.phone));
        e.push(format!("Email: {}", p.email));
        e.push(format!("Giấy tờ ủy quyền: {}", p.authorisation));
    }
    e.push(format!(
        "Nội dung yêu cầu giải quyết: {}",
        nfc(&d.procedure_name)
    ));
    e.push("Thành phần hồ sơ nộp gồm:".to_owned());
    for (i, doc) in d.documents.iter().enumerate() {
        e.push(format!(
            "{}. {} ({}: {:02})",
            i + 1,
            doc.name,
            doc.kind,
            doc.count
        ));
    }
    e.push(format!("Số lượng hồ sơ: {:02} (bộ)", d.sets));
    e.push(format!(
        "Thời gian giải quyết hồ sơ theo quy định là: {}",
        d.statutory_time
    ));
    e.push(format!(
        "Thời gian nhận hồ sơ: {}.",
        format_instant_vi(d.received_at)
    ));
    e.push(format!(
        "Thời gian trả kết quả giải quyết hồ sơ {}.",
        format_instant_vi(d.due_at.expect("sample has a due date"))
    ));
    e.push(format!("Đăng ký nhận kết quả tại: {}", d.result_delivery));
    e.push(format!("Vào Sổ theo dõi hồ sơ, Quyển số {}", d.ledger_book));
    e.push(format!("Số thứ tự {}", d.ledger_entry));
    e.extend(
        [
            "NGƯỜI NỘP HỒ SƠ",
            "(Ký và ghi rõ họ tên)",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "(Ký và ghi rõ họ tên)",
            "(Chữ ký số của người tiếp nhận hồ sơ nếu là biểu mẫu điện tử)",
        ]
        .map(str::to_owned),
    );
    e.push(submitter(d));
    e.push(d.clerk_name.clone());
    e
}

/// A4: each copy's page read as header columns and body.
fn check_a4(name: &str, d: &ReceiptData) {
    let pdf = render_receipt(d, Layout::A4x2, SET).expect("render");
    keep(name, &pdf);
    let pages = word_boxes(&pdf);
    assert_eq!(pages.len(), 2, "{name}: one A4 page per copy");
    for (i, copy) in COPIES.iter().enumerate() {
        let (l, r, body) = page_parts(&pdf, &pages, i + 1, "GIẤY");
        let left = left_header(d);
        assert_in_order(&l, &left.iter().map(String::as_str).collect::<Vec<_>>());
        assert_in_order(&r, &RIGHT_HEADER);
        let e = expected_body(d, copy);
        assert_in_order(&body, &e.iter().map(String::as_str).collect::<Vec<_>>());
        // 2018-only lines are gone.
        assert!(
            !body.contains("Chủ hồ sơ") && !body.contains("Số CCCD"),
            "{body}"
        );
    }
    assert!(assert_layout_clean(&pages, a4_portrait_frames).is_empty());
}

#[test]
fn person_every_field_in_order_a4() {
    if have("pdftotext") {
        check_a4("2025-receipt-a4", &samples::receipt());
    }
}

#[test]
fn proxy_every_field_in_order_a4_and_the_proxy_signs() {
    if have("pdftotext") {
        let d = samples::proxy_receipt();
        check_a4("2025-receipt-proxy-a4", &d);
        assert_eq!(submitter(&d), "Nguyễn Thị Hằng");
    }
}

/// Three documents of a real birth registration, printed whole with their published
/// names (271, 180 and 309 characters), filed under an authorisation: still one A4 page
/// per copy, every word of every name in order.
#[test]
fn three_long_real_document_names_keep_one_page_per_copy() {
    if have("pdftotext") {
        let mut d = samples::proxy_receipt();
        d.documents = [
            "Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh. Trường hợp người được ủy quyền là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột của người ủy quyền thì văn bản ủy quyền không phải chứng thực.",
            "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh.",
            "Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử/Giấy chứng nhận căn cước hoặc các giấy tờ khác có dán ảnh và thông tin cá nhân do cơ quan có thẩm quyền cấp, còn giá trị sử dụng (sau đây gọi tắt là giấy tờ tùy thân) để chứng minh về nhân thân khi làm thủ tục trực tiếp tại cơ quan đăng ký hộ tịch.",
        ]
        .into_iter()
        .map(|name| motcua_receipt::DocumentLine {
            name: name.into(),
            kind: "Bản chính".into(),
            count: 1,
        })
        .collect();
        check_a4("2025-receipt-three-long-documents-a4", &d);
    }
}

/// Nothing marked as handed in: the receipt says so and lists nothing.
#[test]
fn no_document_marked_says_none_was_handed_in() {
    if have("pdftotext") {
        let mut d = samples::receipt();
        d.documents.clear();
        let pdf = render_receipt(&d, Layout::A4x2, SET).expect("render");
        keep("2025-receipt-no-documents", &pdf);
        let text = fold_ws(&pdftotext(&pdf));
        assert_eq!(
            text.matches("Thành phần hồ sơ nộp gồm: không có giấy tờ nộp kèm.")
                .count(),
            2,
            "{text}"
        );
    }
}

#[test]
fn organisation_every_field_in_order_a4_and_its_representative_signs() {
    if have("pdftotext") {
        let d = samples::organisation_receipt();
        check_a4("2025-receipt-organisation-a4", &d);
        assert_eq!(submitter(&d), "Phạm Văn Hùng");
        // An organisation with neither proxy nor representative: the line is left blank
        // to be written by hand, the organisation's name is not put under the signature.
        let mut bare = d.clone();
        bare.representative = None;
        let text = pdftotext(&render_receipt(&bare, Layout::A4x2, SET).expect("render"));
        let after = &text[text.find("NGƯỜI NỘP HỒ SƠ").expect("signature")..];
        let signatures = &after[..after.find("ỦY BAN NHÂN DÂN").expect("second copy")];
        assert!(!signatures.contains(&bare.applicant_name), "{signatures}");
    }
}

#[test]
fn a5_halves_every_field_in_order() {
    if !have("pdftotext") {
        return;
    }
    for (name, d) in [
        ("2025-receipt-a5", samples::receipt()),
        ("2025-receipt-proxy-a5", samples::proxy_receipt()),
    ] {
        let pdf = render_receipt(&d, Layout::A5x2, SET).expect("render");
        keep(name, &pdf);
        let text = without_page_numbers(&strips_text(&pdf, 2));
        let e: Vec<String> = COPIES.iter().flat_map(|c| expected_body(&d, c)).collect();
        assert_in_order(&text, &e.iter().map(String::as_str).collect::<Vec<_>>());
        assert_layout_clean(&word_boxes(&pdf), a5_half_frames);
    }
    let one = render_receipt(&samples::receipt(), Layout::A5x2, SET).expect("render");
    assert_eq!(pdfinfo(&one).0, 1, "both A5 copies on one sheet");
}

#[test]
fn number_and_empty_fields_keep_their_labels() {
    if !have("pdftotext") {
        return;
    }
    let mut d = samples::receipt();
    d.number = None;
    d.id_number = None;
    d.email.clear();
    d.due_at = None;
    d.ledger_book.clear();
    d.ledger_entry.clear();
    let text = fold_ws(&pdftotext(
        &render_receipt(&d, Layout::A4x2, SET).expect("render"),
    ));
    assert!(!text.contains("Số:"), "no number line: {text}");
    // The identifier's line is always printed (2025), the ledger line only with a number.
    assert_in_order(
        &text,
        &[
            "Số định danh cá nhân/tổ chức:",
            "Email: Nội dung yêu cầu giải quyết",
            "Thời gian trả kết quả giải quyết hồ sơ Đăng ký nhận kết quả tại:",
        ],
    );
    assert!(!text.contains("Vào Sổ theo dõi hồ sơ"), "{text}");
}

#[test]
fn awkward_input_stays_inside_the_margins() {
    if !have("pdftotext") {
        return;
    }
    let mut d = samples::awkward_receipt();
    d.id_number = Some("0".repeat(60));
    for (layout, frames, name) in [
        (
            Layout::A4x2,
            a4_portrait_frames as fn(&common::Page) -> Vec<common::Frame>,
            "2025-awkward-a4",
        ),
        (Layout::A5x2, a5_half_frames, "2025-awkward-a5"),
    ] {
        let pdf = render_receipt(&d, layout, SET).expect("render");
        keep(name, &pdf);
        let numbers = assert_layout_clean(&word_boxes(&pdf), frames);
        assert!(
            !numbers.is_empty(),
            "a long copy continues on numbered pages"
        );
        let text = fold_ws(&pdftotext(&pdf));
        assert!(
            !text.chars().any(|c| ('\u{0300}'..='\u{036F}').contains(&c)),
            "decomposed marks in the output"
        );
        assert!(text.contains(samples::ALL_TONES), "every tone, lower case");
        assert!(text.contains(&samples::ALL_TONES.to_uppercase()));
        assert!(text.contains(&fold_ws(&samples::long_address())));
    }
}

#[test]
fn qr_decodes_to_the_lookup_url() {
    if !have_all(&["pdftoppm", "zbarimg"]) {
        return;
    }
    let d = samples::proxy_receipt();
    let a4 = render_receipt(&d, Layout::A4x2, SET).expect("render");
    for page in [1, 2] {
        assert_eq!(qr_codes(&a4, page), std::slice::from_ref(&d.lookup_url));
    }
    // A normal receipt has both A5 copies on one sheet; one filed under an authorisation
    // is drawn a point smaller to keep each copy on its half.
    let a5 = render_receipt(&samples::receipt(), Layout::A5x2, SET).expect("render");
    assert_eq!(qr_codes(&a5, 1).len(), 2, "one QR per A5 half");
    let a5 = render_receipt(&d, Layout::A5x2, SET).expect("render");
    assert_eq!(pdfinfo(&a5).0, 1);
    assert_eq!(
        qr_codes(&a5, 1),
        vec![d.lookup_url.clone(), d.lookup_url.clone()]
    );
}

#[test]
fn signature_names_share_a_line_under_their_titles() {
    if !have("pdftotext") {
        return;
    }
    let pdf = render_receipt(&samples::proxy_receipt(), Layout::A4x2, SET).expect("render");
    let page = &word_boxes(&pdf)[0];
    let last = |text: &str| {
        page.words
            .iter()
            .rfind(|w| w.text == text)
            .map(|w| ((w.x0 + w.x1) / 2.0, w.y0))
            .unwrap_or_else(|| panic!("no {text}"))
    };
    let (nop_x, nop_y) = last("NỘP");
    let (tiep_x, _) = last("TIẾP");
    let hang = last("Hằng");
    let binh = last("Bình");
    assert!(hang.1 > nop_y + 40.0, "name below the signature space");
    assert!((hang.1 - binh.1).abs() < 0.5, "both names on one line");
    assert!(hang.0 < tiep_x && binh.0 > nop_x, "each in its column");
}

#[test]
fn output_is_deterministic_and_small() {
    let d = samples::proxy_receipt();
    let a = render_receipt(&d, Layout::A4x2, SET).expect("render");
    assert!(a == render_receipt(&d, Layout::A4x2, SET).expect("render"));
    assert!(a.len() <= 70 * 1024, "receipt is {} bytes", a.len());
}
