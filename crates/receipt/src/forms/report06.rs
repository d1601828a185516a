//! Biểu số 06 (TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH) on landscape A4: the
//! agency header, the title with the period, the reporting and receiving units, a
//! 13-column table (a header of three rows — the three groups, the columns, their numbers
//! (1) … (13) — repeated on every page), one row per field and the totals, the notes on
//! how it was counted, and two signature blocks. The group titles and the signers' titles
//! are [U] (docs/reports.md).

use super::common::{self, Agency, RULE, Signer};
use super::ledger::{VPAD, cell_lines, draw_lines, line_h};
use crate::canvas::MM;
use crate::datefmt::format_date_line;
use crate::flow::{Block, Flow, Paper, Para, Slots, Style};
use crate::font::Fonts;
use crate::layout::{Align, Line, bold, ital, reg};
use crate::model::ReportData;
use crate::text::clean_with;

/// Title of the report.
pub(crate) const TITLE: &str = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH";

/// Column widths in millimetres (252 mm between the margins) and the column titles.
const COLUMNS: [(f32, &str); 13] = [
    (10.0, "STT"),
    (54.0, "Lĩnh vực"),
    (17.0, "Tổng số"),
    (17.0, "Trực tuyến"),
    (20.0, "Trực tiếp và dịch vụ bưu chính"),
    (17.0, "Từ kỳ trước"),
    (17.0, "Tổng số"),
    (17.0, "Trước hạn"),
    (17.0, "Đúng hạn"),
    (17.0, "Quá hạn"),
    (17.0, "Tổng số"),
    (16.0, "Trong hạn"),
    (16.0, "Quá hạn"),
];

/// The groups of the header's first row: columns and title.
const GROUPS: [(std::ops::Range<usize>, &str); 3] = [
    (2..6, "Số hồ sơ nhận giải quyết"),
    (6..10, "Số hồ sơ đã giải quyết"),
    (10..13, "Số hồ sơ đang giải quyết"),
];

fn edges() -> Vec<f32> {
    let mut x = 0.0;
    let mut out = vec![0.0];
    for (w, _) in COLUMNS {
        x += w * MM;
        out.push(x);
    }
    out
}

fn height(lines: usize) -> f32 {
    lines as f32 * line_h() + 2.0 * VPAD
}

/// The header's laid-out texts and heights.
struct Header {
    groups: Vec<Vec<Line>>,
    columns: Vec<Vec<Line>>,
    numbers: Vec<Vec<Line>>,
    group_h: f32,
    column_h: f32,
    number_h: f32,
}

impl Header {
    fn new(fonts: &Fonts, e: &[f32]) -> Header {
        let w = |r: std::ops::Range<usize>| e[r.end] - e[r.start];
        let groups: Vec<Vec<Line>> = GROUPS
            .iter()
            .map(|(r, t)| cell_lines(fonts, &[vec![bold(*t)]], w(r.clone())))
            .collect();
        let columns: Vec<Vec<Line>> = COLUMNS
            .iter()
            .enumerate()
            .map(|(i, (_, t))| cell_lines(fonts, &[vec![bold(*t)]], w(i..i + 1)))
            .collect();
        let numbers: Vec<Vec<Line>> = (1..=COLUMNS.len())
            .map(|n| cell_lines(fonts, &[vec![ital(format!("({n})"))]], w(n - 1..n)))
            .collect();
        let max = |v: &[Vec<Line>]| v.iter().map(Vec::len).max().unwrap_or(1);
        Header {
            group_h: height(max(&groups)),
            column_h: height(max(&columns[2..])),
            number_h: height(1),
            groups,
            columns,
            numbers,
        }
    }

    fn height(&self) -> f32 {
        self.group_h + self.column_h + self.number_h
    }

    /// Draws the header at (`x`, `top`).
    fn draw(&self, flow: &mut Flow, e: &[f32]) {
        let (page, x, top) = (flow.slot.page, flow.slot.frame.left, flow.y);
        let canvas = &mut *flow.canvas;
        let width = e[e.len() - 1];
        let mid = top - self.group_h;
        let numbers_top = mid - self.column_h;
        let bottom = numbers_top - self.number_h;
        for y in [top, numbers_top, bottom] {
            canvas.line(page, (x, y), (x + width, y), RULE, false);
        }
        canvas.line(page, (x + e[2], mid), (x + width, mid), RULE, false);
        for (i, edge) in e.iter().enumerate() {
            // Inside a group the separators start below its title.
            let inside = GROUPS.iter().any(|(r, _)| i > r.start && i < r.end);
            let from = if inside { mid } else { top };
            canvas.line(page, (x + edge, from), (x + edge, bottom), RULE, false);
        }
        let centred = |lines: &[Line], cell_top: f32, h: f32| {
            cell_top - (h - lines.len() as f32 * line_h()) / 2.0
        };
        for ((r, _), lines) in GROUPS.iter().zip(&self.groups) {
            let w = e[r.end] - e[r.start];
            let t = centred(lines, top, self.group_h);
            draw_lines(canvas, page, x + e[r.start], t, w, lines, Align::Center);
        }
        let mut cell = |i: usize, lines: &[Line], cell_top: f32, h: f32| {
            let t = centred(lines, cell_top, h);
            draw_lines(
                canvas,
                page,
                x + e[i],
                t,
                e[i + 1] - e[i],
                lines,
                Align::Center,
            );
        };
        for (i, lines) in self.columns.iter().enumerate() {
            if i < 2 {
                cell(i, lines, top, self.group_h + self.column_h);
            } else {
                cell(i, lines, mid, self.column_h);
            }
        }
        for (i, lines) in self.numbers.iter().enumerate() {
            cell(i, lines, numbers_top, self.number_h);
        }
        flow.y = bottom;
    }
}

