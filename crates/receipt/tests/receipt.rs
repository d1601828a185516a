//! Mẫu 01 of the 2018 set end to end (the 2025 receipt is in `receipt_2025.rs`): the rendered PDF is read back with poppler and zbar. Every field
//! must come back byte for byte in the official order, the fonts must be embedded and
//! subset, the QR code must decode to the lookup URL, and awkward input must stay inside
//! the margins without overlapping text.

mod common;

use common::samples;
use common::{
    a4_portrait_frames, a5_half_frames, assert_in_order, assert_layout_clean, have, have_all, keep,
    pdffonts, pdfinfo, pdftotext, qr_codes, strips_text, without_page_numbers, word_boxes,
};
use motcua_receipt::{FormSet, Layout, ReceiptData, format_instant_vi, render_receipt};
use unicode_normalization::UnicodeNormalization;

/// The set these tests print.
const OLD: FormSet = FormSet::Tt01_2018;

const COPIES: [&str; 2] = ["(Liên 1: Lưu)", "(Liên 2: Giao người nộp)"];

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Every printed field of one copy, in the order of the official form.
fn expected_copy(d: &ReceiptData, copy: &str) -> Vec<String> {
    let mut e = vec![
        "UBND TỈNH THANH HÓA".to_owned(),
        "ỦY BAN NHÂN DÂN XÃ ĐÔNG SƠN".to_owned(),
        "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ".to_owned(),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".to_owned(),
        "Độc lập - Tự do - Hạnh phúc".to_owned(),
        "Đông Sơn, ngày 05 tháng 3 năm 2026".to_owned(),
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ".to_owned(),
        format!("Mã hồ sơ: {}", d.code),
        format!("Mã tra cứu: {}", d.lookup_secret),
        copy.to_owned(),
        format!("Bộ phận tiếp nhận và trả kết quả {}", d.header.name),
        format!("Tiếp nhận hồ sơ của: {}", nfc(&d.applicant_name)),
    ];
    if let Some(id) = &d.id_number {
        e.push(format!("Số CCCD/định danh cá nhân: {id}"));
    }
    if let Some(owner) = &d.owner_name {
        e.push(format!("Chủ hồ sơ: {}", nfc(owner)));
    }
    e.push(format!("Địa chỉ: {}", nfc(&d.address)));
    e.push(format!("Số điện thoại: {}", d.phone));
    e.push(format!("Email: {}", d.email));
    e.push(format!(
        "Nội dung yêu cầu giải quyết: {}",
        nfc(&d.procedure_name)
    ));
    e.push("1. Thành phần hồ sơ nộp gồm:".to_owned());
    for (i, doc) in d.documents.iter().enumerate() {
        e.push(format!(
            "1.{}. {} ({}: {:02})",
            i + 1,
            doc.name,
            doc.kind,
            doc.count
        ));
    }
    e.push(format!("2. Số lượng hồ sơ: {:02} (bộ)", d.sets));
    e.push(format!(
        "3. Thời gian giải quyết hồ sơ theo quy định là: {}",
        d.statutory_time
    ));
    e.push(format!(
        "4. Thời gian nhận hồ sơ: {}",
        format_instant_vi(d.received_at)
    ));
    e.push(format!(
        "5. Thời gian trả kết quả giải quyết hồ sơ: {}",
        format_instant_vi(d.due_at.expect("sample has a due date"))
    ));
    e.push(format!(
        "6. Đăng ký nhận kết quả tại: {}",
        d.result_delivery
    ));
    e.push(format!(
        "Vào Sổ theo dõi hồ sơ, Quyển số: {}",
        d.ledger_book
    ));
    e.push(format!("Số thứ tự: {}", d.ledger_entry));
    e.push("NGƯỜI NỘP HỒ SƠ".to_owned());
    e.push("(Ký và ghi rõ họ tên)".to_owned());
    e.push("NGƯỜI TIẾP NHẬN HỒ SƠ".to_owned());
    e.push("(Ký và ghi rõ họ tên)".to_owned());
    e.push(nfc(&d.applicant_name));
    e.push(d.clerk_name.clone());
    e
}

