//! Placing content down the page: type sizes per paper size, the writable frame of each
//! page (or half page), blocks that must stay together (headers, signatures), and a flow
//! that breaks to the next frame between lines, never inside one. Frames after the first
//! of a copy get a page number centred in the top margin (NĐ 30: none on page 1).

use crate::canvas::{A4_LONG, A4_SHORT, Canvas, MM};
use crate::font::{Face, Fonts};
use crate::layout::{self, Align, Line, Span};
use printpdf::TextItem;

/// Type sizes (points) and spacing for one paper size.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    /// Body text.
    pub(crate) body: f32,
    /// Header block lines: governing agency, agency, unit, national name.
    pub(crate) header: f32,
    /// The motto "Độc lập - Tự do - Hạnh phúc".
    pub(crate) motto: f32,
    /// Form title.
    pub(crate) title: f32,
    /// Line height as a multiple of the type size.
    pub(crate) spacing: f32,
    /// Extra space between paragraphs.
    pub(crate) para_gap: f32,
    /// First-line indent of body paragraphs.
    pub(crate) indent: f32,
    /// Height left blank for a handwritten signature.
    pub(crate) sign_space: f32,
    /// Side of one QR module.
    pub(crate) qr_module: f32,
    /// Thickness of rules.
    pub(crate) rule: f32,
}

impl Style {
    /// A4 portrait, NĐ 30 sizes: body 13 pt, header 12 pt, motto 13 pt, title 14 pt.
    pub(crate) const A4: Style = Style {
        body: 13.0,
        header: 12.0,
        motto: 13.0,
        title: 14.0,
        spacing: 1.2,
        para_gap: 6.0,
        indent: 10.0 * MM,
        sign_space: 20.0 * MM,
        qr_module: 0.5 * MM,
        rule: 0.6,
    };

    /// A5 half sheet: everything scaled down so a normal receipt fits one half
    /// (body 11 pt).
    pub(crate) const A5: Style = Style {
        body: 11.0,
        header: 10.0,
        motto: 11.0,
        title: 12.0,
        spacing: 1.17,
        para_gap: 1.5,
        indent: 7.0 * MM,
        sign_space: 14.0 * MM,
        qr_module: 0.45 * MM,
        rule: 0.5,
    };

    /// Line height of body text.
    pub(crate) fn body_line(&self) -> f32 {
        layout::line_height(self.body, self.spacing)
    }
}

/// The writable area of a page or half page, in page coordinates (points, y up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Frame {
    pub(crate) left: f32,
    pub(crate) right: f32,
    pub(crate) top: f32,
    pub(crate) bottom: f32,
    /// Top edge of the paper this frame is on (for the page number in the top margin).
    pub(crate) paper_top: f32,
}

impl Frame {
    /// Width of the frame.
    pub(crate) fn width(&self) -> f32 {
        self.right - self.left
    }
}

/// A frame on a given page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    pub(crate) page: usize,
    pub(crate) frame: Frame,
}

/// Paper arrangements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Paper {
    /// A4 portrait pages, NĐ 30 margins: top 20, bottom 20, left 30, right 15 mm.
    A4Portrait,
    /// A4 landscape pages cut into two A5 portrait halves (left half first), margins
    /// inside each half: top 12, bottom 10, left 15, right 10 mm.
    A5Halves,
    /// A4 landscape pages (the ledger), NĐ 30 margins: top 20, bottom 20, left 30,
    /// right 15 mm.
    A4Landscape,
}

/// Hands out frames in order, adding pages as needed.
pub(crate) struct Slots {
    paper: Paper,
    /// Halves used on the current landscape page (A5 only).
    halves_used: usize,
    current: Option<usize>,
}

impl Slots {
    /// Frames on the given paper.
    pub(crate) fn new(paper: Paper) -> Self {
        Self {
            paper,
            halves_used: 2,
            current: None,
        }
    }

