use super::*;
use chrono::{NaiveDate, NaiveDateTime};
use motcua_core::report::{Facts, Period, report};
use motcua_core::status::Status;
use std::io::Read;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn sample() -> Report {
    let f = |field: &str, due: &str, steps: Vec<(&str, Status)>| Facts {
        code: "x".into(),
        field: field.into(),
        procedure: "Đăng ký khai sinh".into(),
        clerk: "lan".into(),
        online: false,
        received_at: t("2026-11-05 09:00"),
        due_at: Some(t(due)),
        steps: steps.into_iter().map(|(a, s)| (t(a), s)).collect(),
    };
    let facts = vec![
        f(
            "Hộ tịch",
            "2026-11-10 17:00",
            vec![("2026-11-09 10:00", Status::ResultReady)],
        ),
        f("Hộ tịch", "2026-11-10 17:00", vec![]),
        f("Chứng thực", "2026-12-10 17:00", vec![]),
    ];
    let p = Period::range(
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    )
    .unwrap();
    report(p, &facts)
}

/// A file of the workbook, as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The `<c>` element of cell `r` ("C9") in the sheet's XML.
fn cell<'a>(sheet: &'a str, r: &str) -> &'a str {
    let start = sheet
        .find(&format!("<c r=\"{r}\""))
        .unwrap_or_else(|| panic!("no cell {r}"));
    let rest = &sheet[start..];
    let end = rest
        .find("</c>")
        .map_or_else(|| rest.find("/>").unwrap() + 2, |e| e + 4);
    &rest[..end]
}

/// The shared string a string cell points to.
fn string(bytes: &[u8], sheet: &str, r: &str) -> String {
    let c = cell(sheet, r);
    assert!(c.contains("t=\"s\""), "{r} is not a string cell: {c}");
    let idx: usize = c
        .split("<v>")
        .nth(1)
        .unwrap()
        .split("</v>")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let shared = part(bytes, "xl/sharedStrings.xml");
    let item = shared.split("<si>").nth(idx + 1).unwrap();
    item.split("<t>")
        .nth(1)
        .or_else(|| item.split("<t xml:space=\"preserve\">").nth(1))
        .unwrap()
        .split("</t>")
        .next()
        .unwrap()
        .to_string()
}

/// A number cell's value.
fn number(sheet: &str, r: &str) -> u64 {
    let c = cell(sheet, r);
    assert!(!c.contains("t=\""), "{r} is not a number cell: {c}");
    c.split("<v>")
        .nth(1)
        .unwrap()
        .split("</v>")
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn the_workbook_reads_back_cell_by_cell_with_numbers_as_numbers() {
    let r = sample();
    let bytes = xlsx_bytes(&r, "UBND xã Tân Lập").unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert_eq!(
        string(&bytes, &sheet, "A1"),
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    );
    assert_eq!(
        string(&bytes, &sheet, "A3"),
        "Đơn vị báo cáo: UBND xã Tân Lập"
    );
    // The merged header: the groups over their columns.
    for range in ["A1:M1", "A6:A7", "B6:B7", "C6:F6", "G6:J6", "K6:M6"] {
        assert!(
            sheet.contains(&format!("<mergeCell ref=\"{range}\"/>")),
            "{range}"
        );
    }
    assert_eq!(string(&bytes, &sheet, "C6"), "Số hồ sơ nhận giải quyết");
    assert_eq!(
        string(&bytes, &sheet, "E7"),
        "Trực tiếp và dịch vụ bưu chính"
    );
    assert_eq!(string(&bytes, &sheet, "M8"), "(13)");
    // Rows by field name: Chứng thực, then Hộ tịch, then the totals.
    assert_eq!(string(&bytes, &sheet, "B9"), "Chứng thực");
    assert_eq!(string(&bytes, &sheet, "B10"), "Hộ tịch");
    assert_eq!(string(&bytes, &sheet, "B11"), "Tổng số");
    let cols = ["C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M"];
    for (row, data) in [(9, &r.rows[0]), (10, &r.rows[1]), (11, &r.total)] {
        for (c, n) in cols.iter().zip(data.counts()) {
            assert_eq!(number(&sheet, &format!("{c}{row}")), n, "{c}{row}");
        }
    }
    assert_eq!(r.total.counts(), [3, 0, 3, 0, 1, 1, 0, 0, 2, 1, 1]);
}

#[test]
fn a_period_not_over_says_when_it_was_counted_to_above_the_table() {
    let mut r = sample();
    let bytes = xlsx_bytes(&r, "UBND xã Tân Lập").unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("A5:M5"), "a whole period has no such line");
    r.counted_to = Some(t("2026-11-20 10:30"));
    let bytes = xlsx_bytes(&r, "UBND xã Tân Lập").unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert_eq!(
        string(&bytes, &sheet, "A5"),
        "Số liệu tính đến 10:30 ngày 20/11/2026 (kỳ báo cáo chưa kết thúc)"
    );
    assert!(sheet.contains("<mergeCell ref=\"A5:M5\"/>"));
    // The table stays where it was.
    assert_eq!(string(&bytes, &sheet, "B11"), "Tổng số");
}
