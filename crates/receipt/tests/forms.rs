//! Mẫu 02, 03, 04 and the ledger of the 2018 set end to end (the 2025 set is in
//! `forms_2025.rs`): text read back with poppler in the form's
//! order, text inside the margins without overlaps, the ledger's header on every page,
//! its rows whole on one page and its page numbers.

mod common;

use common::ledger::{SPEC_2018, check_ledger, col_edges};
use common::samples;
use common::{
    MM, Word, a4_landscape_frames, a4_portrait_frames, assert_in_order, assert_layout_clean,
    fold_ws, form_parts, have, keep, page_text, pdfinfo, pdftotext, word_boxes,
};
use motcua_receipt::{
    FormSet, RenderError, format_instant_vi, render_apology, render_ledger, render_refusal,
    render_supplement,
};

/// The set these tests print.
const OLD: FormSet = FormSet::Tt01_2018;

/// The left header column of the counter's forms.
const LEFT: [&str; 3] = [
    "UBND TỈNH THANH HÓA",
    "ỦY BAN NHÂN DÂN XÃ ĐÔNG SƠN",
    "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
];

/// Checks a one-page form: left header column, right header column (ending with the
/// date line) and body, each in order; then margins and overlaps.
fn check_one_page_form(name: &str, pdf: &[u8], left: &[&str], date: &str, body: &[String]) {
    keep(name, pdf);
    assert_eq!(pdfinfo(pdf).0, 1, "{name} fits one page");
    let title_word = body[0].split_whitespace().next().expect("a title");
    let (l, r, rest) = form_parts(pdf, title_word);
    assert_in_order(&l, left);
    assert_in_order(
        &r,
        &[
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            date,
        ],
    );
    let refs: Vec<&str> = body.iter().map(String::as_str).collect();
    assert_in_order(&rest, &refs);
    assert!(assert_layout_clean(&word_boxes(pdf), a4_portrait_frames).is_empty());
}

#[test]
fn supplement_request_mau_02() {
    if !have("pdftotext") {
        return;
    }
    let d = samples::supplement();
    let pdf = render_supplement(&d, OLD).expect("render");
    let mut e: Vec<String> = vec!["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ".into()];
    e.push(format!(
        "Mã hồ sơ: {}",
        d.code.clone().expect("sample code")
    ));
    e.push(format!("Hồ sơ của: {}", d.applicant_name));
    e.push(format!("Nội dung yêu cầu giải quyết: {}", d.procedure_name));
    e.push(format!("Địa chỉ: {}", d.address));
    e.push(format!("Số điện thoại: {}", d.phone));
    e.push(format!("Email: {}", d.email));
    e.push("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:".into());
    for (i, item) in d.items.iter().enumerate() {
        e.push(format!("{}. {item}", i + 1));
    }
    e.push(format!("Lý do: {}", d.reason));
    e.push(format!(
        "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với {} số điện thoại {} để được hướng dẫn./.",
        d.contact_name, d.contact_phone
    ));
    e.push("NGƯỜI HƯỚNG DẪN".into());
    e.push("(Ký và ghi rõ họ tên)".into());
    e.push(d.guide_name.clone());
    let left = [LEFT[0], LEFT[1], LEFT[2], "Số: 15/HDHS"];
    check_one_page_form(
        "supplement",
        &pdf,
        &left,
        "Đông Sơn, ngày 06 tháng 3 năm 2026",
        &e,
    );
}

#[test]
fn refusal_mau_03() {
    if !have("pdftotext") {
        return;
    }
    let d = samples::refusal();
    let pdf = render_refusal(&d, OLD).expect("render");
    let mut e: Vec<String> = vec!["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ".into()];
    e.push(format!(
        "Bộ phận tiếp nhận và trả kết quả {}",
        d.header.name
    ));
    e.push(format!("Tiếp nhận hồ sơ của: {}", d.applicant_name));
    e.push(format!("Địa chỉ: {}", d.address));
    e.push(format!("Số điện thoại: {}", d.phone));
    e.push("Email:".into());
    e.push(format!("Nội dung yêu cầu giải quyết: {}", d.procedure_name));
    e.push(format!(
        "Sau khi xem xét, đối chiếu thành phần hồ sơ với các quy định hiện hành, Bộ phận tiếp nhận và trả kết quả từ chối tiếp nhận giải quyết hồ sơ này với lý do cụ thể như sau: {}",
        d.reason
    ));
    e.push("Xin thông báo cho Ông/Bà được biết và thực hiện./.".into());
    e.push("NGƯỜI TIẾP NHẬN HỒ SƠ".into());
    e.push("(Ký và ghi rõ họ tên)".into());
    e.push(d.clerk_name.clone());
    check_one_page_form(
        "refusal",
        &pdf,
        &LEFT,
        "Đông Sơn, ngày 09 tháng 02 năm 2026",
        &e,
    );
}

