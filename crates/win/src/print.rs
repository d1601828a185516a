//! Printing on Windows: the spooler's printers, and a form drawn on one with GDI.
//!
//! A counter's printer is whatever the commune bought: often a laser printer whose
//! driver reads no PDF, and Windows has no `lp`. So the form is not handed over as a PDF;
//! its pages are drawn on the printer's device context, each text run with the faces the
//! PDF embeds (added to this process only, with `AddFontMemResourceEx`) at the place the
//! PDF has it, every glyph advanced as the PDF advances it (`ExtTextOutW` with the
//! widths), so the paper says what the kept PDF says, line for line. The paper is asked
//! for as A4, portrait or landscape as the form's pages are.
#![allow(unsafe_code)]

use std::io;

use motcua_receipt::drawing::{DrawItem, DrawnPage, FONT_FAMILY, FontFace};
use windows_sys::Win32::Foundation::{HANDLE, POINT, RECT};
use windows_sys::Win32::Graphics::Gdi::{self as gdi, DEVMODEW, HDC, HFONT, HGDIOBJ};
use windows_sys::Win32::Graphics::Printing as spool;
use windows_sys::Win32::Storage::Xps::{AbortDoc, DOCINFOW, EndDoc, EndPage, StartDocW, StartPage};

use crate::wide;

/// A dash of a dashed line, and the gap after it, in points.
const DASH: (f32, f32) = (4.0, 3.0);

/// The printers the spooler knows: local ones and connections to shared ones.
pub fn printers() -> io::Result<Vec<String>> {
    let flags = spool::PRINTER_ENUM_LOCAL | spool::PRINTER_ENUM_CONNECTIONS;
    let (mut needed, mut count) = (0u32, 0u32);
    // SAFETY: a null buffer of size 0 asks only for the size needed, written to `needed`.
    unsafe {
        spool::EnumPrintersW(
            flags,
            std::ptr::null(),
            4,
            std::ptr::null_mut(),
            0,
            &mut needed,
            &mut count,
        )
    };
    if needed == 0 {
        return Ok(Vec::new());
    }
    // PRINTER_INFO_4W holds pointers: the buffer must be aligned for them.
    let mut buf = vec![0usize; (needed as usize).div_ceil(size_of::<usize>())];
    // SAFETY: `buf` is writable for `needed` bytes (rounded up) and suitably aligned.
    let ok = unsafe {
        spool::EnumPrintersW(
            flags,
            std::ptr::null(),
            4,
            buf.as_mut_ptr().cast(),
            needed,
            &mut needed,
            &mut count,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    let infos = buf.as_ptr().cast::<spool::PRINTER_INFO_4W>();
    Ok((0..count as usize)
        // SAFETY: the call wrote `count` PRINTER_INFO_4W at the start of `buf`, whose
        // strings point into `buf`, which is alive.
        .map(|i| unsafe { wide::read((*infos.add(i)).pPrinterName) })
        .filter(|n| !n.is_empty())
        .collect())
}

/// The user's default printer, if one is set.
pub fn default_printer() -> io::Result<Option<String>> {
    let mut len = 0u32;
    // SAFETY: a null buffer asks for the length needed (with the NUL), written to `len`.
    unsafe { spool::GetDefaultPrinterW(std::ptr::null_mut(), &mut len) };
    if len == 0 {
        return Ok(None);
    }
    let mut buf = vec![0u16; len as usize];
    // SAFETY: `buf` holds `len` units, as `len` says.
    if unsafe { spool::GetDefaultPrinterW(buf.as_mut_ptr(), &mut len) } == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the call wrote a NUL-terminated name into `buf`.
    let name = unsafe { wide::read(buf.as_ptr()) };
    Ok(Some(name).filter(|n| !n.is_empty()))
}

/// Draws `pages` on `printer`, `copies` times (each copy a whole set, in order), as one
/// spooler job named `title`. Returns the spooler's job id.
pub fn print(printer: &str, pages: &[DrawnPage], copies: u32, title: &str) -> io::Result<u32> {
    let Some(first) = pages.first() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "biểu mẫu không có trang nào",
        ));
    };
    let fonts = PrivateFonts::add()?;
    let dc = PrinterDc::open(printer, first.width > first.height)?;
    let page = Geometry::of(&dc);
    let title = wide::nul_terminated(title);
    let info = DOCINFOW {
        cbSize: size_of::<DOCINFOW>() as i32,
        lpszDocName: title.as_ptr(),
        ..Default::default()
    };
    // SAFETY: `dc` is a live printer DC; `info` and its name outlive the call.
    let job = unsafe { StartDocW(dc.0, &info) };
    if job <= 0 {
        return Err(step("StartDoc"));
    }
    let drawn = (|| {
        for _ in 0..copies.clamp(1, 99) {
            for p in pages {
                // SAFETY: `dc` is a live printer DC inside a document.
                if unsafe { StartPage(dc.0) } <= 0 {
                    return Err(step("StartPage"));
                }
                draw(&dc, &page, p)?;
                // SAFETY: as above, inside the page just started.
                if unsafe { EndPage(dc.0) } <= 0 {
                    return Err(step("EndPage"));
                }
            }
        }
        Ok(())
    })();
    match drawn {
        Ok(()) => {
            // SAFETY: `dc` is inside the document started above.
            if unsafe { EndDoc(dc.0) } <= 0 {
                return Err(step("EndDoc"));
            }
        }
        Err(e) => {
            // SAFETY: as above; the spooler drops the half-drawn job.
            unsafe { AbortDoc(dc.0) };
            return Err(e);
        }
    }
    drop(fonts);
    Ok(job as u32)
}

