//! The input model: plain data the caller fills from its own records. Nothing is looked
//! up here. Every string is printed as given, after NFC normalisation and whitespace
//! clean-up; an empty string leaves the value after its label blank (the official line
//! is still printed). Times are local Vietnam wall-clock times.
//!
//! One set of structs serves both form sets: fields that only one set prints say so.

use chrono::{NaiveDate, NaiveDateTime};

/// Which official form set to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormSet {
    /// Phụ lục I of Thông tư 03/2025/TT-VPCP (guiding NĐ 118/2025/NĐ-CP): seven forms,
    /// Mẫu 01 to Mẫu 07. The default.
    #[default]
    Tt03_2025,
    /// The forms of Thông tư 01/2018/TT-VPCP as motcua printed them before the 2025 set:
    /// for stations that have not switched yet and for dossiers received before.
    Tt01_2018,
}

/// Whether a party is a person or an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PartyKind {
    /// An individual (cá nhân): the identifier is the personal identification number.
    #[default]
    Person,
    /// An organisation (tổ chức): the identifier is its enterprise/tax code or electronic
    /// identifier, and a person files for it.
    Organisation,
}

/// Someone who files the dossier on another's behalf under an authorisation (2025
/// Mẫu 01: "Trường hợp ủy quyền thì cung cấp thêm thông tin của người ủy quyền…").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Proxy {
    /// Full name (họ và tên).
    pub name: String,
    /// Personal identification number (số định danh cá nhân).
    pub id_number: String,
    /// Address (địa chỉ).
    pub address: String,
    /// Phone number (số điện thoại).
    pub phone: String,
    /// E-mail address.
    pub email: String,
    /// The authorisation document (giấy tờ ủy quyền), e.g. "Giấy ủy quyền ngày 02/3/2026
    /// được UBND xã Đông Sơn chứng thực".
    pub authorisation: String,
}

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
    /// The receiving one-stop unit in normal case (2025 set only): "Trung tâm Phục vụ
    /// hành chính công xã Đông Sơn" or "Bộ phận Tiếp nhận và Trả kết quả …". Printed in
    /// bold capitals under the agency in the header and as written on the forms' unit
    /// line. Empty prints "Bộ phận Tiếp nhận và Trả kết quả".
    pub unit: String,
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
    /// The slip's reference (2025 set only), printed "Số: {number}" in the header, e.g.
    /// "0125/TTPVHCC"; `None` omits the line.
    pub number: Option<String>,
    /// Dossier code (mã hồ sơ), e.g. "000.17.22.H56-210531-0001".
    pub code: String,
    /// The citizen's lookup secret (mã tra cứu), printed next to the QR code.
    pub lookup_secret: String,
    /// Full lookup URL carried by the QR code (with code and secret; no personal data).
    /// Empty omits the QR code but keeps the code and secret in text.
    pub lookup_url: String,
    /// The person or organisation whose dossier it is ("Tiếp nhận hồ sơ của Ông (Bà)/Tổ
    /// chức"; 2018: "Tiếp nhận hồ sơ của").
    pub applicant_name: String,
    /// Person or organisation (2025 set: decides who signs as NGƯỜI NỘP HỒ SƠ).
    pub applicant_kind: PartyKind,
    /// The person who represents an organisation applicant, printed under "NGƯỜI NỘP HỒ
    /// SƠ" when no proxy files (2025 set).
    pub representative: Option<String>,
    /// The dossier's owner (chủ hồ sơ), 2018 set only: printed only when given and
    /// different from the applicant.
    pub owner_name: Option<String>,
    /// The applicant's identifier: personal identification number or an organisation's
    /// code. The 2025 set always prints its line ("Số định danh cá nhân/tổ chức"); the
    /// 2018 set only when given.
    pub id_number: Option<String>,
    /// Who files under an authorisation (2025 set): the authorisation block after the
    /// applicant's phone and e-mail, and the name under "NGƯỜI NỘP HỒ SƠ".
    pub proxy: Option<Proxy>,
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
    /// Number of the slip; `None` omits the line. 2018 set: `Some("15")` prints
    /// "Số: 15/HDHS"; 2025 set: printed as given after "Số: " (e.g. "15/PBS-TTPVHCC").
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
    /// The slip's reference (2025 set only), printed after "Số: " (e.g.
    /// "07/PTC-TTPVHCC"); `None` omits the line.
    pub number: Option<String>,
    /// Date of the slip.
    pub issued_on: NaiveDate,
    /// The applicant ("Tiếp nhận hồ sơ của").
    pub applicant_name: String,
    /// The applicant's identifier (2025 set: "Số định danh cá nhân/tổ chức").
    pub id_number: Option<String>,
    /// The dossier code (2025 set: "Mã hồ sơ (nếu có)").
    pub code: Option<String>,
    /// Name printed under "NGƯỜI NỘP HỒ SƠ" (2025 set: the citizen signs too); may be
    /// empty.
    pub submitter_name: String,
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

