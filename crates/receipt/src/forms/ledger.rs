//! SỔ THEO DÕI HỒ SƠ (the ledger) for a date range: landscape A4, a ruled table whose
//! two-row header is repeated on every page. Cells wrap their text; a row moves whole to
//! the next page when it does not fit, and only a row taller than a whole page is split,
//! between lines. Pages after the first are numbered at the top centre.
//!
//! The 2025 set (Mẫu 07, docs/forms.md §8 [R-BYT]) has the full common header, "STT",
//! "Tên tổ chức, cá nhân", "Địa chỉ/SĐT", all five result columns grouped under "Nhận và
//! trả kết quả" (spans inferred from the source's cell counts, [U]) and two footnotes.
//! "Quyển số" and the date range under the title are motcua's additions in both sets.

use super::common::{self, Agency, RULE, UNIT};
use crate::RenderError;
use crate::canvas::{Canvas, MM};
use crate::datefmt::{format_cell_date, format_cell_instant, format_date_line};
use crate::flow::{Block, Flow, Paper, Para, Slots, Style};
use crate::font::Fonts;
use crate::layout::{self, Align, Line, Span, bold, ital, reg};
use crate::model::{FormSet, LedgerData, LedgerRow};
use crate::text::{clean_with, upper};

/// Title of the ledger.
pub(crate) const TITLE: &str = "SỔ THEO DÕI HỒ SƠ";
/// Type size in the table.
const SIZE: f32 = 10.0;
/// Line spacing in the table.
const SPACING: f32 = 1.15;
/// Horizontal padding inside a cell.
pub(crate) const HPAD: f32 = 1.2 * MM;
/// Vertical padding inside a cell.
pub(crate) const VPAD: f32 = 2.0;
/// Rows are at least this many lines high, leaving room to sign in "Ký nhận".
const MIN_LINES: usize = 2;

