//! Pages under construction and the final save to PDF bytes.
//!
//! Each page keeps its drawing operations and its text operations apart (path operators
//! are not allowed inside a text object) and gets one text object on save. Every text run
//! is placed with an absolute text matrix (`Tm`), never with the relative `Td`.
//!
//! Output is reproducible: fonts are registered under fixed resource names (which also
//! fix the subset tags), the document dates are the form's own date, and the trailer
//! `/ID` that printpdf fills with a random string is replaced by a hash of the file.

use crate::drawing::{DrawItem, DrawnPage, Form};
use crate::font::{Face, Fonts};
use chrono::NaiveDateTime;
use printpdf::{
    Color, CurTransMat, FontId, Greyscale, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode,
    PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt,
    TextItem, TextMatrix, WindingOrder,
};

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;
/// A4 short side, in points.
pub(crate) const A4_SHORT: f32 = 210.0 * MM;
/// A4 long side, in points.
pub(crate) const A4_LONG: f32 = 297.0 * MM;

/// One page being built.
struct PageBuf {
    width: f32,
    height: f32,
    gfx: Vec<Op>,
    text: Vec<Op>,
    /// Face and size last set in the text object, to skip redundant `Tf`.
    font: Option<(Face, f32)>,
    /// Stroke width and dash last set, to skip redundant state changes.
    stroke: Option<(f32, bool)>,
    /// The same page as drawing operations (see [`crate::drawing`]).
    drawn: Vec<DrawItem>,
}

/// The pages of one document.
pub(crate) struct Canvas {
    fonts: &'static Fonts,
    pages: Vec<PageBuf>,
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

impl Canvas {
    /// An empty document using the shared faces.
    pub(crate) fn new(fonts: &'static Fonts) -> Self {
        Self {
            fonts,
            pages: Vec::new(),
        }
    }

    /// The shared faces.
    pub(crate) fn fonts(&self) -> &'static Fonts {
        self.fonts
    }

    /// Appends a page of the given size (points) and returns its index.
    pub(crate) fn add_page(&mut self, width: f32, height: f32) -> usize {
        self.pages.push(PageBuf {
            width,
            height,
            gfx: Vec::new(),
            text: Vec::new(),
            font: None,
            stroke: None,
            drawn: Vec::new(),
        });
        self.pages.len() - 1
    }

    fn page(&mut self, page: usize) -> &mut PageBuf {
        let last = self.pages.len().saturating_sub(1);
        &mut self.pages[page.min(last)]
    }

