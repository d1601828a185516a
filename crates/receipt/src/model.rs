//! The input model: plain data the caller fills from its own records. Nothing is looked
//! up here. Every string is printed as given, after NFC normalisation and whitespace
//! clean-up; an empty string leaves the value after its label blank (the official line
//! is still printed). Times are local Vietnam wall-clock times.

use chrono::{NaiveDate, NaiveDateTime};

/// The issuing agency, printed in the top-left header block of every form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgencyHeader {
    /// Governing agency (cơ quan chủ quản) in normal case, e.g. "Ủy ban nhân dân tỉnh
    /// Thanh Hóa". Printed in capitals on the first header line; empty omits the line.
    pub parent_name: String,
    /// The agency in normal case, e.g. "Ủy ban nhân dân xã Đông Sơn". Printed in capitals
    /// in the header and as written inside sentences ("Bộ phận tiếp nhận và trả kết quả
    /// Ủy ban nhân dân xã Đông Sơn").
    pub name: String,
    /// Place name that opens the date line, e.g. "Đông Sơn" gives
    /// "Đông Sơn, ngày 05 tháng 3 năm 2026".
    pub place: String,
}

/// How the two copies (liên) of the receipt are arranged on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Each copy on its own A4 portrait page (a copy with a very long document list
    /// continues on further pages). Body text 13 pt.
    #[default]
    A4x2,
    /// Both copies on one landscape A4 sheet, each on an A5 portrait half, with a dashed
    /// cut line between them. Body text 11 pt. A copy that does not fit its half continues
    /// on the next half (then on further sheets).
    A5x2,
}

/// One document handed in (a line of "Thành phần hồ sơ nộp gồm").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLine {
    /// Name of the document, e.g. "Tờ khai đăng ký khai sinh".
    pub name: String,
    /// Form of the copy: "Bản chính", "Bản sao", "Bản sao chứng thực", ...
    pub kind: String,
    /// Number of copies of this document.
    pub count: u32,
}

/// Mẫu 01: GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptData {
    /// The receiving agency.
    pub header: AgencyHeader,
    /// Dossier code (mã hồ sơ), e.g. "000.17.22.H56-210531-0001".
    pub code: String,
    /// The citizen's lookup secret (mã tra cứu), printed next to the QR code.
    pub lookup_secret: String,
    /// Full lookup URL carried by the QR code (with code and secret; no personal data).
    /// Empty omits the QR code but keeps the code and secret in text.
    pub lookup_url: String,
    /// The person handing the dossier in ("Tiếp nhận hồ sơ của").
    pub applicant_name: String,
    /// The dossier's owner (chủ hồ sơ); printed only when given and different from the
    /// applicant.
    pub owner_name: Option<String>,
    /// CCCD / personal identification number; printed only when given.
    pub id_number: Option<String>,
    /// Applicant's address.
    pub address: String,
    /// Applicant's phone number.
    pub phone: String,
    /// Applicant's e-mail address.
    pub email: String,
    /// Procedure name ("Nội dung yêu cầu giải quyết").
    pub procedure_name: String,
    /// Documents handed in, in order.
    pub documents: Vec<DocumentLine>,
    /// Number of sets (số lượng hồ sơ, bộ).
    pub sets: u32,
    /// Statutory processing time as text, e.g. "03 ngày làm việc" or "trong ngày".
    pub statutory_time: String,
    /// When the dossier was received; also dates the slip.
    pub received_at: NaiveDateTime,
    /// Appointment for the result; `None` leaves line 5 blank.
    pub due_at: Option<NaiveDateTime>,
    /// Where the result will be received ("Đăng ký nhận kết quả tại").
    pub result_delivery: String,
    /// Ledger book number (Quyển số).
    pub ledger_book: String,
    /// Entry number in the ledger book (Số thứ tự).
    pub ledger_entry: String,
    /// Name of the receiving clerk, printed under "NGƯỜI TIẾP NHẬN HỒ SƠ".
    pub clerk_name: String,
}

