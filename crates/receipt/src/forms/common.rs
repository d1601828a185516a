//! Pieces shared by the forms: the NĐ 30 header (agency block on the left, national name
//! and motto on the right, then the number and the place-and-date line), the title
//! lines, labelled fields, the signature blocks and the "Ghi chú" footnotes.

use crate::flow::{Block, Flow, Para, Style};
use crate::font::{Face, Fonts};
use crate::layout::{Align, Span, bold, ital, reg, text_width};
use crate::model::AgencyHeader;
use crate::text::{clean_with, upper};

/// The national name (Quốc hiệu).
pub(crate) const NATIONAL_NAME: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// The motto (Tiêu ngữ).
pub(crate) const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
/// The one-stop unit, printed under the agency on the counter's forms.
pub(crate) const UNIT: &str = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ";
/// The one-stop unit in normal case, when the caller names none (2025 set).
pub(crate) const UNIT_DEFAULT: &str = "Bộ phận Tiếp nhận và Trả kết quả";
/// Space between the two header columns.
const GUTTER: f32 = 8.0;
/// Line spacing inside the header and signature blocks.
const TIGHT: f32 = 1.17;

/// The agency header with every string cleaned.
pub(crate) struct Agency {
    pub(crate) parent_name: String,
    pub(crate) name: String,
    pub(crate) place: String,
    /// The one-stop unit in normal case (never empty: [`UNIT_DEFAULT`] stands in).
    pub(crate) unit: String,
}

impl Agency {
    /// Cleans the caller's header.
    pub(crate) fn new(fonts: &Fonts, h: &AgencyHeader) -> Self {
        let unit = clean_with(fonts, &h.unit);
        Self {
            parent_name: clean_with(fonts, &h.parent_name),
            name: clean_with(fonts, &h.name),
            place: clean_with(fonts, &h.place),
            unit: if unit.is_empty() {
                UNIT_DEFAULT.to_owned()
            } else {
                unit
            },
        }
    }

    /// The 2018 left header column: the governing agency and the agency upright, and the
    /// one-stop unit in bold when `unit` (else the agency in bold).
    pub(crate) fn left_2018(&self, unit: Option<&str>) -> HeaderLeft {
        let mut upright = Vec::new();
        if !self.parent_name.is_empty() {
            upright.push(upper(&self.parent_name));
        }
        match unit {
            Some(unit) => {
                upright.push(upper(&self.name));
                HeaderLeft {
                    upright,
                    bold: unit.to_owned(),
                }
            }
            None => HeaderLeft {
                upright,
                bold: upper(&self.name),
            },
        }
    }

    /// The 2025 left header column [R-BYT]: "ĐƠN VỊ CHỦ QUẢN" upright (the agency, e.g.
    /// "ỦY BAN NHÂN DÂN XÃ ĐÔNG SƠN") over "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in bold (the
    /// one-stop unit, e.g. "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ ĐÔNG SƠN"). Reading the
    /// placeholders this way is [U] (docs/forms.md §1); the governing body above the
    /// agency is not printed, the form has two lines.
    pub(crate) fn left_2025(&self) -> HeaderLeft {
        HeaderLeft {
            upright: vec![upper(&self.name)],
            bold: upper(&self.unit),
        }
    }
}

/// The left column of the header: upright lines, then the bold line that the short rule
/// goes under.
pub(crate) struct HeaderLeft {
    pub(crate) upright: Vec<String>,
    pub(crate) bold: String,
}

/// Largest size not above `size` at which `text` fits `width` on one line (never below
/// 7 pt): the national name must not wrap.
fn fit_size(fonts: &Fonts, face: Face, text: &str, size: f32, width: f32) -> f32 {
    let natural = text_width(fonts, face, text, size);
    if natural <= width {
        size
    } else {
        (size * width / natural).max(7.0)
    }
}