/// The last Windows error, saying which call failed.
fn step(call: &str) -> io::Error {
    let e = io::Error::last_os_error();
    io::Error::new(e.kind(), format!("{call}: {e}"))
}

/// The embedded faces, added for this process only while a form is drawn.
struct PrivateFonts(Vec<HANDLE>);

impl PrivateFonts {
    fn add() -> io::Result<Self> {
        let mut handles = Vec::new();
        for face in FontFace::ALL {
            let bytes = face.bytes();
            let mut count = 0u32;
            // SAFETY: `bytes` is a whole TrueType file of `len` bytes, alive for the
            // program; GDI copies it.
            let h = unsafe {
                gdi::AddFontMemResourceEx(
                    bytes.as_ptr().cast(),
                    bytes.len() as u32,
                    std::ptr::null(),
                    (&raw mut count).cast_const(),
                )
            };
            if h.is_null() {
                let e = step("AddFontMemResourceEx");
                drop(PrivateFonts(handles));
                return Err(e);
            }
            handles.push(h);
        }
        Ok(PrivateFonts(handles))
    }
}

impl Drop for PrivateFonts {
    fn drop(&mut self) {
        for h in self.0.drain(..) {
            // SAFETY: `h` came from AddFontMemResourceEx and is removed once.
            unsafe { gdi::RemoveFontMemResourceEx(h) };
        }
    }
}

/// A device context on a printer, deleted when dropped.
struct PrinterDc(HDC);

impl PrinterDc {
    /// A DC on `printer` with its default settings, the paper asked for as A4.
    fn open(printer: &str, landscape: bool) -> io::Result<Self> {
        let name = wide::nul_terminated(printer);
        let mode = a4_mode(&name, landscape);
        let driver = wide::nul_terminated("WINSPOOL");
        let mode_ptr = mode
            .as_ref()
            .map_or(std::ptr::null(), |m| m.as_ptr().cast::<DEVMODEW>());
        // SAFETY: the strings are NUL-terminated and alive; `mode_ptr` is null or a whole
        // DEVMODEW (with the driver's private part) the driver itself filled in.
        let dc =
            unsafe { gdi::CreateDCW(driver.as_ptr(), name.as_ptr(), std::ptr::null(), mode_ptr) };
        if dc.is_null() {
            let e = io::Error::last_os_error();
            return Err(io::Error::new(
                e.kind(),
                format!("không mở được máy in «{printer}» ({e})"),
            ));
        }
        Ok(PrinterDc(dc))
    }
}

impl Drop for PrinterDc {
    fn drop(&mut self) {
        // SAFETY: the DC came from CreateDCW and is deleted once.
        unsafe { gdi::DeleteDC(self.0) };
    }
}