/// Mẫu 04: the apology for a late result. 2025: PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN
/// GIẢI QUYẾT; 2018: PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ.
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
    /// The applicant named in the body (2025 set: "của Ông/Bà/Tổ chức {name}").
    pub applicant_name: String,
    /// The applicant's identifier (2025 set: "số định danh").
    pub id_number: Option<String>,
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
    /// The new appointment (the 2025 set prints its date only).
    pub new_due: NaiveDateTime,
    /// Signer's title in capitals, e.g. "CHỦ TỊCH" or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    /// (a line break starts a new line). Empty in the 2025 set prints the form's own
    /// "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ".
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
    /// The ledger's reference (2025 set only), printed after "Số: "; `None` omits it.
    pub number: Option<String>,
    /// Date printed on the header's date line (2025 set).
    pub issued_on: NaiveDate,
    /// Book number (Quyển số); empty omits it.
    pub book: String,
    /// First day of the range (inclusive).
    pub from: NaiveDate,
    /// Last day of the range (inclusive).
    pub to: NaiveDate,
    /// Entries, in the order they are to be printed.
    pub rows: Vec<LedgerRow>,
}

/// Biểu 06, the periodic report on receiving and resolving dossiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportData {
    /// The reporting agency.
    pub header: AgencyHeader,
    /// Date printed on the header's date line.
    pub issued_on: NaiveDate,
    /// "Tháng 11 năm 2026".
    pub period: String,
    /// "Từ ngày 15/10/2026 đến ngày 14/11/2026".
    pub days: String,
    /// For a period not over yet, the moment the figures stand at ("Số liệu tính đến
    /// 10:30 ngày 06/12/2026 (kỳ báo cáo chưa kết thúc)"), printed under the period.
    pub counted_to: Option<String>,
    /// Đơn vị báo cáo.
    pub reporting_unit: String,
    /// Đơn vị nhận báo cáo; empty omits the line.
    pub receiving_unit: String,
    /// One row per field: its name and the counts of columns (3) … (13).
    pub rows: Vec<(String, [u64; 11])>,
    /// The totals row ("Tổng số").
    pub total: (String, [u64; 11]),
    /// How it was counted, printed as the notes.
    pub notes: Vec<String>,
    /// Who prepared it (printed under the left signature); may be empty.
    pub prepared_by: String,
}

/// How a request to stop reached the one-stop unit (2025 Mẫu 05).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopRequest {
    /// The day the request was received.
    pub on: NaiveDate,
    /// How it came, as it reads after "yêu cầu dừng thực hiện thủ tục hành chính":
    /// "trực tiếp" or "qua dịch vụ bưu chính".
    pub channel: String,
}

/// Mẫu 05 (2025): THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ, when a dossier is withdrawn at the
/// applicant's request or its handling is stopped. The form's body is not confirmed in
/// any source (see docs/forms.md §6): the wording is built from TT 03/2025 Điều 7.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopData {
    /// The one-stop unit's agency.
    pub header: AgencyHeader,
    /// The notice's reference, printed after "Số: "; `None` omits the line.
    pub number: Option<String>,
    /// Date of the notice.
    pub issued_on: NaiveDate,
    /// Addressee after "Kính gửi:".
    pub recipient: String,
    /// The applicant ("Hồ sơ của").
    pub applicant_name: String,
    /// The applicant's identifier ("Số định danh cá nhân/tổ chức").
    pub id_number: Option<String>,
    /// Applicant's address.
    pub address: String,
    /// Applicant's phone number.
    pub phone: String,
    /// Applicant's e-mail address.
    pub email: String,
    /// Dossier code.
    pub code: String,
    /// Procedure name ("Nội dung yêu cầu giải quyết").
    pub procedure_name: String,
    /// When the dossier was received.
    pub received_at: NaiveDateTime,
    /// The applicant's request to stop, when the stop is at their request.
    pub request: Option<StopRequest>,
    /// Why handling stops ("Lý do"); may be empty.
    pub reason: String,
    /// What happens to the dossier and to fees paid; empty prints the general sentence
    /// "Việc trả lại hồ sơ và phí, lệ phí đã nộp (nếu có) được thực hiện theo quy định."
    pub disposition: String,
    /// Name printed under the signature.
    pub signer_name: String,
}

