//! Mẫu 02 to 07 of the 2025 set (TT 03/2025/TT-VPCP) end to end: each form's text read
//! back with poppler field by field in the order docs/forms.md gives; the control slip's
//! and the ledger's tables cell by cell with their header on every page; long input
//! inside the margins; the fonts of all seven forms embedded and subset.

mod common;

use common::ledger::{SPEC_2025, check_ledger, region, squeeze};
use common::samples;
use common::{
    MM, Page, a4_landscape_frames, a4_portrait_frames, assert_in_order, assert_layout_clean,
    fold_ws, form_parts, have, keep, page_parts, pdffonts, pdfinfo, pdftotext, word_boxes,
};
use motcua_receipt::{
    ControlData, ControlStep, FormSet, Layout, format_instant_vi, render_apology, render_control,
    render_ledger, render_receipt, render_refusal, render_stop, render_supplement,
};

const SET: FormSet = FormSet::Tt03_2025;

/// The left header column of the 2025 forms: ĐƠN VỊ CHỦ QUẢN over the unit.
const LEFT: [&str; 2] = [
    "ỦY BAN NHÂN DÂN XÃ ĐÔNG SƠN",
    "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ ĐÔNG SƠN",
];

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// A one-page form: the left column (with the number), the right column ending with
/// the date line, the body in order; margins and overlaps.
fn check_one_page_form(name: &str, pdf: &[u8], number: Option<&str>, date: &str, body: &[String]) {
    keep(name, pdf);
    assert_eq!(pdfinfo(pdf).0, 1, "{name} fits one page");
    let title_word = body[0].split_whitespace().next().expect("a title");
    let (l, r, rest) = form_parts(pdf, title_word);
    let mut left: Vec<&str> = LEFT.to_vec();
    left.extend(number);
    assert_in_order(&l, &left);
    assert_in_order(
        &r,
        &[
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            date,
        ],
    );
    assert_in_order(&rest, &strs(body));
    assert!(assert_layout_clean(&word_boxes(pdf), a4_portrait_frames).is_empty());
}

#[test]
fn supplement_mau_02() {
    if !have("pdftotext") {
        return;
    }
    let mut d = samples::supplement();
    d.number = Some("15/PBS-TTPVHCC".into());
    let pdf = render_supplement(&d, SET).expect("render");
    let mut e: Vec<String> = vec![
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ".into(),
        format!("Mã hồ sơ: {}", d.code.clone().expect("sample code")),
        format!("Hồ sơ của: {}", d.applicant_name),
        format!("Nội dung yêu cầu giải quyết: {}", d.procedure_name),
        format!("Địa chỉ: {}", d.address),
        format!("Số điện thoại {}", d.phone),
        format!("Email: {}", d.email),
        "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:".into(),
    ];
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
    e.push("(Chữ ký số của Người hướng dẫn nếu là biểu mẫu điện tử)".into());
    e.push(d.guide_name.clone());
    check_one_page_form(
        "2025-supplement",
        &pdf,
        Some("Số: 15/PBS-TTPVHCC"),
        "Đông Sơn, ngày 06 tháng 3 năm 2026",
        &e,
    );
}