/// The header: on the left the `left` column with a short rule under its bold line; on
/// the right the national name and the ruled motto. Below them the optional number
/// ("Số: …") on the left and the italic date line on the right.
pub(crate) fn header(
    fonts: &Fonts,
    style: &Style,
    width: f32,
    left_col: &HeaderLeft,
    number: Option<&str>,
    date_line: &str,
) -> Block {
    let max_right = width * 0.6;
    let nn_size = fit_size(fonts, Face::Bold, NATIONAL_NAME, style.header, max_right);
    let motto_size = fit_size(fonts, Face::Bold, MOTTO, style.motto, max_right);
    let nn_width = text_width(fonts, Face::Bold, NATIONAL_NAME, nn_size);
    let motto_width = text_width(fonts, Face::Bold, MOTTO, motto_size);
    let right_w = (nn_width.max(motto_width) + 2.0).min(max_right);
    let left_w = width - right_w - GUTTER;

    let mut left = Block::new(left_w);
    let head = Para::heading(style.header, TIGHT);
    for line in &left_col.upright {
        left.para(fonts, &head, &[reg(line)]);
    }
    let bold_widths = left.para(fonts, &head, &[bold(&left_col.bold)]);
    // NĐ 30: a rule one third to one half as long as the line above it.
    let widest = bold_widths.iter().copied().fold(0.0f32, f32::max);
    left.centred_rule((widest * 0.4).max(24.0), 2.0, style.rule);

    let mut right = Block::new(right_w);
    right.para(
        fonts,
        &Para::heading(nn_size, TIGHT),
        &[bold(NATIONAL_NAME)],
    );
    right.para(fonts, &Para::heading(motto_size, TIGHT), &[bold(MOTTO)]);
    right.centred_rule(motto_width, 2.0, style.rule);

    let mut block = left;
    block.beside(right, left_w + GUTTER);
    block.gap(style.body * 0.4);

    let line = Para::new(style.body, TIGHT, Align::Center);
    let mut row = Block::new(left_w);
    if let Some(number) = number {
        row.para(fonts, &line, &[reg(number)]);
    }
    let mut date = Block::new(right_w);
    date.para(fonts, &line, &[ital(date_line)]);
    row.beside(date, left_w + GUTTER);
    block.below(row, 0.0);
    block
}

/// The form title in bold capitals, centred, followed by `subtitle` lines (already
/// styled spans, centred).
pub(crate) fn title(flow: &mut Flow, style: &Style, title: &str, subtitles: &[Vec<Span>]) {
    let fonts = flow.fonts();
    let mut b = Block::new(flow.width());
    b.para(fonts, &Para::heading(style.title, TIGHT), &[bold(title)]);
    for spans in subtitles {
        b.para(
            fonts,
            &Para::new(style.body, style.spacing, Align::Center),
            spans,
        );
    }
    flow.block(b);
}

/// "Label: value" as spans; an empty value leaves the label alone with its colon.
pub(crate) fn field(label: &str, value: &str) -> Vec<Span> {
    if value.is_empty() {
        vec![reg(format!("{label}:"))]
    } else {
        vec![reg(format!("{label}: ")), reg(value)]
    }
}

/// Two labelled fields the form sets on one line ("Tiếp nhận hồ sơ của …: … Số định
/// danh …: …"), with a wide gap; on two lines when they do not fit one, so a label never
/// breaks in the middle.
pub(crate) fn pair(flow: &mut Flow, first: Vec<Span>, second: Vec<Span>) {
    let mut one = first.clone();
    one.push(reg(" \u{2003}\u{2003}"));
    one.extend(second.iter().cloned());
    if flow.fits_one_body_line(&one) {
        flow.body(&one);
    } else {
        flow.body(&first);
        flow.body(&second);
    }
}

/// The "Số điện thoại: … Email: …" line, with a wide gap between the two fields.
pub(crate) fn phone_email(phone: &str, email: &str) -> Vec<Span> {
    let mut spans = field("Số điện thoại", phone);
    spans.push(reg(" \u{2003}\u{2003}"));
    spans.extend(field("Email", email));
    spans
}

