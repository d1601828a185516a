//! Biểu 06 on landscape A4: a report with more fields than a page holds repeats its
//! header on every page, keeps every word inside the margins, and ends with the totals,
//! the notes and the signature blocks.

mod common;

use common::samples;
use common::{
    a4_landscape_frames, assert_layout_clean, have, keep, page_text, pdfinfo, word_boxes,
};
use motcua_receipt::{ReportData, render_report};

fn data(fields: usize) -> ReportData {
    let rows: Vec<(String, [u64; 11])> = (0..fields)
        .map(|k| {
            let n = k as u64;
            (
                format!(
                    "Lĩnh vực thứ {} có tên khá dài để phải xuống dòng trong ô",
                    k + 1
                ),
                [n + 3, 0, n + 2, 1, 2, 1, 0, 1, n + 1, n, 1],
            )
        })
        .collect();
    let mut total = [0u64; 11];
    for (_, r) in &rows {
        for (t, v) in total.iter_mut().zip(r) {
            *t += v;
        }
    }
    ReportData {
        header: samples::header(),
        issued_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
        period: "Tháng 11 năm 2026".into(),
        days: "Từ ngày 15/10/2026 đến ngày 14/11/2026".into(),
        counted_to: None,
        reporting_unit: "UBND xã Tân Lập".into(),
        receiving_unit: "Văn phòng UBND tỉnh".into(),
        rows,
        total: ("Tổng số".into(), total),
        notes: vec!["Hồ sơ bị rút được tính là đã giải quyết.".into()],
        prepared_by: "Trần Thị Lan".into(),
    }
}

#[test]
fn a_long_report_repeats_its_header_and_ends_with_the_totals_and_signatures() {
    if !have("pdftotext") {
        return;
    }
    let pdf = render_report(&data(30)).unwrap().pdf;
    keep("bieu06-30", &pdf);
    let (pages, w, h) = pdfinfo(&pdf);
    assert!(pages >= 2, "30 fields on {pages} page(s)");
    assert!(w > h, "landscape");
    for p in 1..=pages {
        let t = page_text(&pdf, p);
        assert!(t.contains("Số hồ sơ nhận giải quyết"), "page {p}: {t}");
        assert!(t.contains("(13)"), "page {p}: {t}");
    }
    let first = page_text(&pdf, 1);
    for part in [
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "Kỳ báo cáo: Tháng 11 năm 2026",
        "Từ ngày 15/10/2026 đến ngày 14/11/2026",
        "Đơn vị báo cáo: UBND xã Tân Lập",
        "Đơn vị nhận báo cáo: Văn phòng UBND tỉnh",
    ] {
        assert!(first.contains(part), "«{part}» missing: {first}");
    }
    let last = page_text(&pdf, pages);
    for part in [
        "Tổng số",
        "Ghi chú:",
        "NGƯỜI LẬP BIỂU",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "Trần Thị Lan",
    ] {
        assert!(
            last.contains(part),
            "«{part}» missing on the last page: {last}"
        );
    }
    // Every word inside the margins; the pages after the first numbered at the top.
    let numbers = assert_layout_clean(&word_boxes(&pdf), a4_landscape_frames);
    let expect: Vec<(usize, String)> = (1..pages).map(|p| (p, (p + 1).to_string())).collect();
    assert_eq!(numbers, expect);
}

#[test]
fn a_short_report_fits_one_page() {
    if !have("pdftotext") {
        return;
    }
    let pdf = render_report(&data(4)).unwrap().pdf;
    keep("bieu06-4", &pdf);
    assert_eq!(pdfinfo(&pdf).0, 1);
}

#[test]
fn a_report_of_a_period_not_over_says_under_the_period_when_it_was_counted_to() {
    if !have("pdftotext") {
        return;
    }
    let line = "Số liệu tính đến 10:30 ngày 06/11/2026 (kỳ báo cáo chưa kết thúc)";
    let whole = render_report(&data(2)).unwrap().pdf;
    assert!(!page_text(&whole, 1).contains("tính đến"));
    let so_far = ReportData {
        counted_to: Some(line.into()),
        ..data(2)
    };
    let pdf = render_report(&so_far).unwrap().pdf;
    keep("bieu06-so-far", &pdf);
    let text = page_text(&pdf, 1);
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s:?} in {text}"));
    assert!(text.contains(line), "{text}");
    // Under the period's days, above the reporting unit and the table.
    assert!(at("Từ ngày 15/10/2026") < at(line));
    assert!(at(line) < at("Đơn vị báo cáo"));
    assert_layout_clean(&word_boxes(&pdf), a4_landscape_frames);
}