    /// The next free frame.
    pub(crate) fn next(&mut self, canvas: &mut Canvas) -> Slot {
        match self.paper {
            Paper::A4Portrait => {
                let page = canvas.add_page(A4_SHORT, A4_LONG);
                Slot {
                    page,
                    frame: Frame {
                        left: 30.0 * MM,
                        right: A4_SHORT - 15.0 * MM,
                        top: A4_LONG - 20.0 * MM,
                        bottom: 20.0 * MM,
                        paper_top: A4_LONG,
                    },
                }
            }
            Paper::A4Landscape => {
                let page = canvas.add_page(A4_LONG, A4_SHORT);
                Slot {
                    page,
                    frame: Frame {
                        left: 30.0 * MM,
                        right: A4_LONG - 15.0 * MM,
                        top: A4_SHORT - 20.0 * MM,
                        bottom: 20.0 * MM,
                        paper_top: A4_SHORT,
                    },
                }
            }
            Paper::A5Halves => {
                let page = match self.current {
                    Some(p) if self.halves_used < 2 => p,
                    _ => {
                        let p = canvas.add_page(A4_LONG, A4_SHORT);
                        let mid = A4_LONG / 2.0;
                        canvas.line(p, (mid, 6.0 * MM), (mid, A4_SHORT - 6.0 * MM), 0.4, true);
                        self.current = Some(p);
                        self.halves_used = 0;
                        p
                    }
                };
                let x0 = self.halves_used as f32 * A4_LONG / 2.0;
                self.halves_used += 1;
                Slot {
                    page,
                    frame: Frame {
                        left: x0 + 15.0 * MM,
                        right: x0 + A4_LONG / 2.0 - 10.0 * MM,
                        top: A4_SHORT - 12.0 * MM,
                        bottom: 10.0 * MM,
                        paper_top: A4_SHORT,
                    },
                }
            }
        }
    }
}

/// Something drawn inside a block, relative to the block's top-left corner (y down).
#[derive(Debug, Clone)]
enum Prim {
    Text {
        face: Face,
        size: f32,
        dx: f32,
        baseline: f32,
        items: Vec<TextItem>,
    },
    Rule {
        dx1: f32,
        dx2: f32,
        dy: f32,
        thickness: f32,
    },
}

/// Content laid out in a fixed width, kept together on one frame.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub(crate) width: f32,
    pub(crate) height: f32,
    prims: Vec<Prim>,
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Para {
    pub(crate) size: f32,
    pub(crate) spacing: f32,
    pub(crate) align: Align,
    /// Indent of the first line.
    pub(crate) first: f32,
    /// Indent of the other lines.
    pub(crate) rest: f32,
    /// Balanced rather than greedy wrapping (headings).
    pub(crate) balanced: bool,
}

impl Para {
    /// Unindented lines aligned as given.
    pub(crate) fn new(size: f32, spacing: f32, align: Align) -> Self {
        Self {
            size,
            spacing,
            align,
            first: 0.0,
            rest: 0.0,
            balanced: false,
        }
    }

    /// Balanced, centred heading lines.
    pub(crate) fn heading(size: f32, spacing: f32) -> Self {
        Self {
            balanced: true,
            ..Self::new(size, spacing, Align::Center)
        }
    }

    /// With the given first-line and following-line indents.
    pub(crate) fn indented(self, first: f32, rest: f32) -> Self {
        Self {
            first,
            rest,
            ..self
        }
    }

    /// Height of one line.
    pub(crate) fn line_height(&self) -> f32 {
        layout::line_height(self.size, self.spacing)
    }

    /// Wraps `spans` in `width`.
    pub(crate) fn wrap(&self, fonts: &Fonts, spans: &[Span], width: f32) -> Vec<Line> {
        if self.balanced {
            layout::wrap_balanced(fonts, spans, self.size, width - self.first)
        } else {
            layout::wrap(
                fonts,
                spans,
                self.size,
                width - self.first,
                width - self.rest,
            )
        }
    }
}

impl Block {
    /// An empty block `width` wide.
    pub(crate) fn new(width: f32) -> Self {
        Self {
            width,
            height: 0.0,
            prims: Vec::new(),
        }
    }

    /// Adds vertical space.
    pub(crate) fn gap(&mut self, h: f32) {
        self.height += h;
    }

    /// Adds one wrapped line (`index` of `count`) at the bottom of the block.
    pub(crate) fn push_line(
        &mut self,
        fonts: &Fonts,
        para: &Para,
        line: &Line,
        index: usize,
        count: usize,
    ) {
        self.push_labelled_line(fonts, para, line, index, count, None);
    }