/// The printer's default DEVMODE with the paper set to A4 and the orientation to the
/// form's, as the driver merges them; `None` when the driver gives none (the DC then
/// takes the printer's defaults). Kept as `usize`s so the structure is aligned.
fn a4_mode(name: &[u16], landscape: bool) -> Option<Vec<usize>> {
    let mut handle = spool::PRINTER_HANDLE::default();
    // SAFETY: `name` is NUL-terminated; the handle is written on success.
    if unsafe { spool::OpenPrinterW(name.as_ptr(), &mut handle, std::ptr::null()) } == 0 {
        return None;
    }
    let mode = (|| {
        // SAFETY: `handle` is open; fMode 0 asks for the size of the DEVMODE.
        let size = unsafe {
            spool::DocumentPropertiesW(
                std::ptr::null_mut(),
                handle,
                name.as_ptr(),
                std::ptr::null_mut(),
                std::ptr::null(),
                0,
            )
        };
        let size = usize::try_from(size)
            .ok()
            .filter(|&s| s >= size_of::<DEVMODEW>())?;
        let mut buf = vec![0usize; size.div_ceil(size_of::<usize>())];
        let mode = buf.as_mut_ptr().cast::<DEVMODEW>();
        // SAFETY: `buf` holds `size` bytes, aligned; the driver writes its DEVMODE there.
        let got = unsafe {
            spool::DocumentPropertiesW(
                std::ptr::null_mut(),
                handle,
                name.as_ptr(),
                mode,
                std::ptr::null(),
                gdi::DM_OUT_BUFFER,
            )
        };
        if got < 0 {
            return None;
        }
        // SAFETY: `mode` points at the DEVMODEW the driver just wrote; the paper fields
        // are the printer variant of its first union, as for every printer.
        unsafe {
            let paper = &mut (*mode).Anonymous1.Anonymous1;
            paper.dmPaperSize = gdi::DMPAPER_A4 as i16;
            paper.dmOrientation = if landscape {
                gdi::DMORIENT_LANDSCAPE
            } else {
                gdi::DMORIENT_PORTRAIT
            } as i16;
            (*mode).dmFields |= gdi::DM_PAPERSIZE | gdi::DM_ORIENTATION;
        }
        // SAFETY: in and out are the same whole DEVMODE; the driver merges the change.
        let merged = unsafe {
            spool::DocumentPropertiesW(
                std::ptr::null_mut(),
                handle,
                name.as_ptr(),
                mode,
                mode,
                gdi::DM_IN_BUFFER | gdi::DM_OUT_BUFFER,
            )
        };
        (merged >= 0).then_some(buf)
    })();
    // SAFETY: `handle` was opened above and is closed once.
    unsafe { spool::ClosePrinter(handle) };
    mode
}

/// Where a point of the form lands on the printer: its resolution and the offset of the
/// printable area from the sheet's corner, in device units.
struct Geometry {
    dpi: (f32, f32),
    offset: (f32, f32),
}

impl Geometry {
    fn of(dc: &PrinterDc) -> Self {
        // SAFETY: `dc` is a live DC; GetDeviceCaps only reads.
        let cap = |i: u32| unsafe { gdi::GetDeviceCaps(dc.0, i as i32) } as f32;
        Geometry {
            dpi: (
                cap(gdi::LOGPIXELSX).max(72.0),
                cap(gdi::LOGPIXELSY).max(72.0),
            ),
            offset: (cap(gdi::PHYSICALOFFSETX), cap(gdi::PHYSICALOFFSETY)),
        }
    }

    /// A point of a page `height` points tall (origin bottom left) in device units
    /// (origin at the printable area's top left).
    fn at(&self, height: f32, x: f32, y: f32) -> (i32, i32) {
        (
            (x * self.dpi.0 / 72.0 - self.offset.0).round() as i32,
            ((height - y) * self.dpi.1 / 72.0 - self.offset.1).round() as i32,
        )
    }

    /// A length along x in device units.
    fn dx(&self, points: f32) -> f32 {
        points * self.dpi.0 / 72.0
    }
}

/// Draws one page's items.
fn draw(dc: &PrinterDc, g: &Geometry, page: &DrawnPage) -> io::Result<()> {
    let mut fonts = FontCache::default();
    // SAFETY: `dc` is live; these set how text is placed and that its background is left.
    unsafe {
        gdi::SetTextAlign(dc.0, gdi::TA_BASELINE | gdi::TA_LEFT | gdi::TA_NOUPDATECP);
        gdi::SetBkMode(dc.0, gdi::TRANSPARENT as i32);
    }
    let result = page.items.iter().try_for_each(|item| match item {
        DrawItem::Text {
            face,
            size,
            x,
            y,
            text,
        } => {
            let font = fonts.get(g, *face, *size)?;
            text_run(dc, g, page.height, font, *face, *size, (*x, *y), text)
        }
        DrawItem::Line {
            from,
            to,
            width,
            dashed,
        } => {
            line(dc, g, page.height, *from, *to, *width, *dashed);
            Ok(())
        }
        DrawItem::Fill { x, y, w, h } => {
            let (l, t) = g.at(page.height, *x, *y + *h);
            let (r, b) = g.at(page.height, *x + *w, *y);
            let rect = RECT {
                left: l,
                top: t,
                right: r.max(l + 1),
                bottom: b.max(t + 1),
            };
            // SAFETY: `dc` is live; the stock black brush needs no deleting.
            unsafe { gdi::FillRect(dc.0, &rect, gdi::GetStockObject(gdi::BLACK_BRUSH)) };
            Ok(())
        }
    });
    fonts.release(dc);
    result
}