#[test]
fn refusal_mau_03_with_both_signatures() {
    if !have("pdftotext") {
        return;
    }
    let mut d = samples::refusal();
    d.reason = format!("{}\nGiấy tờ không do cơ quan có thẩm quyền cấp.", d.reason);
    let pdf = render_refusal(&d, SET).expect("render");
    let mut e: Vec<String> = vec![
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ".into(),
        "Trung tâm Phục vụ hành chính công xã Đông Sơn".into(),
        format!("Tiếp nhận hồ sơ của: {}", d.applicant_name),
        format!(
            "Số định danh cá nhân/tổ chức: {}",
            d.id_number.clone().expect("sample id")
        ),
        format!("Địa chỉ: {}", d.address),
        format!("Số điện thoại: {}", d.phone),
        "Email:".into(),
        format!("Mã hồ sơ (nếu có): {}", d.code.clone().expect("sample code")),
        format!("Nội dung yêu cầu giải quyết: {}", d.procedure_name),
        "Qua xem xét, Bộ phận Tiếp nhận và Trả kết quả thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:".into(),
    ];
    e.extend(d.reason.lines().map(str::to_owned));
    e.extend(
        [
            "Xin thông báo cho Ông/Bà được biết và thực hiện./.",
            "NGƯỜI NỘP HỒ SƠ",
            "(Ký và ghi rõ họ tên)",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "(Ký và ghi rõ họ tên)",
            "(Chữ ký số của Người tiếp nhận hồ sơ nếu là biểu mẫu điện tử)",
        ]
        .map(str::to_owned),
    );
    e.push(d.submitter_name.clone());
    e.push(d.clerk_name.clone());
    check_one_page_form(
        "2025-refusal",
        &pdf,
        Some("Số: 07/PTC-TTPVHCC"),
        "Đông Sơn, ngày 09 tháng 02 năm 2026",
        &e,
    );
    // The old sentence of motcua's own is gone.
    assert!(!pdftotext(&pdf).contains("Sau khi xem xét"));
}

#[test]
fn apology_mau_04_signed_by_the_head() {
    if !have("pdftotext") {
        return;
    }
    let d = samples::apology_2025();
    let pdf = render_apology(&d, SET).expect("render");
    let a = &d.header.name;
    let e: Vec<String> = vec![
        "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT".into(),
        format!("Kính gửi: {}", d.recipient),
        format!(
            "Ngày 02 tháng 3 năm 2026, {a} tiếp nhận giải quyết hồ sơ đề nghị giải quyết thủ tục hành chính {} của Ông/Bà/Tổ chức {}; số định danh: {}; mã số hồ sơ: {}.",
            d.procedure_name,
            d.applicant_name,
            d.id_number.clone().expect("sample id"),
            d.code
        ),
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16 giờ 00, ngày 05 tháng 3 năm 2026.".into(),
        format!(
            "Tuy nhiên đến nay, {a} chưa trả kết quả giải quyết hồ sơ của Ông/Bà/Tổ chức đúng thời hạn quy định ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
        ),
        format!("Lý do: {}", d.reason),
        format!(
            "{a} xin trân trọng gửi lời xin lỗi đến Ông (Bà)/Tổ chức vì sự chậm trễ trong quá trình giải quyết hồ sơ có thể gây phiền hà, tốn kém về chi phí, công sức của Ông (Bà)/Tổ chức."
        ),
        format!(
            "{a} xin lỗi Ông/Bà/Tổ chức và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà/Tổ chức vào ngày 16 tháng 3 năm 2026."
        ),
        "Mong nhận được sự thông cảm của Ông/Bà/Tổ chức vì sự chậm trễ này./.".into(),
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ".into(),
        "(Ký và ghi rõ họ tên)".into(),
        "(Chữ ký số của Thủ trưởng cơ quan, đơn vị nếu là biểu mẫu điện tử)".into(),
        d.signer_name.clone(),
    ];
    check_one_page_form(
        "2025-apology",
        &pdf,
        Some("Số: 07/PXL"),
        "Đông Sơn, ngày 12 tháng 3 năm 2026",
        &e,
    );
    let text = pdftotext(&pdf);
    assert!(!text.contains("HẸN LẠI NGÀY") && !text.contains("đóng dấu"));
}

