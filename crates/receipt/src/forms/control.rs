//! Mẫu 06 of the 2025 set: PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ (docs/forms.md §7,
//! [R-BYT]). Five lines about the dossier, then a ruled table of handovers whose header
//! is repeated on every page, then the two footnotes.
//!
//! Each handover is a block of two rows: "1. Giao: … / 2. Nhận: …" spans both rows on
//! the left; the time cell is split below into the "Người giao" and "Người nhận"
//! signature cells; the result and the note span both rows. The conversion of the source
//! lost the spans: this reading is docs/forms.md's, [U] (each source row has four cells,
//! which would also fit "Người giao" under the unit and "Người nhận" under the time).
//! A block taller than a page is split between lines; its signature cells go with its
//! last part.

use super::common::{self, Agency, RULE, field};
use crate::canvas::{Canvas, MM};
use crate::datefmt::{format_cell_date, format_date_line, format_handover, format_instant_vi};
use crate::flow::{Block, Flow, Paper, Para, Slots, Style};
use crate::font::Fonts;
use crate::layout::{self, Align, Line, Span, bold, reg};
use crate::model::{ControlData, ControlStep};
use crate::text::clean_with;

/// Title of the slip.
pub(crate) const TITLE: &str = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ";
/// The giver pre-printed in the first block.
pub(crate) const FIRST_GIVER: &str = "Bộ phận TN&TKQ";
/// The two footnotes [R-BYT].
pub(crate) const NOTES: [&str; 2] = [
    "Kết quả giải quyết hồ sơ do bên nhận nhập thông tin/ghi khi nhận bàn giao hồ sơ.",
    "Việc lưu vết được thực hiện tự động theo chức năng của Hệ thống thông tin giải quyết thủ tục hành chính và thể hiện trên mẫu phiếu điện tử.",
];
/// The time cell left for hand entry.
const BLANK_TIME: &str = "….giờ….phút, ngày…../…../……";
/// Type size in the table.
const SIZE: f32 = 11.0;
/// Line spacing in the table.
const SPACING: f32 = 1.15;
/// Horizontal padding inside a cell.
const HPAD: f32 = 1.2 * MM;
/// Vertical padding inside a cell.
const VPAD: f32 = 2.0;
/// Room for a handwritten signature in "Người giao" / "Người nhận".
const SIGN_SPACE: f32 = 12.0 * MM;
/// Column widths in millimetres (165 mm between the NĐ 30 margins) and header texts.
const COLUMNS: [(f32, &str); 4] = [
    (42.0, "Tên đơn vị"),
    (52.0, "Thời gian giao nhận hồ sơ"),
    (
        38.0,
        "Kết quả giải quyết hồ sơ (trước hạn/đúng hạn/quá hạn)",
    ),
    (33.0, "Ghi chú"),
];

fn line_h() -> f32 {
    layout::line_height(SIZE, SPACING)
}

/// Height of `n` lines with the cell padding.
fn cell_h(n: usize) -> f32 {
    n as f32 * line_h() + 2.0 * VPAD
}

/// Left edges of the columns (relative to the table) and the total width.
fn edges() -> [f32; 5] {
    let mut out = [0.0; 5];
    for (i, (w, _)) in COLUMNS.iter().enumerate() {
        out[i + 1] = out[i] + w * MM;
    }
    out
}

/// Paragraphs wrapped in a cell `width` wide.
fn wrap(fonts: &Fonts, paras: &[Vec<Span>], width: f32) -> Vec<Line> {
    let inner = width - 2.0 * HPAD;
    paras
        .iter()
        .filter(|p| p.iter().any(|s| !s.text.is_empty()))
        .flat_map(|p| layout::wrap(fonts, p, SIZE, inner, inner))
        .collect()
}

/// Draws `lines` in a cell whose top-left corner is (`x`, `top`).
#[allow(clippy::too_many_arguments)]
fn draw_lines(
    canvas: &mut Canvas,
    page: usize,
    x: f32,
    top: f32,
    width: f32,
    lines: &[Line],
    align: Align,
) {
    let fonts = canvas.fonts();
    let para = Para::new(SIZE, SPACING, align);
    let mut block = Block::new(width - 2.0 * HPAD);
    for line in lines {
        block.push_line(fonts, &para, line, 0, 1);
    }
    block.draw(canvas, page, x + HPAD, top - VPAD);
}

/// One handover block laid out: the lines of the four cells and the two signature cells.
struct Laid {
    /// Unit, time, result, note.
    cells: [Vec<Line>; 4],
    /// "Người giao" and "Người nhận" with their names, in half the time column.
    signs: [Vec<Line>; 2],
}