    /// Like [`Block::push_line`], with an optional regular-face `label` starting at the
    /// given offset and ending before the line's indent ("1.2." of a list item). The label
    /// and the line's first run are one text run with a kern between them, so text
    /// extraction keeps the label with its text instead of seeing a column of numbers.
    pub(crate) fn push_labelled_line(
        &mut self,
        fonts: &Fonts,
        para: &Para,
        line: &Line,
        index: usize,
        count: usize,
        label: Option<(&str, f32)>,
    ) {
        let indent = if index == 0 { para.first } else { para.rest };
        let baseline = self.height + layout::baseline_offset(fonts, para.size, para.spacing);
        let avail = self.width - indent;
        let mut runs = line.runs(avail, para.align, index + 1 == count, para.size);
        if let Some((text, dx)) = label {
            let width = layout::text_width(fonts, Face::Regular, text, para.size);
            let mut items = vec![TextItem::Text(text.to_owned())];
            match runs.first_mut() {
                Some(first) if first.face == Face::Regular => {
                    let gap = indent + first.dx - dx - width;
                    items.push(TextItem::Offset(-gap * 1000.0 / para.size));
                    items.append(&mut first.items);
                    first.items = items;
                    first.dx = dx - indent;
                }
                _ => runs.insert(
                    0,
                    layout::Run {
                        face: Face::Regular,
                        dx: dx - indent,
                        items,
                    },
                ),
            }
        }
        for run in runs {
            self.prims.push(Prim::Text {
                face: run.face,
                size: para.size,
                dx: indent + run.dx,
                baseline,
                items: run.items,
            });
        }
        self.height += para.line_height();
    }

    /// Adds a paragraph. Returns the widths of its lines (for rules under them).
    pub(crate) fn para(&mut self, fonts: &Fonts, para: &Para, spans: &[Span]) -> Vec<f32> {
        let lines = para.wrap(fonts, spans, self.width);
        let count = lines.len();
        for (i, line) in lines.iter().enumerate() {
            self.push_line(fonts, para, line, i, count);
        }
        lines.iter().map(Line::width).collect()
    }

    /// Adds a centred horizontal rule `length` long, `gap_above` below the content.
    pub(crate) fn centred_rule(&mut self, length: f32, gap_above: f32, thickness: f32) {
        let length = length.min(self.width);
        let dx1 = (self.width - length) / 2.0;
        self.height += gap_above;
        self.prims.push(Prim::Rule {
            dx1,
            dx2: dx1 + length,
            dy: self.height,
            thickness,
        });
        self.height += thickness;
    }

    /// Places `other` to the right, `dx` from this block's left edge, both top-aligned.
    pub(crate) fn beside(&mut self, other: Block, dx: f32) {
        for prim in other.prims {
            self.prims.push(match prim {
                Prim::Text {
                    face,
                    size,
                    dx: x,
                    baseline,
                    items,
                } => Prim::Text {
                    face,
                    size,
                    dx: x + dx,
                    baseline,
                    items,
                },
                Prim::Rule {
                    dx1,
                    dx2,
                    dy,
                    thickness,
                } => Prim::Rule {
                    dx1: dx1 + dx,
                    dx2: dx2 + dx,
                    dy,
                    thickness,
                },
            });
        }
        self.width = self.width.max(dx + other.width);
        self.height = self.height.max(other.height);
    }

    /// Places `other` below this block's content, `dx` from its left edge.
    pub(crate) fn below(&mut self, other: Block, dx: f32) {
        let mut shifted = other;
        let dy = self.height;
        for prim in &mut shifted.prims {
            match prim {
                Prim::Text { baseline, .. } => *baseline += dy,
                Prim::Rule { dy: y, .. } => *y += dy,
            }
        }
        shifted.height += dy;
        self.beside(shifted, dx);
    }

    /// Draws the block with its top-left corner at (`x`, `top`).
    pub(crate) fn draw(self, canvas: &mut Canvas, page: usize, x: f32, top: f32) {
        for prim in self.prims {
            match prim {
                Prim::Text {
                    face,
                    size,
                    dx,
                    baseline,
                    items,
                } => canvas.text(page, face, size, x + dx, top - baseline, items),
                Prim::Rule {
                    dx1,
                    dx2,
                    dy,
                    thickness,
                } => canvas.line(
                    page,
                    (x + dx1, top - dy),
                    (x + dx2, top - dy),
                    thickness,
                    false,
                ),
            }
        }
    }
}

/// Content flowing down successive frames.
pub(crate) struct Flow<'a> {
    pub(crate) canvas: &'a mut Canvas,
    slots: &'a mut Slots,
    pub(crate) slot: Slot,
    /// Top of the next thing placed.
    pub(crate) y: f32,
    /// Frames used so far by this flow (1 on the first).
    page_no: usize,
    style: Style,
}

impl<'a> Flow<'a> {
    /// Starts a flow on the next free frame.
    pub(crate) fn new(canvas: &'a mut Canvas, slots: &'a mut Slots, style: Style) -> Self {
        let slot = slots.next(canvas);
        Self {
            canvas,
            slots,
            y: slot.frame.top,
            slot,
            page_no: 1,
            style,
        }
    }