/// The stop notice's body from the title down (its wording is motcua's own: the
/// form's body is unconfirmed).
fn stop_body(d: &motcua_receipt::StopData) -> Vec<String> {
    let unit = &d.header.unit;
    let mut e: Vec<String> = vec![
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ".into(),
        format!("Kính gửi: {}", d.recipient),
        unit.clone(),
        format!("Hồ sơ của: {}", d.applicant_name),
        format!(
            "Số định danh cá nhân/tổ chức: {}",
            d.id_number.clone().unwrap_or_default()
        ),
        format!("Địa chỉ: {}", d.address),
        format!("Số điện thoại: {}", d.phone),
        format!("Email: {}", d.email),
        format!("Mã hồ sơ: {}", d.code),
        format!("Nội dung yêu cầu giải quyết: {}", d.procedure_name),
        format!(
            "Thời gian nhận hồ sơ: {}.",
            format_instant_vi(d.received_at)
        ),
    ];
    if d.request.is_some() {
        e.push(format!("Ngày 09 tháng 3 năm 2026, {unit} nhận được yêu cầu dừng thực hiện thủ tục hành chính trực tiếp của Ông/Bà/Tổ chức. Hồ sơ chưa có quyết định giải quyết thủ tục hành chính hoặc văn bản thông báo kết quả giải quyết thủ tục hành chính."));
    }
    e.push(format!("{unit} thông báo dừng giải quyết hồ sơ nêu trên."));
    e.push(format!("Lý do: {}", d.reason));
    e.push(
        "Việc trả lại hồ sơ và phí, lệ phí đã nộp (nếu có) được thực hiện theo quy định.".into(),
    );
    e.push("Xin thông báo cho Ông/Bà/Tổ chức được biết./.".into());
    e.push("NGƯỜI TIẾP NHẬN HỒ SƠ".into());
    e.push("(Ký và ghi rõ họ tên)".into());
    e.push("(Chữ ký số của Người tiếp nhận hồ sơ nếu là biểu mẫu điện tử)".into());
    e.push(d.signer_name.clone());
    e
}

#[test]
fn stop_notice_mau_05_with_and_without_a_request() {
    if !have("pdftotext") {
        return;
    }
    let d = samples::stop();
    let pdf = render_stop(&d).expect("render");
    check_one_page_form(
        "2025-stop",
        &pdf,
        Some("Số: 03/TB-TTPVHCC"),
        "Đông Sơn, ngày 09 tháng 3 năm 2026",
        &stop_body(&d),
    );
    let mut stopped = d.clone();
    stopped.request = None;
    stopped.number = None;
    stopped.reason = "Cơ quan có thẩm quyền dừng xử lý theo quy định.".into();
    let pdf = render_stop(&stopped).expect("render");
    check_one_page_form(
        "2025-stop-no-request",
        &pdf,
        None,
        "Đông Sơn, ngày 09 tháng 3 năm 2026",
        &stop_body(&stopped),
    );
    assert!(!pdftotext(&pdf).contains("nhận được yêu cầu dừng"));
}

// ---- Mẫu 06 ----------------------------------------------------------------------

/// Column widths of the control slip in millimetres.
const CONTROL_MM: [f64; 4] = [42.0, 52.0, 38.0, 33.0];

fn control_edges() -> Vec<f64> {
    let mut x = 30.0 * MM;
    let mut out = vec![x];
    for w in CONTROL_MM {
        x += w * MM;
        out.push(x);
    }
    out
}

/// The cells each block must show: unit, time with the signature cells, result, note.
fn expected_block(s: &ControlStep, first: bool) -> [String; 4] {
    let giver = if s.giver.is_empty() && first {
        "Bộ phận TN&TKQ".to_owned()
    } else {
        s.giver.clone()
    };
    let time = s.at.map_or_else(
        || "….giờ….phút, ngày…../…../……".to_owned(),
        |t| t.format("%H giờ %M phút, ngày %d/%m/%Y").to_string(),
    );
    [
        format!("1. Giao: {giver} 2. Nhận: {}", s.receiver),
        format!(
            "{time} Người giao Người nhận {} {}",
            s.giver_name, s.receiver_name
        ),
        s.result.clone(),
        s.note.clone(),
    ]
}

