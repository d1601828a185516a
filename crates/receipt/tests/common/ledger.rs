//! The ledger's table read back from `pdftotext -bbox` word boxes: its header and every
//! cell of every row, for either form set.

use super::{MM, Page, Word, word_boxes};
use motcua_receipt::{LedgerData, LedgerRow};

/// Column widths of the ledger in millimetres, left to right.
pub const COLS_MM: [f64; 11] = [
    10.0, 29.0, 32.0, 28.0, 34.0, 24.0, 20.0, 20.0, 20.0, 21.0, 14.0,
];
/// One set's table header: the leaf headings left to right, the grouped columns and the
/// group heading.
pub struct Spec {
    pub subheaders: [&'static str; 11],
    pub group: std::ops::Range<usize>,
    pub group_title: &'static str,
}

/// The 2018 ledger.
pub const SPEC_2018: Spec = Spec {
    subheaders: [
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
    ],
    group: 6..9,
    group_title: "Ngày, tháng, năm",
};

/// The 2025 ledger (Mẫu 07).
pub const SPEC_2025: Spec = Spec {
    subheaders: [
        "STT",
        "Mã hồ sơ",
        "Tên TTHC",
        "Tên tổ chức, cá nhân",
        "Địa chỉ/SĐT",
        "Cơ quan chủ trì giải quyết",
        "Nhận hồ sơ",
        "Hẹn trả kết quả",
        "Trả kết quả",
        "Phương thức nhận kết quả",
        "Ký nhận",
    ],
    group: 6..11,
    group_title: "Nhận và trả kết quả",
};

/// Column edges in `pdftotext -bbox` coordinates.
pub fn col_edges() -> Vec<f64> {
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
pub fn region(words: &[Word], x0: f64, x1: f64, y0: f64, y1: f64) -> String {
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
pub fn expected_cells(r: &LedgerRow) -> [String; 11] {
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
pub fn squeeze(s: &str) -> String {
    s.split_whitespace().collect()
}

/// Checks that the header is on `page` between `top` and `bottom` (bbox y).
pub fn check_header(page: &Page, edges: &[f64], top: f64, bottom: f64, spec: &Spec) {
    let g0 = edges[spec.group.start];
    let g1 = edges[spec.group.end];
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
        spec.group_title
    );
    for (i, title) in spec.subheaders.iter().enumerate() {
        let from = if spec.group.contains(&i) {
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

/// Checks every page of a ledger: the header, then each row cell by cell, every row once
/// in order. The 2025 footnotes ("Ghi chú:" at the left margin) end the last page's rows.
pub fn check_ledger(d: &LedgerData, pdf: &[u8], spec: &Spec) -> Vec<Page> {
    let pages = word_boxes(pdf);
    let edges = col_edges();
    let mut rows = d.rows.iter().peekable();
    let group_word = spec.group_title.split(' ').next().expect("a group heading");
    for (pi, page) in pages.iter().enumerate() {
        // The header starts with the group heading at its top; rows start where their
        // number is.
        let header_top = page
            .words
            .iter()
            .filter(|w| w.text == group_word && w.x0 >= edges[spec.group.start])
            .map(|w| w.y0 - 3.0)
            .reduce(f64::min)
            .unwrap_or_else(|| panic!("page {} has no table header", pi + 1));
        let limit = page
            .words
            .windows(2)
            .find(|w| w[0].text == "Ghi" && w[1].text == "chú:" && w[0].x0 < edges[1])
            .map_or(page.height, |w| w[0].y0 - 1.0);
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
        let header_bottom = header_bottom.min(limit);
        check_header(page, &edges, header_top, header_bottom, spec);
        for (k, start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(limit);
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
