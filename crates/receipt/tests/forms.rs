//! Mẫu 02, 03, 05 and the ledger end to end: text read back with poppler in the form's
//! order, text inside the margins without overlaps, the ledger's header on every page,
//! its rows whole on one page and its page numbers.

mod common;

use common::samples;
use common::{
    MM, Page, Word, a4_landscape_frames, a4_portrait_frames, assert_in_order, assert_layout_clean,
    fold_ws, form_parts, have, keep, page_text, pdfinfo, pdftotext, word_boxes,
};
use motcua_receipt::{
    LedgerData, LedgerRow, RenderError, format_instant_vi, render_apology, render_ledger,
    render_refusal, render_supplement,
};

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
    let pdf = render_supplement(&d).expect("render");
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
    let pdf = render_refusal(&d).expect("render");
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
fn apology_mau_05() {
    if !have("pdftotext") {
        return;
    }
    let d = samples::apology();
    let pdf = render_apology(&d).expect("render");
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

/// Column widths of the ledger in millimetres, left to right.
const COLS_MM: [f64; 11] = [
    10.0, 29.0, 32.0, 28.0, 34.0, 24.0, 20.0, 20.0, 20.0, 21.0, 14.0,
];
const SUBHEADERS: [&str; 11] = [
    "TT",
    "Mã hồ sơ",
    "Tên TTHC",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, SĐT",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Trả kết quả",
    "Phương thức nhận kết quả",
    "Ký nhận",
];

/// Column edges in `pdftotext -bbox` coordinates.
fn col_edges() -> Vec<f64> {
    let mut x = 30.0 * MM;
    let mut out = vec![x];
    for w in COLS_MM {
        x += w * MM;
        out.push(x);
    }
    out
}

/// Words whose centre lies in `x0..x1` and whose top lies in `y0..y1`, in reading
/// order (line by line, left to right), joined with spaces.
fn region(words: &[Word], x0: f64, x1: f64, y0: f64, y1: f64) -> String {
    let mut inside: Vec<&Word> = words
        .iter()
        .filter(|w| {
            let cx = (w.x0 + w.x1) / 2.0;
            cx >= x0 && cx < x1 && w.y0 >= y0 && w.y0 < y1
        })
        .collect();
    inside.sort_by(|a, b| {
        ((a.y0 * 10.0).round(), a.x0)
            .partial_cmp(&((b.y0 * 10.0).round(), b.x0))
            .expect("finite coordinates")
    });
    inside
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What each cell of a row must show (paragraphs joined with a space).
fn expected_cells(r: &LedgerRow) -> [String; 11] {
    let when = |t: Option<chrono::NaiveDateTime>| {
        t.map(|t| t.format("%d/%m/%Y %H:%M").to_string())
            .unwrap_or_default()
    };
    [
        r.number.clone(),
        r.code.clone(),
        r.procedure_name.clone(),
        r.applicant_name.clone(),
        format!("{} {}", r.address, r.phone),
        r.handling_agency.clone(),
        when(Some(r.received_at)),
        when(r.due_at),
        when(r.returned_at),
        r.delivery.clone(),
        String::new(),
    ]
}

/// Cell texts compared with all whitespace removed: a code broken after its hyphen
/// reads back as "…H56- 260302…", every character still in order.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect()
}

/// Checks that the header is on `page` between `top` and `bottom` (bbox y).
fn check_header(page: &Page, edges: &[f64], top: f64, bottom: f64) {
    let g0 = edges[6];
    let g1 = edges[9];
    let group_words: Vec<Word> = page
        .words
        .iter()
        .filter(|w| {
            (w.x0 + w.x1) / 2.0 >= g0 && (w.x0 + w.x1) / 2.0 < g1 && w.y0 >= top && w.y0 < bottom
        })
        .cloned()
        .collect();
    let first_line = group_words
        .iter()
        .map(|w| w.y0)
        .fold(f64::INFINITY, f64::min);
    assert_eq!(
        region(&group_words, g0, g1, first_line, first_line + 1.0),
        "Ngày, tháng, năm"
    );
    for (i, title) in SUBHEADERS.iter().enumerate() {
        let from = if (6..9).contains(&i) {
            first_line + 1.0
        } else {
            top
        };
        assert_eq!(
            region(&page.words, edges[i], edges[i + 1], from, bottom),
            *title,
            "header column {i}"
        );
    }
}

fn check_ledger(d: &LedgerData, pdf: &[u8]) -> Vec<Page> {
    let pages = word_boxes(pdf);
    let edges = col_edges();
    let mut rows = d.rows.iter().peekable();
    for (pi, page) in pages.iter().enumerate() {
        // The header starts with the group heading "Ngày, tháng, năm" at its top; rows
        // start where their TT number is.
        let header_top = page
            .words
            .iter()
            .find(|w| w.text == "Ngày," && w.x0 >= edges[6])
            .map(|w| w.y0 - 3.0)
            .unwrap_or_else(|| panic!("page {} has no table header", pi + 1));
        let starts: Vec<f64> = page
            .words
            .iter()
            .filter(|w| {
                (w.x0 + w.x1) / 2.0 < edges[1]
                    && w.text.chars().all(|c| c.is_ascii_digit())
                    && w.y0 > header_top + 5.0
            })
            .map(|w| w.y0 - 3.0)
            .collect();
        let header_bottom = starts.first().copied().unwrap_or(page.height);
        check_header(page, &edges, header_top, header_bottom);
        for (k, start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(page.height);
            let row = rows
                .next()
                .unwrap_or_else(|| panic!("page {}: more rows than data", pi + 1));
            for (c, want) in expected_cells(row).iter().enumerate() {
                let got = region(&page.words, edges[c], edges[c + 1], *start, end);
                assert_eq!(
                    squeeze(&got),
                    squeeze(want),
                    "page {}, row {}, column {c}",
                    pi + 1,
                    row.number
                );
            }
        }
    }
    assert!(rows.peek().is_none(), "every row printed");
    pages
}

#[test]
fn ledger_three_pages_header_repeated_rows_whole() {
    if !have("pdftotext") {
        return;
    }
    let d = samples::ledger(20);
    let pdf = render_ledger(&d).expect("render");
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
    let pages = check_ledger(&d, &pdf);
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
    let pdf = render_ledger(&d).expect("render");
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
    let pdf = render_ledger(&d).expect("render");
    if have("pdftotext") {
        let text = fold_ws(&pdftotext(&pdf));
        assert!(text.contains("SỔ THEO DÕI HỒ SƠ") && text.contains("Ký nhận"));
        assert!(text.contains("Không có hồ sơ nào trong khoảng thời gian này."));
    }
    d.to = samples::day(2026, 2, 1);
    assert!(matches!(
        render_ledger(&d),
        Err(RenderError::DateRange { .. })
    ));
}

#[test]
fn forms_are_deterministic() {
    let s = samples::supplement();
    assert!(render_supplement(&s).expect("render") == render_supplement(&s).expect("render"));
    let l = samples::ledger(20);
    assert!(render_ledger(&l).expect("render") == render_ledger(&l).expect("render"));
}