/// Reads the table block by block (a block starts at its "1. Giao:"), page by page,
/// checking the header on every page; returns the pages.
fn check_control(d: &ControlData, pdf: &[u8], blocks: &[ControlStep]) -> Vec<Page> {
    let pages = word_boxes(pdf);
    let e = control_edges();
    let mut want = blocks.iter().enumerate();
    for (pi, page) in pages.iter().enumerate() {
        // The tallest header cell, "Kết quả giải quyết hồ sơ (…)", starts highest.
        let header = page
            .words
            .iter()
            .find(|w| w.text == "Kết" && w.x0 >= e[2] && w.x1 <= e[3])
            .unwrap_or_else(|| panic!("page {}: no table header", pi + 1));
        let header_top = header.y0 - 2.0;
        let notes = page
            .words
            .windows(2)
            .find(|w| w[0].text == "Ghi" && w[1].text == "chú:" && w[0].x0 < e[1])
            .map_or(page.height, |w| w[0].y0 - 1.0);
        let mut starts: Vec<f64> = page
            .words
            .iter()
            .filter(|w| {
                w.text == "1."
                    && w.x0 < e[1]
                    && page
                        .words
                        .iter()
                        .any(|g| g.text == "Giao:" && (g.y0 - w.y0).abs() < 1.0 && g.x0 > w.x0)
            })
            .map(|w| w.y0 - 2.0)
            .collect();
        starts.sort_by(f64::total_cmp);
        let header_bottom = starts.first().copied().unwrap_or(notes);
        for (i, title) in [
            "Tên đơn vị",
            "Thời gian giao nhận hồ sơ",
            "Kết quả giải quyết hồ sơ (trước hạn/đúng hạn/quá hạn)",
            "Ghi chú",
        ]
        .iter()
        .enumerate()
        {
            assert_eq!(
                region(&page.words, e[i], e[i + 1], header_top, header_bottom),
                *title,
                "page {}, header column {i}",
                pi + 1
            );
        }
        for (k, start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(notes);
            let (n, step) = want
                .next()
                .unwrap_or_else(|| panic!("page {}: more blocks than data", pi + 1));
            for (c, cell) in expected_block(step, n == 0).iter().enumerate() {
                let got = region(&page.words, e[c], e[c + 1], *start, end);
                assert_eq!(
                    squeeze(&got),
                    squeeze(cell),
                    "page {}, block {n}, column {c}",
                    pi + 1
                );
            }
        }
    }
    assert!(want.next().is_none(), "every block printed");
    let text = fold_ws(&pdftotext(pdf));
    assert!(text.contains(&fold_ws(&d.code)));
    pages
}

#[test]
fn control_slip_mau_06() {
    if !have("pdftotext") {
        return;
    }
    let d = samples::control();
    let pdf = render_control(&d).expect("render");
    keep("2025-control", &pdf);
    assert_eq!(pdfinfo(&pdf).0, 1);
    let (l, r, body) = form_parts(&pdf, "PHIẾU");
    assert_in_order(&l, &LEFT);
    assert_in_order(
        &r,
        &[
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Đông Sơn, ngày 05 tháng 3 năm 2026",
        ],
    );
    assert_in_order(
        &body,
        &[
            "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            &format!("Mã số hồ sơ: {}", d.code),
            &format!("Cơ quan (bộ phận) giải quyết hồ sơ: {}", d.handling_agency),
            "Cơ quan phối hợp giải quyết hồ sơ:",
            "Ngày nhận: 05/03/2026",
            "Hẹn trả kết quả vào 09 giờ 32 phút, ngày 10 tháng 3 năm 2026.",
            "Căn cứ thời hạn: Theo danh mục thủ tục (đã xác nhận): Trực tiếp: 3 ngày làm việc",
        ],
    );
    let mut blocks = d.steps.clone();
    blocks.extend(std::iter::repeat_n(ControlStep::default(), d.blank_steps));
    let pages = check_control(&d, &pdf, &blocks);
    assert_in_order(
        &pdftotext(&pdf),
        &[
            "Ghi chú:",
            "- Kết quả giải quyết hồ sơ do bên nhận nhập thông tin/ghi khi nhận bàn giao hồ sơ.",
            "- Việc lưu vết được thực hiện tự động theo chức năng của Hệ thống thông tin giải quyết thủ tục hành chính và thể hiện trên mẫu phiếu điện tử.",
        ],
    );
    assert!(assert_layout_clean(&pages, a4_portrait_frames).is_empty());

    // A slip printed at receipt knows nothing yet: four blank blocks, the first
    // pre-printed "1. Giao: Bộ phận TN&TKQ".
    let mut blank = d.clone();
    blank.steps.clear();
    blank.blank_steps = 4;
    let pdf = render_control(&blank).expect("render");
    keep("2025-control-blank", &pdf);
    check_control(&blank, &pdf, &vec![ControlStep::default(); 4]);
}