/// One text run at its baseline, each glyph advanced by the embedded face's own width.
#[allow(clippy::too_many_arguments)]
fn text_run(
    dc: &PrinterDc,
    g: &Geometry,
    height: f32,
    font: HFONT,
    face: FontFace,
    size: f32,
    at: (f32, f32),
    text: &str,
) -> io::Result<()> {
    let (x, y) = g.at(height, at.0, at.1);
    let units: Vec<u16> = text.encode_utf16().collect();
    // Advances in device units, rounded from the running total so nothing drifts.
    let mut dx = Vec::with_capacity(units.len());
    let (mut total, mut placed) = (0.0f32, 0i32);
    for c in text.chars() {
        total += g.dx(face.advance(c, size));
        let next = total.round() as i32;
        dx.push(next - placed);
        placed = next;
        if c.len_utf16() == 2 {
            dx.push(0);
        }
    }
    // SAFETY: `dc` is live; the font was made for it; `units` and `dx` have the same
    // length, as ExtTextOutW reads one advance per UTF-16 unit.
    let ok = unsafe {
        gdi::SelectObject(dc.0, font as HGDIOBJ);
        gdi::ExtTextOutW(
            dc.0,
            x,
            y,
            0,
            std::ptr::null(),
            units.as_ptr(),
            units.len() as u32,
            dx.as_ptr(),
        )
    };
    if ok == 0 {
        return Err(step("ExtTextOut"));
    }
    Ok(())
}

/// A solid or dashed line.
#[allow(clippy::too_many_arguments)]
fn line(
    dc: &PrinterDc,
    g: &Geometry,
    height: f32,
    from: (f32, f32),
    to: (f32, f32),
    width: f32,
    dashed: bool,
) {
    let pen_width = g.dx(width).round().max(1.0) as i32;
    // SAFETY: `dc` is live; the pen is selected, used, put back and deleted here.
    unsafe {
        let pen = gdi::CreatePen(gdi::PS_SOLID, pen_width, 0);
        let old = gdi::SelectObject(dc.0, pen as HGDIOBJ);
        let segment = |a: (f32, f32), b: (f32, f32)| {
            let (ax, ay) = g.at(height, a.0, a.1);
            let (bx, by) = g.at(height, b.0, b.1);
            let mut prev = POINT { x: 0, y: 0 };
            gdi::MoveToEx(dc.0, ax, ay, &mut prev);
            gdi::LineTo(dc.0, bx, by);
        };
        if dashed {
            let len = ((to.0 - from.0).powi(2) + (to.1 - from.1).powi(2)).sqrt();
            let mut s = 0.0;
            while s < len {
                let e = (s + DASH.0).min(len);
                let p = |t: f32| {
                    (
                        from.0 + (to.0 - from.0) * t / len,
                        from.1 + (to.1 - from.1) * t / len,
                    )
                };
                segment(p(s), p(e));
                s += DASH.0 + DASH.1;
            }
        } else {
            segment(from, to);
        }
        gdi::SelectObject(dc.0, old);
        gdi::DeleteObject(pen as HGDIOBJ);
    }
}

/// The fonts made for a page, by face and size.
#[derive(Default)]
struct FontCache(Vec<(FontFace, u32, HFONT)>);

impl FontCache {
    fn get(&mut self, g: &Geometry, face: FontFace, size: f32) -> io::Result<HFONT> {
        let key = size.to_bits();
        if let Some(&(_, _, f)) = self.0.iter().find(|(f, k, _)| *f == face && *k == key) {
            return Ok(f);
        }
        let family = wide::nul_terminated(FONT_FAMILY);
        let em = -((size * g.dpi.1 / 72.0).round() as i32);
        let weight = if face == FontFace::Bold {
            gdi::FW_BOLD
        } else {
            gdi::FW_NORMAL
        };
        // SAFETY: `family` is NUL-terminated and alive; the font is deleted in `release`.
        let font = unsafe {
            gdi::CreateFontW(
                em,
                0,
                0,
                0,
                weight as i32,
                u32::from(face == FontFace::Italic),
                0,
                0,
                gdi::DEFAULT_CHARSET as u32,
                gdi::OUT_TT_ONLY_PRECIS as u32,
                gdi::CLIP_DEFAULT_PRECIS as u32,
                gdi::DEFAULT_QUALITY as u32,
                (gdi::VARIABLE_PITCH | gdi::FF_ROMAN) as u32,
                family.as_ptr(),
            )
        };
        if font.is_null() {
            return Err(step("CreateFont"));
        }
        self.0.push((face, key, font));
        Ok(font)
    }

    /// Puts the DC's own font back and deletes the ones made.
    fn release(&mut self, dc: &PrinterDc) {
        // SAFETY: the stock font needs no deleting; each made font is deselected first,
        // then deleted once.
        unsafe {
            gdi::SelectObject(dc.0, gdi::GetStockObject(gdi::SYSTEM_FONT));
            for (_, _, f) in self.0.drain(..) {
                gdi::DeleteObject(f as HGDIOBJ);
            }
        }
    }
}
