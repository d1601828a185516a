//! Pure renderer of the official one-stop forms to PDF bytes, in two form sets.
//!
//! The default is the 2025 set of Thông tư 03/2025/TT-VPCP Phụ lục I: Mẫu 01 GIẤY TIẾP
//! NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ, Mẫu 02 PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ, Mẫu 03
//! PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ, Mẫu 04 PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI
//! GIAN GIẢI QUYẾT, Mẫu 05 THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ (its body unconfirmed), Mẫu 06
//! PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ and Mẫu 07 SỔ THEO DÕI HỒ SƠ. The wording
//! and its sources are in docs/forms.md. [`FormSet::Tt01_2018`] prints the forms as they
//! were under Thông tư 01/2018/TT-VPCP (01, 02, 03, 04 and the ledger).
//!
//! Data in, bytes out: no database, files, printer or clock. Text is set in the embedded
//! Liberation Serif (metric-compatible with Times New Roman, SIL OFL 1.1), subset into
//! each PDF, following the layout rules of NĐ 30/2020 (A4, margins, header block, sizes).
//! The same input always gives the same bytes.

mod canvas;
mod datefmt;
pub mod drawing;
mod flow;
mod font;
mod forms;
mod layout;
mod model;
mod qr;
mod text;

pub use datefmt::{format_date_line, format_date_vi, format_instant_vi};
pub use drawing::Form;
pub use model::{
    AgencyHeader, ApologyData, ControlData, ControlStep, DocumentLine, FormSet, Layout, LedgerData,
    LedgerRow, PartyKind, PersonalDataDossier, PersonalDataLetter, Proxy, ReceiptData, RefusalData,
    ReportData, StopData, StopRequest, SupplementData,
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
pub fn render_receipt(
    data: &ReceiptData,
    layout: Layout,
    set: FormSet,
) -> Result<Form, RenderError> {
    let fonts = font::fonts()?;
    match set {
        FormSet::Tt03_2025 => forms::receipt_2025::render(fonts, data, layout),
        FormSet::Tt01_2018 => forms::receipt::render(fonts, data, layout),
    }
}

/// Mẫu 02, the request to add to or complete a dossier, one A4 copy.
pub fn render_supplement(data: &SupplementData, set: FormSet) -> Result<Form, RenderError> {
    let fonts = font::fonts()?;
    Ok(match set {
        FormSet::Tt03_2025 => forms::letters_2025::supplement(fonts, data),
        FormSet::Tt01_2018 => forms::letters::supplement(fonts, data),
    })
}

/// Mẫu 03, the refusal to receive a dossier, one A4 copy.
pub fn render_refusal(data: &RefusalData, set: FormSet) -> Result<Form, RenderError> {
    let fonts = font::fonts()?;
    Ok(match set {
        FormSet::Tt03_2025 => forms::letters_2025::refusal(fonts, data),
        FormSet::Tt01_2018 => forms::letters::refusal(fonts, data),
    })
}

/// Mẫu 04, the apology for a late result with the new date, one A4 copy: 2025 "PHIẾU XIN
/// LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", 2018 "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT
/// QUẢ".
pub fn render_apology(data: &ApologyData, set: FormSet) -> Result<Form, RenderError> {
    let fonts = font::fonts()?;
    Ok(match set {
        FormSet::Tt03_2025 => forms::letters_2025::apology(fonts, data),
        FormSet::Tt01_2018 => forms::letters::apology(fonts, data),
    })
}

/// Mẫu 05 of the 2025 set, the notice that handling of a dossier stops (withdrawn at the
/// applicant's request, or stopped), one A4 copy. The 2018 set has no such form. Its
/// body is not confirmed by any source (docs/forms.md §6).
pub fn render_stop(data: &StopData) -> Result<Form, RenderError> {
    Ok(forms::letters_2025::stop(font::fonts()?, data))
}

/// Mẫu 06 of the 2025 set, the control slip that follows a dossier through processing
/// (Mẫu 05 of the 2018 set, which motcua never printed), A4, as many pages as the
/// handovers need.
pub fn render_control(data: &ControlData) -> Result<Form, RenderError> {
    Ok(forms::control::render(font::fonts()?, data))
}

/// Biểu 06 (the periodic report on receiving and resolving dossiers), landscape A4, as
/// many pages as the fields need.
pub fn render_report(data: &ReportData) -> Result<Form, RenderError> {
    Ok(forms::report06::render(font::fonts()?, data))
}

/// The ledger (Sổ theo dõi hồ sơ; Mẫu 07 of the 2025 set) for `data.from ..= data.to`,
/// landscape A4, as many pages as the rows need.
pub fn render_ledger(data: &LedgerData, set: FormSet) -> Result<Form, RenderError> {
    forms::ledger::render(font::fonts()?, data, set)
}

/// The answer to a person's request to see their personal data: every dossier that
/// names them, with what it records and what was done to it, A4, as many pages as it
/// needs. The wording is motcua's own (no official form was found).
pub fn render_personal_data(data: &PersonalDataLetter) -> Result<Form, RenderError> {
    Ok(forms::personal_data::render(font::fonts()?, data))
}
