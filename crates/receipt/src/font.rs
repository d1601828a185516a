//! The embedded typeface: Liberation Serif 2.1.5 (SIL OFL 1.1, licence in
//! `assets/fonts/LICENSE-OFL.txt`), metric-compatible with Times New Roman, which
//! NĐ 30/2020 prescribes. The faces are parsed once per process and shared; only the
//! glyphs a document uses are embedded (printpdf subsets them on save).

use crate::RenderError;
use printpdf::ParsedFont;
use std::sync::OnceLock;

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Italic.ttf");

/// The three faces the forms use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Face {
    Regular,
    Bold,
    Italic,
}

impl Face {
    /// Every face, in a fixed order (the order fonts are registered in the PDF).
    pub(crate) const ALL: [Face; 3] = [Face::Regular, Face::Bold, Face::Italic];

    fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Italic => 2,
        }
    }

    /// The PDF resource name of the face. printpdf also uses its first six letters as
    /// the subset tag (`XXXXXX+FontName`), which must be six capital letters; fixing it
    /// (instead of printpdf's random id) keeps the output byte-for-byte reproducible.
    pub(crate) fn resource_name(self) -> &'static str {
        match self {
            Face::Regular => "MCSERR",
            Face::Bold => "MCSERB",
            Face::Italic => "MCSERI",
        }
    }

    pub(crate) fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => REGULAR,
            Face::Bold => BOLD,
            Face::Italic => ITALIC,
        }
    }
}

impl From<crate::drawing::FontFace> for Face {
    fn from(f: crate::drawing::FontFace) -> Face {
        match f {
            crate::drawing::FontFace::Regular => Face::Regular,
            crate::drawing::FontFace::Bold => Face::Bold,
            crate::drawing::FontFace::Italic => Face::Italic,
        }
    }
}

impl From<Face> for crate::drawing::FontFace {
    fn from(f: Face) -> crate::drawing::FontFace {
        match f {
            Face::Regular => crate::drawing::FontFace::Regular,
            Face::Bold => crate::drawing::FontFace::Bold,
            Face::Italic => crate::drawing::FontFace::Italic,
        }
    }
}

/// One parsed face plus the metrics layout needs.
pub(crate) struct FaceData {
    /// The parsed face, handed to printpdf for embedding.
    pub(crate) font: ParsedFont,
    units_per_em: i64,
    /// Ascender above the baseline, in ems.
    pub(crate) ascent: f32,
    /// Descender below the baseline, in ems (positive).
    pub(crate) descent: f32,
}

impl FaceData {
    fn parse(face: Face) -> Option<Self> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(face.bytes(), 0, &mut warnings)?;
        let m = &font.pdf_font_metrics;
        let upem = f32::from(m.units_per_em.max(1));
        let ascent = f32::from(m.ascender) / upem;
        let descent = -f32::from(m.descender) / upem;
        Some(Self {
            units_per_em: i64::from(m.units_per_em.max(1)),
            ascent,
            descent,
            font,
        })
    }

    /// The glyph for `c`, if the face has one.
    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        self.font
            .lookup_glyph_index(u32::from(c))
            .filter(|g| *g != 0)
    }

    /// Advance of `c` in thousandths of an em, truncated exactly as printpdf writes the
    /// `/W` widths the viewer will use, so computed positions match the rendered ones.
    pub(crate) fn advance_milli(&self, c: char) -> i64 {
        let gid = self.glyph(c).unwrap_or(0);
        i64::from(self.font.get_horizontal_advance(gid)) * 1000 / self.units_per_em
    }

    /// Width of `text` at `size` points, in points.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let milli: i64 = text.chars().map(|c| self.advance_milli(c)).sum();
        milli as f32 * size / 1000.0
    }
}

/// All faces, parsed.
pub(crate) struct Fonts {
    faces: [FaceData; 3],
}

impl Fonts {
    fn parse() -> Option<Self> {
        Some(Self {
            faces: [
                FaceData::parse(Face::Regular)?,
                FaceData::parse(Face::Bold)?,
                FaceData::parse(Face::Italic)?,
            ],
        })
    }

    /// The data of one face.
    pub(crate) fn face(&self, face: Face) -> &FaceData {
        &self.faces[face.index()]
    }

    /// Whether every face can draw `c`.
    pub(crate) fn covers(&self, c: char) -> bool {
        self.faces.iter().all(|f| f.glyph(c).is_some())
    }
}

static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();

/// The shared, parsed faces (parsed on first use, about a millisecond).
pub(crate) fn fonts() -> Result<&'static Fonts, RenderError> {
    FONTS
        .get_or_init(Fonts::parse)
        .as_ref()
        .ok_or(RenderError::Font)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Vietnamese letter: 12 vowels x 6 tones x 2 cases, plus đ/Đ.
    #[test]
    fn every_face_covers_vietnamese() {
        let fonts = fonts().expect("fonts parse");
        let lower = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
        let upper = lower.to_uppercase();
        assert_eq!(lower.chars().count(), 12 * 6 + 1);
        for c in lower
            .chars()
            .chain(upper.chars())
            .chain("–—“”‘’…/.,:;()".chars())
        {
            assert!(fonts.covers(c), "missing glyph for {c}");
        }
    }

    #[test]
    fn widths_are_times_compatible() {
        let fonts = fonts().expect("fonts parse");
        // Times New Roman: digits are half an em, space a quarter.
        let f = fonts.face(Face::Regular);
        assert_eq!(f.advance_milli('0'), 500);
        assert_eq!(f.advance_milli(' '), 250);
        assert!((f.width("0000", 10.0) - 20.0).abs() < 1e-4);
    }
}