/// One handover of the dossier on the control slip (2025 Mẫu 06): a two-row block of
/// the table. Every string may be empty (left for hand entry).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ControlStep {
    /// Who hands over ("1. Giao:").
    pub giver: String,
    /// Who takes it ("2. Nhận:").
    pub receiver: String,
    /// When; `None` prints the blank "….giờ….phút, ngày…../…../……" to fill in by hand.
    pub at: Option<NaiveDateTime>,
    /// "trước hạn", "đúng hạn" or "quá hạn" (Kết quả giải quyết hồ sơ).
    pub result: String,
    /// Ghi chú.
    pub note: String,
    /// Name under "Người giao".
    pub giver_name: String,
    /// Name under "Người nhận".
    pub receiver_name: String,
}

/// Mẫu 06 (2025): PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ, the slip that goes with the
/// dossier through processing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlData {
    /// The receiving agency.
    pub header: AgencyHeader,
    /// The slip's reference, printed after "Số: "; `None` omits the line.
    pub number: Option<String>,
    /// Dossier code ("Mã số hồ sơ").
    pub code: String,
    /// "Cơ quan (bộ phận) giải quyết hồ sơ".
    pub handling_agency: String,
    /// "Cơ quan phối hợp giải quyết hồ sơ"; may be empty.
    pub cooperating_agencies: String,
    /// When the dossier was received ("Ngày nhận"); also dates the slip.
    pub received_at: NaiveDateTime,
    /// The appointment ("Hẹn trả kết quả vào …"), the new one after an extension.
    pub due_at: Option<NaiveDateTime>,
    /// The appointment first given, when the apology (Mẫu 04) gave a new one: motcua's
    /// line under the appointment (not a line of the form).
    pub first_due_at: Option<NaiveDateTime>,
    /// Where the appointment's term came from (motcua's line under the appointment:
    /// the catalogue, the listing's term typed by the clerk, or the clerk's own date);
    /// `None` omits it (dossiers received before it was kept).
    pub term_basis: Option<String>,
    /// Handovers the register knows, in order.
    pub steps: Vec<ControlStep>,
    /// Blank blocks printed after `steps` for hand entry. The first block of the table
    /// always reads "1. Giao: Bộ phận TN&TKQ" when its giver is empty, as on the form.
    pub blank_steps: usize,
}

/// The answer to a person's request to see their personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalDataLetter {
    pub header: AgencyHeader,
    /// When the answer was drawn up (its date line, and the moment the data is given as).
    pub issued_at: NaiveDateTime,
    /// The person's name as the latest dossier records it; empty prints a leader.
    pub recipient: String,
    /// The person's whole ID number (the letter is theirs).
    pub id_number: String,
    /// Every dossier that names the person, oldest first.
    pub dossiers: Vec<PersonalDataDossier>,
    /// Who drew it up, under the signature space.
    pub signer_name: String,
}

/// One dossier of a [`PersonalDataLetter`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalDataDossier {
    pub code: String,
    pub procedure_name: String,
    /// The person's part in it ("người nộp hồ sơ", …).
    pub role: String,
    pub received_at: NaiveDateTime,
    /// The status's label.
    pub status: String,
    /// What the dossier records of the person, label and value, in the form's order.
    pub fields: Vec<(String, String)>,
    /// What was done to it, one line each, oldest first.
    pub history: Vec<String>,
    /// How many access-log entries name it.
    pub accesses: u64,
}
