//! A rendered form as what is drawn on each page, besides its PDF bytes: positioned text
//! runs, lines and filled rectangles, in points with the origin at the bottom left as in
//! PDF. A printer that does not read PDF (the Windows print spooler and a GDI laser
//! printer) draws this with the same embedded faces, where every run sits where the
//! PDF has it.

/// One of the embedded faces (Liberation Serif).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FontFace {
    Regular,
    Bold,
    Italic,
}

/// The family name of the embedded faces, as the font files call it.
pub const FONT_FAMILY: &str = "Liberation Serif";

impl FontFace {
    /// Every face.
    pub const ALL: [FontFace; 3] = [FontFace::Regular, FontFace::Bold, FontFace::Italic];

    /// The TrueType file of the face (SIL OFL 1.1).
    pub fn bytes(self) -> &'static [u8] {
        crate::font::Face::from(self).bytes()
    }

    /// How far `c` advances the pen at `size` points, in points, exactly as the PDF's
    /// widths advance it (0 when the embedded faces cannot be read, which no rendered
    /// form gets past).
    pub fn advance(self, c: char, size: f32) -> f32 {
        crate::font::fonts().map_or(0.0, |f| {
            f.face(self.into()).advance_milli(c) as f32 * size / 1000.0
        })
    }
}

/// What is drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum DrawItem {
    /// Text whose baseline starts at (`x`, `y`).
    Text {
        face: FontFace,
        /// Type size in points.
        size: f32,
        x: f32,
        y: f32,
        text: String,
    },
    /// A straight line `width` points thick (dashed: 4 points on, 3 off).
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        dashed: bool,
    },
    /// A black rectangle with its lower left corner at (`x`, `y`).
    Fill { x: f32, y: f32, w: f32, h: f32 },
}

/// One page: its size in points and what is on it.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnPage {
    pub width: f32,
    pub height: f32,
    pub items: Vec<DrawItem>,
}

/// A rendered form: the PDF (kept, sent to CUPS) and the same pages as drawing
/// operations (for a printer that draws). Reads as the PDF's bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub pdf: Vec<u8>,
    pub pages: Vec<DrawnPage>,
}

impl std::ops::Deref for Form {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.pdf
    }
}

impl AsRef<[u8]> for Form {
    fn as_ref(&self) -> &[u8] {
        &self.pdf
    }
}

impl From<Form> for Vec<u8> {
    fn from(f: Form) -> Vec<u8> {
        f.pdf
    }
}