#[test]
fn long_control_slip_repeats_its_header_and_splits_a_tall_block() {
    if !have("pdftotext") {
        return;
    }
    let d = samples::long_control();
    let pdf = render_control(&d).expect("render");
    keep("2025-control-long", &pdf);
    let pages = word_boxes(&pdf);
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let numbers = assert_layout_clean(&pages, a4_portrait_frames);
    assert_eq!(numbers.len(), pages.len() - 1, "numbered from page 2");
    // Every note is printed whole and in order, the tall one across pages.
    let e = control_edges();
    let (x0, x1) = (e[3], e[4]);
    let notes: Vec<&str> = pages
        .iter()
        .flat_map(|p| {
            let header_bottom = p
                .words
                .iter()
                .find(|w| w.text == "Ghi" && w.x0 >= x0)
                .map_or(0.0, |w| w.y1);
            p.words
                .iter()
                .filter(move |w| {
                    let cx = (w.x0 + w.x1) / 2.0;
                    cx >= x0 && cx < x1 && w.y0 > header_bottom + 0.5 && w.y1 > 20.0 * MM
                })
                .filter(|w| w.y1 < p.height - 20.0 * MM)
        })
        .map(|w| w.text.as_str())
        .collect();
    let joined = fold_ws(&notes.join(" "));
    let mut at = 0;
    for s in &d.steps {
        let want = fold_ws(&s.note);
        let i = joined[at..]
            .find(&want)
            .unwrap_or_else(|| panic!("note «{want}» missing or out of order"));
        at += i + want.len();
    }
}

// ---- Mẫu 07 ----------------------------------------------------------------------

#[test]
fn ledger_mau_07_three_pages_header_repeated_footnotes_last() {
    if !have("pdftotext") {
        return;
    }
    let mut d = samples::ledger(20);
    d.number = Some("01/STD-TTPVHCC".into());
    let pdf = render_ledger(&d, SET).expect("render");
    keep("2025-ledger", &pdf);
    let (count, w, h) = pdfinfo(&pdf);
    assert_eq!(count, 3);
    assert!(
        (w - 841.89).abs() < 0.1 && (h - 595.28).abs() < 0.1,
        "landscape A4"
    );
    let pages = word_boxes(&pdf);
    let (l, r, body) = page_parts(&pdf, &pages, 1, "SỔ");
    assert_in_order(
        &l,
        &[
            LEFT[0],
            "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ ĐÔNG SƠN",
            "Số: 01/STD-TTPVHCC",
        ],
    );
    assert_in_order(
        &r,
        &[
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Đông Sơn, ngày 31 tháng 3 năm 2026",
        ],
    );
    assert_in_order(
        &body,
        &[
            "SỔ THEO DÕI HỒ SƠ",
            "Quyển số: 03",
            "Từ ngày 01/03/2026 đến ngày 31/03/2026",
        ],
    );
    check_ledger(&d, &pdf, &SPEC_2025);
    let numbers = assert_layout_clean(&pages, a4_landscape_frames);
    assert_eq!(numbers, [(1, "2".to_owned()), (2, "3".to_owned())]);
    let last = common::page_text(&pdf, 3);
    assert_in_order(
        &last,
        &[
            "Ghi chú:",
            "- Sổ theo dõi hồ sơ được lập theo từng lĩnh vực hoặc nhóm lĩnh vực tại Bộ phận Một cửa.",
            "- Trường hợp áp dụng Sổ theo dõi hồ sơ điện tử thì theo dõi trực tiếp trên Hệ thống thông tin giải quyết thủ tục hành chính, không cần thực hiện in sổ giấy nhưng phải đảm bảo đầy đủ thông tin theo quy định.",
        ],
    );
    let empty = render_ledger(&samples::ledger(0), SET).expect("render");
    let text = fold_ws(&pdftotext(&empty));
    assert!(text.contains("Nhận và trả kết quả") && text.contains("Ghi chú:"));
    assert!(text.contains("Không có hồ sơ nào trong khoảng thời gian này."));
}

