//! The lookup QR code, drawn as filled rectangles (one per horizontal run of dark
//! modules, all in one path) with the 4-module quiet zone left white.

use crate::RenderError;
use crate::canvas::Canvas;
use qrcode::{Color, EcLevel, QrCode};

/// Modules of white border the QR standard asks for on each side.
pub(crate) const QUIET: usize = 4;

/// An encoded QR symbol.
pub(crate) struct Qr {
    width: usize,
    dark: Vec<bool>,
}

impl Qr {
    /// Encodes `data` with error correction level M (15 % damage tolerated: smudges,
    /// folds, a ballpoint signature crossing it).
    /// Text beyond ASCII (the Vietnamese of a QR that carries the codes as words) is
    /// marked UTF-8 with an ECI designator: without it readers guess the charset, and
    /// guess Shift JIS.
    pub(crate) fn encode(data: &str) -> Result<Self, RenderError> {
        let code = if data.is_ascii() {
            QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        } else {
            utf8(data)
        }
        .map_err(|e| RenderError::Qr(e.to_string()))?;
        Ok(Self {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }
}

/// The smallest symbol holding `data` as UTF-8 bytes behind ECI 26 (UTF-8).
fn utf8(data: &str) -> Result<QrCode, qrcode::types::QrError> {
    use qrcode::bits::Bits;
    use qrcode::types::{QrError, Version};
    for v in 1..=40 {
        let mut bits = Bits::new(Version::Normal(v));
        let fits = bits
            .push_eci_designator(26)
            .and_then(|()| bits.push_byte_data(data.as_bytes()))
            .and_then(|()| bits.push_terminator(EcLevel::M));
        match fits {
            Ok(()) => return QrCode::with_bits(bits, EcLevel::M),
            Err(QrError::DataTooLong) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(QrError::DataTooLong)
}

impl Qr {
    /// Side of the symbol including its quiet zone, at `module` points per module.
    pub(crate) fn side(&self, module: f32) -> f32 {
        (self.width + 2 * QUIET) as f32 * module
    }

    /// Draws the symbol with the top-left corner of its quiet zone at (`x`, `top`).
    pub(crate) fn draw(&self, canvas: &mut Canvas, page: usize, x: f32, top: f32, module: f32) {
        let n = self.width;
        let mut cells = Vec::new();
        for row in 0..n {
            let dark = &self.dark[row * n..(row + 1) * n];
            let mut col = 0;
            while col < n {
                if !dark[col] {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < n && dark[col] {
                    col += 1;
                }
                // A symbol is at most 177 modules wide, so these fit in u16.
                let to_u16 = |v: usize| u16::try_from(v).unwrap_or(u16::MAX);
                cells.push((to_u16(start), to_u16(n - 1 - row), to_u16(col - start)));
            }
        }
        let origin_x = x + QUIET as f32 * module;
        let origin_y = top - (QUIET + n) as f32 * module;
        canvas.fill_grid(page, origin_x, origin_y, module, &cells);
    }
}
