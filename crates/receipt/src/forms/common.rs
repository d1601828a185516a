//! Pieces shared by the forms: the NĐ 30 header (agency block on the left, national name
//! and motto on the right, then the number and the place-and-date line), the title
//! lines, labelled fields and the signature blocks.

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
/// Space between the two header columns.
const GUTTER: f32 = 8.0;
/// Line spacing inside the header and signature blocks.
const TIGHT: f32 = 1.17;

/// The agency header with every string cleaned.
pub(crate) struct Agency {
    pub(crate) parent_name: String,
    pub(crate) name: String,
    pub(crate) place: String,
}

impl Agency {
    /// Cleans the caller's header.
    pub(crate) fn new(fonts: &Fonts, h: &AgencyHeader) -> Self {
        Self {
            parent_name: clean_with(fonts, &h.parent_name),
            name: clean_with(fonts, &h.name),
            place: clean_with(fonts, &h.place),
        }
    }
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

/// The header: on the left the governing agency, the agency and (if given) the unit in
/// bold with a short rule; on the right the national name and the ruled motto. Below
/// them the optional number ("Số: …") on the left and the italic date line on the right.
pub(crate) fn header(
    fonts: &Fonts,
    style: &Style,
    width: f32,
    agency: &Agency,
    unit: Option<&str>,
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
    if !agency.parent_name.is_empty() {
        left.para(fonts, &head, &[reg(upper(&agency.parent_name))]);
    }
    let bold_widths = match unit {
        Some(unit) => {
            left.para(fonts, &head, &[reg(upper(&agency.name))]);
            left.para(fonts, &head, &[bold(unit)])
        }
        None => left.para(fonts, &head, &[bold(upper(&agency.name))]),
    };
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
    /// Name printed under the signature space (may be empty).
    pub(crate) name: String,
}

impl Signer {
    /// A signer with the usual note "(Ký và ghi rõ họ tên)".
    pub(crate) fn new(title: &str, name: String) -> Self {
        Self {
            title: vec![title.to_owned()],
            note: "(Ký và ghi rõ họ tên)",
            name,
        }
    }

    fn block(&self, fonts: &Fonts, style: &Style, width: f32) -> Block {
        let mut b = Block::new(width);
        let head = Para::heading(style.body, TIGHT);
        for line in &self.title {
            b.para(fonts, &head, &[bold(line)]);
        }
        b.para(fonts, &head, &[ital(self.note)]);
        b.gap(style.sign_space);
        if !self.name.is_empty() {
            b.para(fonts, &head, &[bold(&self.name)]);
        }
        b
    }
}

/// Signature columns kept together: with `left`, two halves; without, the signer takes
/// the right half (the usual place of the signature on Vietnamese documents).
pub(crate) fn signatures(flow: &mut Flow, style: &Style, left: Option<&Signer>, right: &Signer) {
    let fonts = flow.fonts();
    let width = flow.width();
    let half = (width - GUTTER) / 2.0;
    let mut block = match left {
        Some(l) => l.block(fonts, style, half),
        None => Block::new(half),
    };
    block.beside(right.block(fonts, style, half), half + GUTTER);
    flow.block(block);
}
