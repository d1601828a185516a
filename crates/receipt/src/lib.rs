//! Pure renderer of the official one-stop forms to PDF bytes: Mẫu 01 (GIẤY TIẾP NHẬN HỒ
//! SƠ VÀ HẸN TRẢ KẾT QUẢ), Mẫu 02 (PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ), Mẫu 03 (PHIẾU
//! TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ), Mẫu 05 (PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ)
//! and the SỔ THEO DÕI HỒ SƠ (ledger).
//!
//! Data in, bytes out: no database, files, printer or clock. Text is set in the embedded
//! Liberation Serif (metric-compatible with Times New Roman, SIL OFL 1.1), subset into
//! each PDF, following the layout rules of NĐ 30/2020 (A4, margins, header block, sizes).
//! The same input always gives the same bytes.

mod canvas;
mod datefmt;
mod flow;
mod font;
mod forms;
mod layout;
mod model;
mod qr;
mod text;

pub use datefmt::{format_date_line, format_date_vi, format_instant_vi};
pub use model::{
    AgencyHeader, ApologyData, DocumentLine, Layout, LedgerData, LedgerRow, ReceiptData,
    RefusalData, SupplementData,
};
pub use text::unsupported_characters;

/// Why a form could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The embedded typeface could not be parsed (a broken build, not bad input).
    #[error("the embedded font could not be parsed")]
    Font,
    /// The lookup URL could not be encoded as a QR code (far too long).
    #[error("the lookup URL cannot be encoded as a QR code: {0}")]
    Qr(String),
    /// The ledger's date range ends before it starts.
    #[error("the ledger range ends ({to}) before it starts ({from})")]
    DateRange {
        /// First day asked for.
        from: chrono::NaiveDate,
        /// Last day asked for.
        to: chrono::NaiveDate,
    },
}

/// Mẫu 01, the receipt and appointment slip, in two copies ("Liên 1: Lưu" and
/// "Liên 2: Giao người nộp") arranged as `layout` says.
pub fn render_receipt(data: &ReceiptData, layout: Layout) -> Result<Vec<u8>, RenderError> {
    forms::receipt::render(font::fonts()?, data, layout)
}

/// Mẫu 02, the request to add to or complete a dossier, one A4 copy.
pub fn render_supplement(data: &SupplementData) -> Result<Vec<u8>, RenderError> {
    Ok(forms::letters::supplement(font::fonts()?, data))
}

/// Mẫu 03, the refusal to receive a dossier, one A4 copy.
pub fn render_refusal(data: &RefusalData) -> Result<Vec<u8>, RenderError> {
    Ok(forms::letters::refusal(font::fonts()?, data))
}

/// Mẫu 05, the apology with a new appointment, one A4 copy.
pub fn render_apology(data: &ApologyData) -> Result<Vec<u8>, RenderError> {
    Ok(forms::letters::apology(font::fonts()?, data))
}

/// The ledger (Sổ theo dõi hồ sơ) for `data.from ..= data.to`, landscape A4, as many
/// pages as the rows need.
pub fn render_ledger(data: &LedgerData) -> Result<Vec<u8>, RenderError> {
    forms::ledger::render(font::fonts()?, data)
}