    /// Draws a run of text with its baseline starting at (`x`, `y`).
    pub(crate) fn text(
        &mut self,
        page: usize,
        face: Face,
        size: f32,
        x: f32,
        y: f32,
        items: Vec<TextItem>,
    ) {
        if items.is_empty() {
            return;
        }
        // Each piece of text at its own place: a justified line's extra spaces are
        // offsets between pieces.
        let fonts = self.fonts;
        let mut at = x;
        let mut drawn = Vec::new();
        for item in &items {
            match item {
                TextItem::Text(t) => {
                    drawn.push(DrawItem::Text {
                        face: face.into(),
                        size,
                        x: at,
                        y,
                        text: t.clone(),
                    });
                    at += fonts.face(face).width(t, size);
                }
                TextItem::Offset(o) => at -= o * size / 1000.0,
                _ => {}
            }
        }
        let p = self.page(page);
        p.drawn.append(&mut drawn);
        if p.font != Some((face, size)) {
            p.text.push(Op::SetFont {
                font: PdfFontHandle::External(FontId(face.resource_name().to_owned())),
                size: Pt(size),
            });
            p.font = Some((face, size));
        }
        p.text.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(x), Pt(y)),
        });
        p.text.push(Op::ShowText { items });
    }

    fn stroke_state(&mut self, page: usize, thickness: f32, dashed: bool) {
        let p = self.page(page);
        if p.stroke == Some((thickness, dashed)) {
            return;
        }
        p.gfx.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        let dash = if dashed {
            LineDashPattern::new(0.0, &[4.0, 3.0])
        } else {
            LineDashPattern::solid()
        };
        p.gfx.push(Op::SetLineDashPattern { dash });
        p.stroke = Some((thickness, dashed));
    }

    /// Draws a straight line.
    pub(crate) fn line(
        &mut self,
        page: usize,
        from: (f32, f32),
        to: (f32, f32),
        thickness: f32,
        dashed: bool,
    ) {
        self.stroke_state(page, thickness, dashed);
        self.page(page).drawn.push(DrawItem::Line {
            from,
            to,
            width: thickness,
            dashed,
        });
        self.page(page).gfx.push(Op::DrawLine {
            line: Line {
                points: vec![point(from.0, from.1), point(to.0, to.1)],
                is_closed: false,
            },
        });
    }

    /// Fills cells of a grid in black as one path (no hairline seams between touching
    /// cells, which matters for QR codes). Cells are `(column, row, width)` runs in grid
    /// units with row 0 at the bottom; the grid's origin is (`x`, `y`) and one unit is
    /// `unit` points. Integer coordinates under a `cm` scale keep the stream small.
    pub(crate) fn fill_grid(
        &mut self,
        page: usize,
        x: f32,
        y: f32,
        unit: f32,
        cells: &[(u16, u16, u16)],
    ) {
        if cells.is_empty() {
            return;
        }
        let rings = cells
            .iter()
            .map(|&(col, row, w)| {
                let (x0, y0) = (f32::from(col), f32::from(row));
                let x1 = x0 + f32::from(w);
                PolygonRing {
                    points: vec![
                        point(x0, y0),
                        point(x1, y0),
                        point(x1, y0 + 1.0),
                        point(x0, y0 + 1.0),
                    ],
                }
            })
            .collect();
        let p = self.page(page);
        p.drawn
            .extend(cells.iter().map(|&(col, row, w)| DrawItem::Fill {
                x: x + f32::from(col) * unit,
                y: y + f32::from(row) * unit,
                w: f32::from(w) * unit,
                h: unit,
            }));
        p.gfx.push(Op::SaveGraphicsState);
        p.gfx.push(Op::SetTransformationMatrix {
            matrix: CurTransMat::Raw([unit, 0.0, 0.0, unit, x, y]),
        });
        p.gfx.push(Op::SetFillColor {
            col: Color::Greyscale(Greyscale::new(0.0, None)),
        });
        p.gfx.push(Op::DrawPolygon {
            polygon: Polygon {
                rings,
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
        p.gfx.push(Op::RestoreGraphicsState);
    }

    /// How many pages have been drawn on.
    pub(crate) fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Serialises the document. `dated` is the form's own local (UTC+7) date and time,
    /// used as the PDF creation date so the bytes do not depend on the clock.
    pub(crate) fn finish(self, title: &str, dated: NaiveDateTime) -> Form {
        let mut doc = PdfDocument::new(title);
        let utc_seconds = dated.and_utc().timestamp() - 7 * 3600;
        if let Ok(when) = printpdf::OffsetDateTime::from_unix_timestamp(utc_seconds) {
            doc.metadata.info.creation_date = when;
            doc.metadata.info.modification_date = when;
            doc.metadata.info.metadata_date = when;
        }
        doc.metadata.info.producer = "motcua-receipt".to_owned();
        doc.metadata.info.creator = "motcua".to_owned();
        for face in Face::ALL {
            doc.resources.fonts.map.insert(
                FontId(face.resource_name().to_owned()),
                PdfFont::new(self.fonts.face(face).font.clone()),
            );
        }
        let mut drawn = Vec::with_capacity(self.pages.len());
        doc.pages = self
            .pages
            .into_iter()
            .map(|p| {
                drawn.push(DrawnPage {
                    width: p.width,
                    height: p.height,
                    items: p.drawn,
                });
                let mut ops = p.gfx;
                if !p.text.is_empty() {
                    ops.reserve(p.text.len() + 2);
                    ops.push(Op::StartTextSection);
                    ops.extend(p.text);
                    ops.push(Op::EndTextSection);
                }
                PdfPage::new(Mm(p.width / MM), Mm(p.height / MM), ops)
            })
            .collect();
        let options = PdfSaveOptions {
            // Streams are deflated below at a faster level than printpdf's (level 9).
            optimize: false,
            subset_fonts: true,
            secure: true,
            image_optimization: None,
        };
        let mut warnings = Vec::new();
        let mut lo = printpdf::to_lopdf_doc(&doc, &options, &mut warnings);
        deflate_streams(&mut lo);
        let mut bytes = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = lo.save_to(&mut bytes);
        fix_document_id(&mut bytes);
        Form {
            pdf: bytes,
            pages: drawn,
        }
    }
}

/// zlib level for content and font streams. printpdf (through lopdf) always uses 9, which
/// measured 58 % of a receipt's render time. Measured on Mẫu 01 A4x2: level 9 6.5 ms and
/// 55.1 KB, level 6 5.1 ms and 55.0 KB, level 3 4.1 ms and 55.9 KB, level 1 3.2 ms and
/// 61.4 KB (over the 60 KB budget).
const DEFLATE_LEVEL: u32 = 3;

/// Deflates every stream that has no filter yet, keeping it raw when that is not smaller.
fn deflate_streams(doc: &mut lopdf::Document) {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut enc =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(DEFLATE_LEVEL));
        let Ok(packed) = enc.write_all(&stream.content).and_then(|()| enc.finish()) else {
            continue;
        };
        if packed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
}

/// 64-bit FNV-1a, stable across Rust versions (unlike `DefaultHasher`).
fn fnv1a(seed: u64, parts: &[&[u8]]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for part in parts {
        for b in *part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// Replaces the two random 32-character strings of the trailer `/ID [(…)(…)]` with a
/// hash of the rest of the file, in place (same length, so the xref stays valid). Leaves
/// the bytes alone if the trailer does not look as expected.
fn fix_document_id(bytes: &mut [u8]) {
    const KEY: &[u8] = b"/ID";
    let Some(at) = bytes.windows(KEY.len()).rposition(|w| w == KEY) else {
        return;
    };
    let mut strings = Vec::new();
    let mut i = at + KEY.len();
    while strings.len() < 2 && i < bytes.len() {
        match bytes[i] {
            b'(' => {
                let Some(len) = bytes[i + 1..].iter().position(|b| *b == b')') else {
                    return;
                };
                strings.push((i + 1, len));
                i += len + 2;
            }
            b'[' | b' ' | b'\n' | b'\r' => i += 1,
            _ => return,
        }
    }
    if strings.len() != 2 || strings.iter().any(|(_, len)| *len != 32) {
        return;
    }
    let (first, second) = (strings[0], strings[1]);
    let digest = {
        let parts: [&[u8]; 2] = [&bytes[..first.0], &bytes[second.0 + second.1..]];
        format!("{:016x}{:016x}", fnv1a(1, &parts), fnv1a(2, &parts))
    };
    for (start, len) in [first, second] {
        bytes[start..start + len].copy_from_slice(digest.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_id_is_replaced_in_place() {
        let mut b = b"trailer\n<</ID[(ABCDEFGHIJABCDEFGHIJABCDEFGHIJAB)(ABCDEFGHIJABCDEFGHIJABCDEFGHIJAC)]/Root 1 0 R>>".to_vec();
        let len = b.len();
        fix_document_id(&mut b);
        assert_eq!(b.len(), len);
        let s = String::from_utf8(b).expect("ascii");
        assert!(!s.contains("ABCDEFGHIJ"), "{s}");
        let id = &s[s.find("[(").expect("id") + 2..][..32];
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