impl Laid {
    fn new(fonts: &Fonts, step: &ControlStep, first: bool, edges: &[f32; 5]) -> Self {
        let c = |s: &str| clean_with(fonts, s);
        let giver = match c(&step.giver) {
            g if g.is_empty() && first => FIRST_GIVER.to_owned(),
            g => g,
        };
        let party = |label: &str, who: String| {
            let mut spans = vec![bold(label)];
            if !who.is_empty() {
                spans.push(reg(format!(" {who}")));
            }
            spans
        };
        let width = |i: usize| edges[i + 1] - edges[i];
        let time = step
            .at
            .map(format_handover)
            .unwrap_or_else(|| BLANK_TIME.to_owned());
        let half = width(1) / 2.0;
        let sign = |label: &str, name: &str| {
            let mut lines = wrap(fonts, &[vec![bold(label)]], half);
            lines.extend(wrap(fonts, &[vec![reg(c(name))]], half));
            lines
        };
        Self {
            cells: [
                wrap(
                    fonts,
                    &[
                        party("1. Giao:", giver),
                        party("2. Nhận:", c(&step.receiver)),
                    ],
                    width(0),
                ),
                wrap(fonts, &[vec![reg(time)]], width(1)),
                wrap(fonts, &[vec![reg(c(&step.result))]], width(2)),
                wrap(fonts, &[vec![reg(c(&step.note))]], width(3)),
            ],
            signs: [
                sign("Người giao", &step.giver_name),
                sign("Người nhận", &step.receiver_name),
            ],
        }
    }

    /// Height of the signature cells: the title, the space to sign, the name.
    fn sign_h(&self) -> f32 {
        let lines = self.signs.iter().map(Vec::len).max().unwrap_or(1);
        cell_h(lines) + SIGN_SPACE
    }
}

/// Places the table: the header on each page, blocks whole where possible.
struct Table<'f, 'a> {
    flow: &'f mut Flow<'a>,
    header: [Vec<Line>; 4],
    header_h: f32,
    edges: [f32; 5],
    /// Top of the blocks' area on the current page (bottom of the header).
    body_top: f32,
    blocks_on_page: usize,
}

impl<'f, 'a> Table<'f, 'a> {
    fn start(flow: &'f mut Flow<'a>) -> Self {
        let fonts = flow.fonts();
        let edges = edges();
        let header: [Vec<Line>; 4] = std::array::from_fn(|i| {
            wrap(fonts, &[vec![bold(COLUMNS[i].1)]], edges[i + 1] - edges[i])
        });
        let header_h = cell_h(header.iter().map(Vec::len).max().unwrap_or(1));
        let mut t = Self {
            flow,
            header,
            header_h,
            edges,
            body_top: 0.0,
            blocks_on_page: 0,
        };
        t.flow.ensure(t.header_h + cell_h(2) + SIGN_SPACE);
        t.draw_header();
        t
    }

    fn draw_header(&mut self) {
        let (page, x, top) = (self.flow.slot.page, self.flow.slot.frame.left, self.flow.y);
        let bottom = top - self.header_h;
        let canvas = &mut *self.flow.canvas;
        let width = self.edges[4];
        canvas.line(page, (x, top), (x + width, top), RULE, false);
        canvas.line(page, (x, bottom), (x + width, bottom), RULE, false);
        for edge in self.edges {
            canvas.line(page, (x + edge, top), (x + edge, bottom), RULE, false);
        }
        for (i, lines) in self.header.iter().enumerate() {
            let w = self.edges[i + 1] - self.edges[i];
            let t = top - (self.header_h - cell_h(lines.len())) / 2.0;
            draw_lines(canvas, page, x + self.edges[i], t, w, lines, Align::Center);
        }
        self.flow.y = bottom;
        self.body_top = bottom;
        self.blocks_on_page = 0;
    }

    /// Closes the current page's rows with the column rules.
    fn close_page(&mut self) {
        common::column_rules(self.flow, self.body_top, &self.edges);
    }

    fn new_page(&mut self) {
        self.close_page();
        self.flow.next_frame();
        self.draw_header();
    }