/// Mẫu 02: PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplementData {
    /// The agency issuing the request.
    pub header: AgencyHeader,
    /// Number of the slip: `Some("15")` prints "Số: 15/HDHS"; `None` omits the line.
    pub number: Option<String>,
    /// Dossier code when the dossier already has one; printed under the title.
    pub code: Option<String>,
    /// Date of the slip.
    pub issued_on: NaiveDate,
    /// The applicant ("Hồ sơ của").
    pub applicant_name: String,
    /// Procedure name ("Nội dung yêu cầu giải quyết").
    pub procedure_name: String,
    /// Applicant's address.
    pub address: String,
    /// Applicant's phone number.
    pub phone: String,
    /// Applicant's e-mail address.
    pub email: String,
    /// What must be added or completed, one item per entry (numbered on the slip).
    pub items: Vec<String>,
    /// Reason ("Lý do").
    pub reason: String,
    /// Officer to contact with questions.
    pub contact_name: String,
    /// That officer's phone number.
    pub contact_phone: String,
    /// Name printed under "NGƯỜI HƯỚNG DẪN".
    pub guide_name: String,
}

/// Mẫu 03: PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusalData {
    /// The receiving agency.
    pub header: AgencyHeader,
    /// Date of the slip.
    pub issued_on: NaiveDate,
    /// The applicant ("Tiếp nhận hồ sơ của").
    pub applicant_name: String,
    /// Applicant's address.
    pub address: String,
    /// Applicant's phone number.
    pub phone: String,
    /// Applicant's e-mail address.
    pub email: String,
    /// Procedure name ("Nội dung yêu cầu giải quyết").
    pub procedure_name: String,
    /// The specific reason for refusing the dossier.
    pub reason: String,
    /// Name printed under "NGƯỜI TIẾP NHẬN HỒ SƠ".
    pub clerk_name: String,
}

/// Mẫu 05: PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApologyData {
    /// The agency that is late (it signs the apology).
    pub header: AgencyHeader,
    /// Document number: `Some("07/XL-UBND")` prints "Số: 07/XL-UBND"; `None` omits it.
    pub number: Option<String>,
    /// Date of the letter.
    pub issued_on: NaiveDate,
    /// Addressee after "Kính gửi:", e.g. "Ông Nguyễn Văn An".
    pub recipient: String,
    /// When the dossier was received.
    pub received_at: NaiveDateTime,
    /// Procedure name.
    pub procedure_name: String,
    /// Dossier code.
    pub code: String,
    /// The original appointment.
    pub original_due: NaiveDateTime,
    /// Why the result is late.
    pub reason: String,
    /// The new appointment.
    pub new_due: NaiveDateTime,
    /// Signer's title in capitals, e.g. "CHỦ TỊCH" or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    /// (a line break starts a new line).
    pub signer_title: String,
    /// Signer's name.
    pub signer_name: String,
}

/// One dossier in the ledger (Sổ theo dõi hồ sơ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// Entry number in the book (TT / số thứ tự).
    pub number: String,
    /// Dossier code.
    pub code: String,
    /// Procedure name (Tên TTHC).
    pub procedure_name: String,
    /// Individual or organisation (Tên cá nhân, tổ chức).
    pub applicant_name: String,
    /// Address (first line of "Địa chỉ, SĐT").
    pub address: String,
    /// Phone number (second line of "Địa chỉ, SĐT").
    pub phone: String,
    /// Agency in charge of the decision (Cơ quan chủ trì giải quyết).
    pub handling_agency: String,
    /// When the dossier was received.
    pub received_at: NaiveDateTime,
    /// Appointment for the result.
    pub due_at: Option<NaiveDateTime>,
    /// When the result was handed over, if it was.
    pub returned_at: Option<NaiveDateTime>,
    /// How the result is received (Phương thức nhận kết quả), e.g. "Trực tiếp".
    pub delivery: String,
}

/// The ledger (Sổ theo dõi hồ sơ) for a date range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerData {
    /// The receiving agency.
    pub header: AgencyHeader,
    /// Book number (Quyển số); empty omits it.
    pub book: String,
    /// First day of the range (inclusive).
    pub from: NaiveDate,
    /// Last day of the range (inclusive).
    pub to: NaiveDate,
    /// Entries, in the order they are to be printed.
    pub rows: Vec<LedgerRow>,
}