fn expected_both(d: &ReceiptData) -> Vec<String> {
    COPIES.iter().flat_map(|c| expected_copy(d, c)).collect()
}

fn check_text(d: &ReceiptData, layout: Layout) {
    let pdf = render_receipt(d, layout, OLD).expect("render");
    let text = match layout {
        Layout::A4x2 => pdftotext(&pdf),
        Layout::A5x2 => strips_text(&pdf, 2),
    };
    let text = without_page_numbers(&text);
    let expected = expected_both(d);
    let refs: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_in_order(&text, &refs);
    // NFD input must come back composed: no combining marks anywhere.
    assert!(
        !text.chars().any(|c| ('\u{0300}'..='\u{036F}').contains(&c)),
        "decomposed marks in the output"
    );
}

#[test]
fn every_field_round_trips_in_order_a4() {
    if have("pdftotext") {
        check_text(&samples::receipt(), Layout::A4x2);
    }
}

#[test]
fn every_field_round_trips_in_order_a5() {
    if have("pdftotext") {
        check_text(&samples::receipt(), Layout::A5x2);
    }
}

#[test]
fn awkward_input_round_trips_composed() {
    if have("pdftotext") {
        let d = samples::awkward_receipt();
        check_text(&d, Layout::A4x2);
        check_text(&d, Layout::A5x2);
        let text = pdftotext(&render_receipt(&d, Layout::A4x2, OLD).expect("render"));
        let text = common::fold_ws(&text);
        assert!(text.contains(samples::ALL_TONES), "every tone, lower case");
        assert!(
            text.contains(&samples::ALL_TONES.to_uppercase()),
            "every tone, capitals"
        );
    }
}

#[test]
fn pages_and_paper_sizes() {
    if !have("pdfinfo") {
        return;
    }
    let a4 = render_receipt(&samples::receipt(), Layout::A4x2, OLD).expect("render");
    let (pages, w, h) = pdfinfo(&a4);
    assert_eq!(pages, 2, "one A4 page per copy");
    assert!(
        (w - 595.28).abs() < 0.1 && (h - 841.89).abs() < 0.1,
        "A4 portrait: {w} x {h}"
    );

    let a5 = render_receipt(&samples::receipt(), Layout::A5x2, OLD).expect("render");
    let (pages, w, h) = pdfinfo(&a5);
    assert_eq!(pages, 1, "both A5 copies on one sheet");
    assert!(
        (w - 841.89).abs() < 0.1 && (h - 595.28).abs() < 0.1,
        "A4 landscape: {w} x {h}"
    );

    let long = render_receipt(&samples::awkward_receipt(), Layout::A4x2, OLD).expect("render");
    assert_eq!(pdfinfo(&long).0, 4, "40 documents take two pages per copy");
}

#[test]
fn fonts_are_embedded_and_subset() {
    if !have("pdffonts") {
        return;
    }
    let out = pdffonts(&render_receipt(&samples::receipt(), Layout::A4x2, OLD).expect("render"));
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert_eq!(rows.len(), 3, "regular, bold and italic:\n{out}");
    for face in [
        "LiberationSerif ",
        "LiberationSerif-Bold ",
        "LiberationSerif-Italic ",
    ] {
        let row = rows
            .iter()
            .find(|r| r.contains(&format!("+{face}")))
            .unwrap_or_else(|| panic!("no subset of {face}:\n{out}"));
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name, type (3 words), encoding, emb, sub, uni, object, generation
        assert_eq!(&cols[1..4], ["CID", "TrueType", "Identity-H"], "{row}");
        assert_eq!(
            &cols[4..7],
            ["yes", "yes", "yes"],
            "embedded, subset, ToUnicode: {row}"
        );
    }
}

#[test]
fn qr_decodes_to_the_lookup_url() {
    if !have_all(&["pdftoppm", "zbarimg"]) {
        return;
    }
    let d = samples::receipt();
    let a4 = render_receipt(&d, Layout::A4x2, OLD).expect("render");
    for page in [1, 2] {
        assert_eq!(
            qr_codes(&a4, page),
            std::slice::from_ref(&d.lookup_url),
            "A4 page {page}"
        );
    }
    let a5 = render_receipt(&d, Layout::A5x2, OLD).expect("render");
    assert_eq!(
        qr_codes(&a5, 1),
        [d.lookup_url.clone(), d.lookup_url.clone()],
        "A5 halves"
    );
}