    /// Draws lines `start[i] .. start[i] + count` of every cell in a band `height` high,
    /// with the signature cells at its foot when `signs`.
    fn band(&mut self, b: &Laid, start: &[usize; 4], count: usize, height: f32, signs: bool) {
        let (page, x, top) = (self.flow.slot.page, self.flow.slot.frame.left, self.flow.y);
        let e = self.edges;
        let bottom = top - height;
        let canvas = &mut *self.flow.canvas;
        for (i, lines) in b.cells.iter().enumerate() {
            let from = start[i].min(lines.len());
            let to = (start[i] + count).min(lines.len());
            let align = if i == 0 || i == 3 {
                Align::Left
            } else {
                Align::Center
            };
            draw_lines(
                canvas,
                page,
                x + e[i],
                top,
                e[i + 1] - e[i],
                &lines[from..to],
                align,
            );
        }
        if signs {
            let sign_top = bottom + b.sign_h();
            let mid = (e[1] + e[2]) / 2.0;
            canvas.line(
                page,
                (x + e[1], sign_top),
                (x + e[2], sign_top),
                RULE,
                false,
            );
            canvas.line(page, (x + mid, sign_top), (x + mid, bottom), RULE, false);
            let half = mid - e[1];
            for (k, lines) in b.signs.iter().enumerate() {
                let left = x + e[1] + k as f32 * half;
                let (title, name) = lines.split_at(1.min(lines.len()));
                draw_lines(canvas, page, left, sign_top, half, title, Align::Center);
                let name_top = sign_top - line_h() - SIGN_SPACE;
                draw_lines(canvas, page, left, name_top, half, name, Align::Center);
            }
        }
        canvas.line(page, (x, bottom), (x + e[4], bottom), RULE, false);
        self.flow.y = bottom;
        self.blocks_on_page += 1;
    }

    fn block(&mut self, b: &Laid) {
        let lh = line_h();
        let mut start = [0usize; 4];
        loop {
            let left = |i: usize| b.cells[i].len().saturating_sub(start[i]);
            let spans = left(0).max(left(2)).max(left(3));
            let need = cell_h(spans).max(cell_h(left(1)) + b.sign_h());
            let avail = self.flow.remaining();
            if need <= avail + 0.01 {
                self.band(b, &start, spans.max(left(1)), need, true);
                return;
            }
            if self.blocks_on_page == 0 {
                // Taller than a whole page: split between lines (a fresh page always
                // takes at least one line, so this ends).
                let fit = (((avail - 2.0 * VPAD) / lh).floor().max(0.0) as usize).max(1);
                self.band(b, &start, fit, cell_h(fit), false);
                for s in &mut start {
                    *s += fit;
                }
            }
            self.new_page();
        }
    }
}

/// Renders the slip.
pub(crate) fn render(fonts: &'static Fonts, d: &ControlData) -> crate::Form {
    let c = |s: &str| clean_with(fonts, s);
    let style = Style::A4;
    let agency = Agency::new(fonts, &d.header);
    let number = d
        .number
        .as_deref()
        .map(c)
        .filter(|n| !n.is_empty())
        .map(|n| format!("Số: {n}"));
    let edges = edges();
    let blanks = std::iter::repeat_n(ControlStep::default(), d.blank_steps);
    let blocks: Vec<Laid> = d
        .steps
        .iter()
        .cloned()
        .chain(blanks)
        .enumerate()
        .map(|(i, s)| Laid::new(fonts, &s, i == 0, &edges))
        .collect();

    let mut canvas = Canvas::new(fonts);
    let mut slots = Slots::new(Paper::A4Portrait);
    {
        let mut flow = Flow::new(&mut canvas, &mut slots, style);
        let date_line = format_date_line(&agency.place, d.received_at.date());
        let header = common::header(
            fonts,
            &style,
            flow.width(),
            &agency.left_2025(),
            number.as_deref(),
            &date_line,
        );
        flow.block(header);
        flow.gap(style.body * 1.2);
        common::title(&mut flow, &style, TITLE, &[]);
        flow.gap(style.body * 0.8);
        flow.body(&field("Mã số hồ sơ", &c(&d.code)));
        flow.body(&field(
            "Cơ quan (bộ phận) giải quyết hồ sơ",
            &c(&d.handling_agency),
        ));
        flow.body(&field(
            "Cơ quan phối hợp giải quyết hồ sơ",
            &c(&d.cooperating_agencies),
        ));
        flow.body(&field("Ngày nhận", &format_cell_date(d.received_at.date())));
        // "Hẹn trả kết quả vào………..giờ…………….phút, ngày……….tháng………năm……………."
        let due = d
            .due_at
            .map(|t| format!(" {}.", format_instant_vi(t)))
            .unwrap_or_default();
        flow.body(&[reg(format!("Hẹn trả kết quả vào{due}"))]);
        if let Some(first) = d.first_due_at {
            flow.body(&field(
                "Đã hẹn lại (Mẫu 04); hẹn ban đầu",
                &c(&format_instant_vi(first)),
            ));
        }
        if let Some(basis) = &d.term_basis {
            flow.body(&field("Căn cứ thời hạn", &c(basis)));
        }
        flow.gap(style.para_gap);

        let mut table = Table::start(&mut flow);
        for b in &blocks {
            table.block(b);
        }
        table.close_page();
        flow.gap(style.para_gap * 2.0);
        common::footnotes(&mut flow, &style, &NOTES);
    }
    canvas.finish(TITLE, d.received_at)
}