/// Renders Biểu 06.
pub(crate) fn render(fonts: &'static Fonts, d: &ReportData) -> crate::Form {
    let style = Style::A4;
    let agency = Agency::new(fonts, &d.header);
    let e = edges();
    let header = Header::new(fonts, &e);
    let c = |s: &str| clean_with(fonts, s);
    // Each row: the cells' lines; the totals row in bold.
    let mut rows: Vec<Vec<Vec<Line>>> = Vec::new();
    let all = d
        .rows
        .iter()
        .enumerate()
        .map(|(k, r)| (Some(k + 1), r))
        .chain(std::iter::once((None, &d.total)));
    for (n, row) in all {
        let span = |t: String| if n.is_none() { bold(t) } else { reg(t) };
        let mut texts = vec![n.map(|n| n.to_string()).unwrap_or_default(), c(&row.0)];
        texts.extend(row.1.iter().map(u64::to_string));
        rows.push(
            texts
                .into_iter()
                .enumerate()
                .map(|(i, t)| cell_lines(fonts, &[vec![span(t)]], e[i + 1] - e[i]))
                .collect(),
        );
    }

    let mut canvas = crate::canvas::Canvas::new(fonts);
    let mut slots = Slots::new(Paper::A4Landscape);
    {
        let mut flow = Flow::new(&mut canvas, &mut slots, style);
        let width = flow.width();
        let date_line = format_date_line(&agency.place, d.issued_on);
        flow.block(common::header(
            fonts,
            &style,
            width,
            &agency.left_2025(),
            None,
            &date_line,
        ));
        flow.gap(style.body * 0.5);
        let mut title = Block::new(width);
        title.para(fonts, &Para::heading(style.title, 1.17), &[bold(TITLE)]);
        let line = Para::new(style.body, 1.17, Align::Center);
        title.para(
            fonts,
            &line,
            &[reg(format!("Kỳ báo cáo: {}", c(&d.period)))],
        );
        title.para(fonts, &line, &[ital(format!("({})", c(&d.days)))]);
        if let Some(at) = &d.counted_to {
            title.para(fonts, &line, &[bold(c(at))]);
        }
        flow.block(title);
        flow.gap(style.body * 0.4);
        let left = Para::new(style.body, 1.17, Align::Left);
        let mut units = Block::new(width);
        units.para(
            fonts,
            &left,
            &[reg("Đơn vị báo cáo: "), bold(c(&d.reporting_unit))],
        );
        if !d.receiving_unit.trim().is_empty() {
            units.para(
                fonts,
                &left,
                &[reg("Đơn vị nhận báo cáo: "), reg(c(&d.receiving_unit))],
            );
        }
        units.para(fonts, &left, &[ital("Đơn vị tính: Số hồ sơ TTHC")]);
        flow.block(units);
        flow.gap(style.body * 0.4);

        flow.ensure(header.height() + height(2));
        header.draw(&mut flow, &e);
        let mut body_top = flow.y;
        for cells in rows {
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = height(lines);
            if h > flow.remaining() + 0.01 {
                common::column_rules(&mut flow, body_top, &e);
                flow.next_frame();
                header.draw(&mut flow, &e);
                body_top = flow.y;
            }
            let (page, x, top) = (flow.slot.page, flow.slot.frame.left, flow.y);
            for (i, lines) in cells.iter().enumerate() {
                let align = if i == 1 { Align::Left } else { Align::Center };
                draw_lines(
                    flow.canvas,
                    page,
                    x + e[i],
                    top - VPAD,
                    e[i + 1] - e[i],
                    lines,
                    align,
                );
            }
            let bottom = top - h;
            flow.canvas
                .line(page, (x, bottom), (x + e[e.len() - 1], bottom), RULE, false);
            flow.y = bottom;
        }
        common::column_rules(&mut flow, body_top, &e);
        flow.gap(style.para_gap);
        let notes: Vec<&str> = d.notes.iter().map(String::as_str).collect();
        common::footnotes(&mut flow, &style, &notes);
        flow.gap(style.para_gap);
        let maker = Signer::new("NGƯỜI LẬP BIỂU", c(&d.prepared_by));
        let mut head = Signer::new("THỦ TRƯỞNG ĐƠN VỊ", String::new());
        head.note = "(Ký, ghi rõ họ tên và đóng dấu)";
        // A report is signed in less room than a letter: a short one keeps one page.
        let signing = Style {
            sign_space: style.sign_space * 0.5,
            ..style
        };
        common::signatures(&mut flow, &signing, Some(&maker), &head);
    }
    let dated = d.issued_on.and_time(chrono::NaiveTime::MIN);
    canvas.finish(TITLE, dated)
}