/// One signature column.
pub(crate) struct Signer {
    /// Title lines in bold capitals ("NGƯỜI NỘP HỒ SƠ").
    pub(crate) title: Vec<String>,
    /// Italic instruction under the title.
    pub(crate) note: &'static str,
    /// The 2025 forms' upright line under the note, "(Chữ ký số của … nếu là biểu mẫu
    /// điện tử)". Printed on paper too: docs/forms.md §9 calls that the conservative
    /// choice; whether paper should carry it is [U].
    pub(crate) digital: Option<&'static str>,
    /// Name printed under the signature space (may be empty).
    pub(crate) name: String,
}

impl Signer {
    /// A signer with the usual note "(Ký và ghi rõ họ tên)".
    pub(crate) fn new(title: &str, name: String) -> Self {
        Self {
            title: vec![title.to_owned()],
            note: "(Ký và ghi rõ họ tên)",
            digital: None,
            name,
        }
    }

    /// The same with the 2025 digital-signature line.
    pub(crate) fn digital(mut self, line: &'static str) -> Self {
        self.digital = Some(line);
        self
    }

    /// The title, the notes and the space to sign.
    fn head(&self, fonts: &Fonts, style: &Style, width: f32) -> Block {
        let mut b = Block::new(width);
        let head = Para::heading(style.body, TIGHT);
        for line in &self.title {
            b.para(fonts, &head, &[bold(line)]);
        }
        b.para(fonts, &head, &[ital(self.note)]);
        if let Some(line) = self.digital {
            b.para(fonts, &head, &[reg(line)]);
        }
        b.gap(style.sign_space);
        b
    }

    /// The column, its name `top` below the column's top.
    fn block(&self, fonts: &Fonts, style: &Style, mut b: Block, top: f32) -> Block {
        b.gap(top - b.height);
        if !self.name.is_empty() {
            b.para(
                fonts,
                &Para::heading(style.body, TIGHT),
                &[bold(&self.name)],
            );
        }
        b
    }
}

/// Signature columns kept together: with `left`, two halves; without, the signer takes
/// the right half (the usual place of the signature on Vietnamese documents). Both names
/// sit on the same line.
pub(crate) fn signatures(flow: &mut Flow, style: &Style, left: Option<&Signer>, right: &Signer) {
    let fonts = flow.fonts();
    let width = flow.width();
    let half = (width - GUTTER) / 2.0;
    let right_head = right.head(fonts, style, half);
    let left_head = left.map(|l| l.head(fonts, style, half));
    let top = right_head
        .height
        .max(left_head.as_ref().map_or(0.0, |b| b.height));
    let mut block = match (left, left_head) {
        (Some(l), Some(head)) => l.block(fonts, style, head, top),
        _ => Block::new(half),
    };
    block.beside(right.block(fonts, style, right_head, top), half + GUTTER);
    flow.block(block);
}

/// The italic "Ghi chú:" of the 2025 forms followed by its dash items, in body size.
pub(crate) fn footnotes(flow: &mut Flow, style: &Style, items: &[&str]) {
    let para = Para::new(style.body, style.spacing, Align::Justify);
    flow.ensure(style.body_line() * 2.0);
    flow.para(&para, &[ital("Ghi chú:")]);
    for item in items {
        flow.para(&para, &[reg(format!("- {item}"))]);
    }
}

/// Width of a table's rules, in points.
pub(crate) const RULE: f32 = 0.5;

/// Draws a table's column rules on the current page, at `edges` (relative to the frame's
/// left), from the top of its body down to where the flow stands: what a page of the
/// table needs before the flow moves to the next one.
pub(crate) fn column_rules(flow: &mut Flow, body_top: f32, edges: &[f32]) {
    let (page, x) = (flow.slot.page, flow.slot.frame.left);
    if flow.y < body_top {
        for edge in edges {
            flow.canvas
                .line(page, (x + edge, body_top), (x + edge, flow.y), RULE, false);
        }
    }
}