/// The table of one form set: column widths in millimetres (they add up to the 252 mm
/// between NĐ 30 margins), header texts and alignment, and the columns grouped under a
/// second heading row.
struct Spec {
    columns: [(f32, &'static str, Align); 11],
    group: std::ops::Range<usize>,
    group_title: &'static str,
}

/// The 2018 table.
const SPEC_2018: Spec = Spec {
    columns: [
        (10.0, "TT", Align::Center),
        (29.0, "Mã hồ sơ", Align::Left),
        (32.0, "Tên TTHC", Align::Left),
        (28.0, "Tên cá nhân, tổ chức", Align::Left),
        (34.0, "Địa chỉ, SĐT", Align::Left),
        (24.0, "Cơ quan chủ trì giải quyết", Align::Left),
        (20.0, "Nhận hồ sơ", Align::Center),
        (20.0, "Hẹn trả kết quả", Align::Center),
        (20.0, "Trả kết quả", Align::Center),
        (21.0, "Phương thức nhận kết quả", Align::Left),
        (14.0, "Ký nhận", Align::Center),
    ],
    group: 6..9,
    group_title: "Ngày, tháng, năm",
};

/// The 2025 table (Mẫu 07).
const SPEC_2025: Spec = Spec {
    columns: [
        (10.0, "STT", Align::Center),
        (29.0, "Mã hồ sơ", Align::Left),
        (32.0, "Tên TTHC", Align::Left),
        (28.0, "Tên tổ chức, cá nhân", Align::Left),
        (34.0, "Địa chỉ/SĐT", Align::Left),
        (24.0, "Cơ quan chủ trì giải quyết", Align::Left),
        (20.0, "Nhận hồ sơ", Align::Center),
        (20.0, "Hẹn trả kết quả", Align::Center),
        (20.0, "Trả kết quả", Align::Center),
        (21.0, "Phương thức nhận kết quả", Align::Left),
        (14.0, "Ký nhận", Align::Center),
    ],
    group: 6..11,
    group_title: "Nhận và trả kết quả",
};

/// The footnotes of Mẫu 07 [R-BYT].
pub(crate) const NOTES_2025: [&str; 2] = [
    "Sổ theo dõi hồ sơ được lập theo từng lĩnh vực hoặc nhóm lĩnh vực tại Bộ phận Một cửa.",
    "Trường hợp áp dụng Sổ theo dõi hồ sơ điện tử thì theo dõi trực tiếp trên Hệ thống thông tin giải quyết thủ tục hành chính, không cần thực hiện in sổ giấy nhưng phải đảm bảo đầy đủ thông tin theo quy định.",
];

pub(crate) fn line_h() -> f32 {
    layout::line_height(SIZE, SPACING)
}

/// Left edges of the columns (relative to the table) and the total width.
fn edges(spec: &Spec) -> Vec<f32> {
    let mut x = 0.0;
    let mut out = vec![0.0];
    for (w, _, _) in spec.columns {
        x += w * MM;
        out.push(x);
    }
    out
}

/// Lines of a cell: each paragraph wrapped in the cell's inner width.
pub(crate) fn cell_lines(fonts: &Fonts, paras: &[Vec<Span>], width: f32) -> Vec<Line> {
    let inner = width - 2.0 * HPAD;
    paras
        .iter()
        .filter(|p| p.iter().any(|s| !s.text.is_empty()))
        .flat_map(|p| layout::wrap(fonts, p, SIZE, inner, inner))
        .collect()
}

/// Draws `lines` in a cell whose inner top-left is (`x`, `top`).
pub(crate) fn draw_lines(
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
    block.draw(canvas, page, x + HPAD, top);
}

/// The table header, laid out once and drawn at the top of every page.
struct Header {
    spec: &'static Spec,
    cells: Vec<Vec<Line>>,
    group: Vec<Line>,
    group_h: f32,
    height: f32,
}

impl Header {
    fn new(fonts: &Fonts, edges: &[f32], spec: &'static Spec) -> Self {
        let group_range = spec.group.clone();
        let cells: Vec<Vec<Line>> = spec
            .columns
            .iter()
            .enumerate()
            .map(|(i, (_, title, _))| {
                cell_lines(fonts, &[vec![bold(*title)]], edges[i + 1] - edges[i])
            })
            .collect();
        let group_w = edges[group_range.end] - edges[group_range.start];
        let group = cell_lines(fonts, &[vec![bold(spec.group_title)]], group_w);
        let h = |n: usize| n as f32 * line_h() + 2.0 * VPAD;
        let group_h = h(group.len());
        let sub_h = group_range
            .clone()
            .map(|i| h(cells[i].len()))
            .fold(0.0f32, f32::max);
        let full_h = (0..spec.columns.len())
            .filter(|i| !group_range.contains(i))
            .map(|i| h(cells[i].len()))
            .fold(0.0f32, f32::max);
        Self {
            spec,
            height: full_h.max(group_h + sub_h),
            cells,
            group,
            group_h,
        }
    }

    /// Draws the header with its top-left corner at (`x`, `top`); returns its height.
    fn draw(&self, canvas: &mut Canvas, page: usize, x: f32, top: f32, edges: &[f32]) -> f32 {
        let bottom = top - self.height;
        let width = edges[edges.len() - 1];
        canvas.line(page, (x, top), (x + width, top), RULE, false);
        canvas.line(page, (x, bottom), (x + width, bottom), RULE, false);
        let group_range = self.spec.group.clone();
        let (g0, g1) = (edges[group_range.start], edges[group_range.end]);
        let group_bottom = top - self.group_h;
        canvas.line(
            page,
            (x + g0, group_bottom),
            (x + g1, group_bottom),
            RULE,
            false,
        );
        for (i, edge) in edges.iter().enumerate() {
            // Inside the group the separators start below the group heading.
            let from = if i > group_range.start && i < group_range.end {
                group_bottom
            } else {
                top
            };
            canvas.line(page, (x + edge, from), (x + edge, bottom), RULE, false);
        }
        let centred = |lines: &[Line], cell_top: f32, cell_h: f32| {
            cell_top - (cell_h - lines.len() as f32 * line_h()) / 2.0
        };
        for (i, lines) in self.cells.iter().enumerate() {
            let (cell_top, cell_h) = if group_range.contains(&i) {
                (group_bottom, self.height - self.group_h)
            } else {
                (top, self.height)
            };
            let w = edges[i + 1] - edges[i];
            let t = centred(lines, cell_top, cell_h);
            draw_lines(canvas, page, x + edges[i], t, w, lines, Align::Center);
        }
        let t = centred(&self.group, top, self.group_h);
        draw_lines(canvas, page, x + g0, t, g1 - g0, &self.group, Align::Center);
        self.height
    }
}

/// The cells of one row, cleaned and wrapped.
fn row_cells(fonts: &Fonts, row: &LedgerRow, edges: &[f32]) -> Vec<Vec<Line>> {
    let c = |s: &str| clean_with(fonts, s);
    let when = |t: Option<chrono::NaiveDateTime>| t.map(format_cell_instant).unwrap_or_default();
    let texts: [Vec<String>; 11] = [
        vec![c(&row.number)],
        vec![c(&row.code)],
        vec![c(&row.procedure_name)],
        vec![c(&row.applicant_name)],
        vec![c(&row.address), c(&row.phone)],
        vec![c(&row.handling_agency)],
        vec![format_cell_instant(row.received_at)],
        vec![when(row.due_at)],
        vec![when(row.returned_at)],
        vec![c(&row.delivery)],
        Vec::new(),
    ];
    texts
        .iter()
        .enumerate()
        .map(|(i, paras)| {
            let paras: Vec<Vec<Span>> = paras.iter().map(|t| vec![reg(t)]).collect();
            cell_lines(fonts, &paras, edges[i + 1] - edges[i])
        })
        .collect()
}

/// Places the table pages: the header on each, rows kept whole where possible.
struct Table<'f, 'a> {
    flow: &'f mut Flow<'a>,
    header: Header,
    edges: Vec<f32>,
    /// Top of the rows' area on the current page (bottom of the header).
    body_top: f32,
    rows_on_page: usize,
}

impl<'f, 'a> Table<'f, 'a> {
    fn start(flow: &'f mut Flow<'a>, header: Header, edges: Vec<f32>) -> Self {
        let mut t = Self {
            flow,
            header,
            edges,
            body_top: 0.0,
            rows_on_page: 0,
        };
        t.flow
            .ensure(t.header.height + MIN_LINES as f32 * line_h() + 2.0 * VPAD);
        t.draw_header();
        t
    }

    fn draw_header(&mut self) {
        let (page, x, top) = (self.flow.slot.page, self.flow.slot.frame.left, self.flow.y);
        let h = self
            .header
            .draw(self.flow.canvas, page, x, top, &self.edges);
        self.flow.y -= h;
        self.body_top = self.flow.y;
        self.rows_on_page = 0;
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

    /// Draws `count` lines of every cell from `start`, in a band `height` high.
    fn band(&mut self, cells: &[Vec<Line>], start: &[usize], count: usize, height: f32) {
        let (page, x, top) = (self.flow.slot.page, self.flow.slot.frame.left, self.flow.y);
        for (i, lines) in cells.iter().enumerate() {
            let from = start[i].min(lines.len());
            let to = (start[i] + count).min(lines.len());
            let w = self.edges[i + 1] - self.edges[i];
            let align = self.header.spec.columns[i].2;
            let canvas = &mut *self.flow.canvas;
            draw_lines(
                canvas,
                page,
                x + self.edges[i],
                top - VPAD,
                w,
                &lines[from..to],
                align,
            );
        }
        let bottom = top - height;
        let right = x + self.edges[self.edges.len() - 1];
        self.flow
            .canvas
            .line(page, (x, bottom), (right, bottom), RULE, false);
        self.flow.y = bottom;
        self.rows_on_page += 1;
    }

    fn row(&mut self, cells: Vec<Vec<Line>>) {
        let lh = line_h();
        let mut start = vec![0usize; cells.len()];
        let mut first = true;
        loop {
            let left = cells
                .iter()
                .zip(&start)
                .map(|(l, s)| l.len().saturating_sub(*s))
                .max()
                .unwrap_or(0);
            let lines = if first { left.max(MIN_LINES) } else { left };
            let need = lines as f32 * lh + 2.0 * VPAD;
            let avail = self.flow.remaining();
            if need <= avail + 0.01 {
                self.band(&cells, &start, lines, need);
                return;
            }
            let fit = ((avail - 2.0 * VPAD) / lh).floor().max(0.0) as usize;
            if self.rows_on_page == 0 {
                // A fresh page always takes at least one line, so this ends.
                let fit = fit.max(1);
                // Taller than a whole page: split between lines.
                self.band(&cells, &start, fit, fit as f32 * lh + 2.0 * VPAD);
                for s in &mut start {
                    *s += fit;
                }
                first = false;
            }
            self.new_page();
        }
    }

    /// A row spanning the whole table (the "no dossier" note).
    fn note(&mut self, spans: &[Span]) {
        let fonts = self.flow.fonts();
        let width = self.edges[self.edges.len() - 1];
        let lines = layout::wrap(fonts, spans, SIZE, width - 2.0 * HPAD, width - 2.0 * HPAD);
        let height = lines.len() as f32 * line_h() + 2.0 * VPAD;
        let (page, x, top) = (self.flow.slot.page, self.flow.slot.frame.left, self.flow.y);
        draw_lines(
            self.flow.canvas,
            page,
            x,
            top - VPAD,
            width,
            &lines,
            Align::Center,
        );
        let bottom = top - height;
        self.flow
            .canvas
            .line(page, (x, bottom), (x + width, bottom), RULE, false);
        for edge in [0.0, width] {
            self.flow
                .canvas
                .line(page, (x + edge, top), (x + edge, bottom), RULE, false);
        }
        self.flow.y = bottom;
        self.body_top = bottom;
    }
}

/// Renders the ledger.
pub(crate) fn render(
    fonts: &'static Fonts,
    d: &LedgerData,
    set: FormSet,
) -> Result<crate::Form, RenderError> {
    if d.to < d.from {
        return Err(RenderError::DateRange {
            from: d.from,
            to: d.to,
        });
    }
    let style = Style::A4;
    let spec = match set {
        FormSet::Tt03_2025 => &SPEC_2025,
        FormSet::Tt01_2018 => &SPEC_2018,
    };
    let agency = Agency::new(fonts, &d.header);
    let book = clean_with(fonts, &d.book);
    let edges = edges(spec);
    let header = Header::new(fonts, &edges, spec);
    let rows: Vec<Vec<Vec<Line>>> = d.rows.iter().map(|r| row_cells(fonts, r, &edges)).collect();

    let mut canvas = Canvas::new(fonts);
    let mut slots = Slots::new(Paper::A4Landscape);
    {
        let mut flow = Flow::new(&mut canvas, &mut slots, style);
        let width = flow.width();
        match set {
            FormSet::Tt03_2025 => {
                let number = d
                    .number
                    .as_deref()
                    .map(|n| clean_with(fonts, n))
                    .filter(|n| !n.is_empty())
                    .map(|n| format!("Số: {n}"));
                let date_line = format_date_line(&agency.place, d.issued_on);
                let top = common::header(
                    fonts,
                    &style,
                    width,
                    &agency.left_2025(),
                    number.as_deref(),
                    &date_line,
                );
                flow.block(top);
            }
            FormSet::Tt01_2018 => {
                let mut top = Block::new(width * 0.4);
                let head = Para::heading(style.header, 1.17);
                if !agency.parent_name.is_empty() {
                    top.para(fonts, &head, &[reg(upper(&agency.parent_name))]);
                }
                top.para(fonts, &head, &[reg(upper(&agency.name))]);
                let widths = top.para(fonts, &head, &[bold(UNIT)]);
                let widest = widths.iter().copied().fold(0.0f32, f32::max);
                top.centred_rule((widest * 0.4).max(24.0), 2.0, style.rule);
                flow.block(top);
            }
        }
        flow.gap(style.body * 0.5);

        let mut title = Block::new(width);
        title.para(fonts, &Para::heading(style.title, 1.17), &[bold(TITLE)]);
        let line = Para::new(style.body, 1.17, Align::Center);
        if !book.is_empty() {
            title.para(fonts, &line, &[reg(format!("Quyển số: {book}"))]);
        }
        let range = format!(
            "Từ ngày {} đến ngày {}",
            format_cell_date(d.from),
            format_cell_date(d.to)
        );
        title.para(fonts, &line, &[ital(range)]);
        flow.block(title);
        flow.gap(style.body * 0.6);

        let mut table = Table::start(&mut flow, header, edges);
        if rows.is_empty() {
            table.note(&[ital("Không có hồ sơ nào trong khoảng thời gian này.")]);
        }
        for cells in rows {
            table.row(cells);
        }
        table.close_page();
        if set == FormSet::Tt03_2025 {
            flow.gap(style.para_gap * 2.0);
            common::footnotes(&mut flow, &style, &NOTES_2025);
        }
    }
    let dated = d.to.and_time(chrono::NaiveTime::MIN);
    Ok(canvas.finish(TITLE, dated))
}