#[test]
fn apology_mau_04() {
    if !have("pdftotext") {
        return;
    }
    let d = samples::apology();
    let pdf = render_apology(&d, OLD).expect("render");
    let agency = &d.header.name;
    let e: Vec<String> = vec![
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ".into(),
        format!("Kính gửi: {}", d.recipient),
        format!(
            "Vào {}, {agency} đã tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết thủ tục hành chính: {}.",
            format_instant_vi(d.received_at),
            d.procedure_name
        ),
        format!("Mã hồ sơ: {}", d.code),
        format!(
            "Thời gian hẹn trả kết quả giải quyết hồ sơ: {}.",
            format_instant_vi(d.original_due)
        ),
        format!(
            "Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ của Ông/Bà, lý do: {}",
            d.reason
        ),
        format!(
            "{agency} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào {}.",
            format_instant_vi(d.new_due)
        ),
        "Mong nhận được sự thông cảm của Ông/Bà vì sự chậm trễ này./.".into(),
        "KT. CHỦ TỊCH".into(),
        "PHÓ CHỦ TỊCH".into(),
        "(Ký, ghi rõ họ tên và đóng dấu)".into(),
        d.signer_name.clone(),
    ];
    let left = [LEFT[0], LEFT[1], "Số: 07/XL-UBND"];
    check_one_page_form(
        "apology",
        &pdf,
        &left,
        "Đông Sơn, ngày 12 tháng 3 năm 2026",
        &e,
    );
    // The apology is signed by the agency itself: no one-stop unit line.
    assert!(!pdftotext(&pdf).contains("BỘ PHẬN TIẾP NHẬN"));
}

// ---- ledger ----------------------------------------------------------------------

#[test]
fn ledger_three_pages_header_repeated_rows_whole() {
    if !have("pdftotext") {
        return;
    }
    let d = samples::ledger(20);
    let pdf = render_ledger(&d, OLD).expect("render");
    keep("ledger", &pdf);
    let (count, w, h) = pdfinfo(&pdf);
    assert_eq!(count, 3);
    assert!(
        (w - 841.89).abs() < 0.1 && (h - 595.28).abs() < 0.1,
        "landscape A4"
    );
    assert_in_order(
        &page_text(&pdf, 1),
        &[
            "UBND TỈNH THANH HÓA",
            "ỦY BAN NHÂN DÂN XÃ ĐÔNG SƠN",
            "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
            "SỔ THEO DÕI HỒ SƠ",
            "Quyển số: 03",
            "Từ ngày 01/03/2026 đến ngày 31/03/2026",
        ],
    );
    let pages = check_ledger(&d, &pdf, &SPEC_2018);
    let numbers = assert_layout_clean(&pages, a4_landscape_frames);
    assert_eq!(
        numbers,
        [(1, "2".to_owned()), (2, "3".to_owned())],
        "numbered from page 2"
    );
}

#[test]
fn ledger_row_taller_than_a_page_is_split_between_lines() {
    if !have("pdftotext") {
        return;
    }
    let mut d = samples::ledger(3);
    d.rows[1].address = format!("{} ", samples::long_address()).repeat(12);
    let pdf = render_ledger(&d, OLD).expect("render");
    keep("ledger-tall-row", &pdf);
    let pages = word_boxes(&pdf);
    assert!(
        pages.len() >= 3,
        "the tall row continues: {} pages",
        pages.len()
    );
    assert_layout_clean(&pages, a4_landscape_frames);
    let text = fold_ws(&pdftotext(&pdf));
    assert!(text.contains("Địa chỉ, SĐT"));
    // Every word of the tall address is printed, in order.
    let words: Vec<Word> = pages.iter().flat_map(|p| p.words.clone()).collect();
    let edges = col_edges();
    // The column also holds the repeated header, the page numbers (in the top margin)
    // and the other rows; without the first two, the tall address must be there whole.
    let address: Vec<&str> = words
        .iter()
        .filter(|w| {
            let cx = (w.x0 + w.x1) / 2.0;
            cx >= edges[4] && cx < edges[5] && w.y1 > 20.0 * MM
        })
        .map(|w| w.text.as_str())
        .filter(|t| !["Địa", "chỉ,", "SĐT"].contains(t))
        .collect();
    let joined = fold_ws(&address.join(" "));
    assert!(joined.contains(&fold_ws(&d.rows[1].address)), "{joined}");
}

#[test]
fn empty_ledger_and_bad_range() {
    let mut d = samples::ledger(0);
    let pdf = render_ledger(&d, OLD).expect("render");
    if have("pdftotext") {
        let text = fold_ws(&pdftotext(&pdf));
        assert!(text.contains("SỔ THEO DÕI HỒ SƠ") && text.contains("Ký nhận"));
        assert!(text.contains("Không có hồ sơ nào trong khoảng thời gian này."));
    }
    d.to = samples::day(2026, 2, 1);
    assert!(matches!(
        render_ledger(&d, OLD),
        Err(RenderError::DateRange { .. })
    ));
}

#[test]
fn forms_are_deterministic() {
    let s = samples::supplement();
    assert!(
        render_supplement(&s, OLD).expect("render") == render_supplement(&s, OLD).expect("render")
    );
    let l = samples::ledger(20);
    assert!(render_ledger(&l, OLD).expect("render") == render_ledger(&l, OLD).expect("render"));
}