// ---- every form ------------------------------------------------------------------

/// The seven forms of the 2025 set from the samples, with awkward input where it is.
fn all_seven(long: bool) -> Vec<(&'static str, motcua_receipt::Form)> {
    let mut receipt = samples::receipt();
    let mut supplement = samples::supplement();
    let mut refusal = samples::refusal();
    let mut apology = samples::apology_2025();
    let mut stop = samples::stop();
    let mut control = samples::control();
    let mut ledger = samples::ledger(3);
    if long {
        let name = format!("Nguyễn Thị Ngọc Huyền {}", samples::ALL_TONES);
        let long = samples::long_address();
        receipt = samples::awkward_receipt();
        supplement.applicant_name = name.clone();
        supplement.address = long.clone();
        supplement.items = vec![long.clone(); 6];
        supplement.reason = long.clone();
        supplement.contact_name = name.clone();
        refusal.applicant_name = name.clone();
        refusal.address = long.clone();
        refusal.email = "x".repeat(120);
        refusal.reason = format!("{long}\n{long}");
        apology.recipient = name.clone();
        apology.applicant_name = name.clone();
        apology.procedure_name = long.clone();
        apology.reason = long.clone();
        stop.recipient = name.clone();
        stop.applicant_name = name.clone();
        stop.address = long.clone();
        stop.reason = long.clone();
        stop.disposition = long.clone();
        control = samples::long_control();
        ledger = samples::ledger(20);
        ledger.header.unit = format!("Trung tâm Phục vụ hành chính công {long}");
    }
    vec![
        (
            "01",
            render_receipt(&receipt, Layout::A4x2, SET).expect("render"),
        ),
        ("02", render_supplement(&supplement, SET).expect("render")),
        ("03", render_refusal(&refusal, SET).expect("render")),
        ("04", render_apology(&apology, SET).expect("render")),
        ("05", render_stop(&stop).expect("render")),
        ("06", render_control(&control).expect("render")),
        ("07", render_ledger(&ledger, SET).expect("render")),
    ]
}

#[test]
fn every_form_embeds_subset_fonts() {
    if !have("pdffonts") {
        return;
    }
    for (form, pdf) in all_seven(false) {
        let out = pdffonts(&pdf);
        let rows: Vec<&str> = out.lines().skip(2).collect();
        assert!(!rows.is_empty(), "Mẫu {form}: no fonts:\n{out}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert!(
                cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+',
                "Mẫu {form}: subset tag: {row}"
            );
            assert!(cols[0].contains("LiberationSerif"), "Mẫu {form}: {row}");
            assert_eq!(&cols[1..4], ["CID", "TrueType", "Identity-H"], "{row}");
            assert_eq!(&cols[4..7], ["yes", "yes", "yes"], "Mẫu {form}: {row}");
        }
    }
}

#[test]
fn long_input_stays_inside_the_margins_in_every_form() {
    if !have("pdftotext") {
        return;
    }
    for (form, pdf) in all_seven(true) {
        keep(&format!("2025-long-{form}"), &pdf);
        let pages = word_boxes(&pdf);
        if form == "07" {
            assert_layout_clean(&pages, a4_landscape_frames);
        } else {
            assert_layout_clean(&pages, a4_portrait_frames);
        }
        let text = pdftotext(&pdf);
        assert!(
            !text.chars().any(|c| ('\u{0300}'..='\u{036F}').contains(&c)),
            "Mẫu {form}: decomposed marks"
        );
    }
}

#[test]
fn every_form_is_deterministic() {
    let a = all_seven(false);
    let b = all_seven(false);
    for ((form, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "Mẫu {form}: same input, same bytes");
    }
}