    /// The shared faces.
    pub(crate) fn fonts(&self) -> &'static Fonts {
        self.canvas.fonts()
    }

    /// Width of the current frame.
    pub(crate) fn width(&self) -> f32 {
        self.slot.frame.width()
    }

    /// Whether nothing has been placed on the current frame yet.
    fn at_top(&self) -> bool {
        self.y >= self.slot.frame.top - 0.01
    }

    /// Space left on the current frame.
    pub(crate) fn remaining(&self) -> f32 {
        self.y - self.slot.frame.bottom
    }

    /// Moves to the next frame and numbers it.
    pub(crate) fn next_frame(&mut self) {
        self.slot = self.slots.next(self.canvas);
        self.y = self.slot.frame.top;
        self.page_no += 1;
        let label = self.page_no.to_string();
        let f = self.slot.frame;
        let size = self.style.body;
        let w = layout::text_width(self.fonts(), Face::Regular, &label, size);
        let x = f.left + (f.width() - w) / 2.0;
        // Centred in the top margin, as NĐ 30 places page numbers.
        let baseline = (f.paper_top + f.top) / 2.0 - size * 0.3;
        self.canvas.text(
            self.slot.page,
            Face::Regular,
            size,
            x,
            baseline,
            vec![TextItem::Text(label)],
        );
    }

    /// Makes room for `h` points, moving to the next frame unless the current one is
    /// still empty: nothing would be gained there, so content taller than a whole frame
    /// would overflow it. Only blocks of a few lines (headers, titles, signatures) are
    /// placed whole; paragraphs and lists go line by line.
    pub(crate) fn ensure(&mut self, h: f32) {
        if h > self.remaining() + 0.01 && !self.at_top() {
            self.next_frame();
        }
    }

    /// Vertical space, dropped at the top of a frame.
    pub(crate) fn gap(&mut self, h: f32) {
        if !self.at_top() {
            self.y -= h;
        }
    }

    /// Places a block at the left edge of the frame, on a new frame if it does not fit.
    pub(crate) fn block(&mut self, block: Block) {
        self.ensure(block.height);
        let h = block.height;
        block.draw(self.canvas, self.slot.page, self.slot.frame.left, self.y);
        self.y -= h;
    }

    /// Places a paragraph line by line, breaking frames between lines.
    pub(crate) fn para(&mut self, para: &Para, spans: &[Span]) {
        let fonts = self.fonts();
        let width = self.width();
        let lines = para.wrap(fonts, spans, width);
        let count = lines.len();
        for (i, line) in lines.iter().enumerate() {
            let mut b = Block::new(width);
            b.push_line(fonts, para, line, i, count);
            self.block(b);
        }
    }

    /// Whether `spans` set as a body paragraph fit on one line.
    pub(crate) fn fits_one_body_line(&self, spans: &[Span]) -> bool {
        let s = self.style;
        let para = Para::new(s.body, s.spacing, Align::Justify).indented(s.indent, 0.0);
        para.wrap(self.fonts(), spans, self.width()).len() == 1
    }

    /// A body paragraph: justified, first line indented, followed by the paragraph gap.
    pub(crate) fn body(&mut self, spans: &[Span]) {
        let s = self.style;
        let para = Para::new(s.body, s.spacing, Align::Justify).indented(s.indent, 0.0);
        self.para(&para, spans);
        self.gap(s.para_gap);
    }

    /// A list item: its text starts at `hang` on every line, so the texts of a list line
    /// up; `label` ("1.2.") is right-aligned one space before it (numbers of different
    /// widths end in the same place, and text extraction sees an ordinary space).
    pub(crate) fn item(&mut self, label: &str, spans: &[Span], hang: f32) {
        let s = self.style;
        let fonts = self.fonts();
        let width = self.width();
        let indent = hang
            - layout::text_width(fonts, Face::Regular, label, s.body)
            - layout::text_width(fonts, Face::Regular, " ", s.body);
        let para = Para::new(s.body, s.spacing, Align::Justify).indented(hang, hang);
        let lines = para.wrap(fonts, spans, width);
        let count = lines.len();
        for (i, line) in lines.iter().enumerate() {
            let mut b = Block::new(width);
            let label = (i == 0).then_some((label, indent));
            b.push_labelled_line(fonts, &para, line, i, count, label);
            self.block(b);
        }
    }

    /// Where the texts of a list numbered with `labels` start: after the widest label
    /// and a space.
    pub(crate) fn hang(&self, labels: &[String], indent: f32) -> f32 {
        let fonts = self.fonts();
        let size = self.style.body;
        let widest = labels
            .iter()
            .map(|l| layout::text_width(fonts, Face::Regular, l, size))
            .fold(0.0f32, f32::max);
        indent + widest + layout::text_width(fonts, Face::Regular, " ", size)
    }
}