#[test]
fn no_url_means_no_qr_but_the_codes_stay() {
    if !have_all(&["pdftotext", "pdftoppm", "zbarimg"]) {
        return;
    }
    let mut d = samples::receipt();
    d.lookup_url.clear();
    let pdf = render_receipt(&d, Layout::A4x2, OLD).expect("render");
    assert!(qr_codes(&pdf, 1).is_empty());
    assert_in_order(
        &pdftotext(&pdf),
        &[&format!("Mã tra cứu: {}", d.lookup_secret)],
    );
}

#[test]
fn awkward_input_stays_inside_the_margins_a4() {
    if !have("pdftotext") {
        return;
    }
    let pdf = render_receipt(&samples::awkward_receipt(), Layout::A4x2, OLD).expect("render");
    keep("awkward-a4", &pdf);
    let pages = word_boxes(&pdf);
    assert_eq!(pages.len(), 4);
    let numbers = assert_layout_clean(&pages, a4_portrait_frames);
    // Each copy numbers its own pages; page 1 of a copy carries no number.
    assert_eq!(numbers, [(1, "2".to_owned()), (3, "2".to_owned())]);
}

#[test]
fn awkward_input_stays_inside_the_margins_a5() {
    if !have("pdftotext") {
        return;
    }
    let pdf = render_receipt(&samples::awkward_receipt(), Layout::A5x2, OLD).expect("render");
    keep("awkward-a5", &pdf);
    let pages = word_boxes(&pdf);
    let numbers = assert_layout_clean(&pages, a5_half_frames);
    assert!(
        !numbers.is_empty(),
        "a long copy continues on numbered halves"
    );
}

#[test]
fn normal_receipts_stay_inside_the_margins() {
    if !have("pdftotext") {
        return;
    }
    let d = samples::receipt();
    let a4 = render_receipt(&d, Layout::A4x2, OLD).expect("render");
    keep("receipt-a4", &a4);
    assert!(assert_layout_clean(&word_boxes(&a4), a4_portrait_frames).is_empty());
    let a5 = render_receipt(&d, Layout::A5x2, OLD).expect("render");
    keep("receipt-a5", &a5);
    assert!(assert_layout_clean(&word_boxes(&a5), a5_half_frames).is_empty());
}

#[test]
fn signature_names_sit_under_their_titles() {
    if !have("pdftotext") {
        return;
    }
    let pdf = render_receipt(&samples::receipt(), Layout::A4x2, OLD).expect("render");
    let page = &word_boxes(&pdf)[0];
    let find = |text: &str| {
        page.words
            .iter()
            .filter(|w| w.text == text)
            .map(|w| ((w.x0 + w.x1) / 2.0, w.y0))
            .collect::<Vec<_>>()
    };
    // "NỘP" only occurs in the left title; "Hằng" ends the applicant's name (body and
    // signature); "Bình" ends the clerk's name.
    let (nop_x, nop_y) = find("NỘP")[0];
    let (tiep_x, tiep_y) = *find("NGƯỜI").last().expect("right title");
    let hang = *find("Hằng").last().expect("applicant under signature");
    let binh = find("Bình")[0];
    assert!(
        hang.1 > nop_y + 40.0 && binh.1 > tiep_y + 40.0,
        "names below the signature space"
    );
    assert!(
        hang.0 < tiep_x && binh.0 > nop_x,
        "names in their own columns"
    );
}

#[test]
fn output_is_deterministic_and_small() {
    let d = samples::receipt();
    let a = render_receipt(&d, Layout::A4x2, OLD).expect("render");
    let b = render_receipt(&d, Layout::A4x2, OLD).expect("render");
    assert!(a == b, "same input, same bytes");
    println!("Mẫu 01 A4x2: {} bytes", a.len());
    assert!(a.len() <= 60 * 1024, "receipt is {} bytes", a.len());
    assert!(a.starts_with(b"%PDF-"));
}
