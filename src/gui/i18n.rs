//! Every string a clerk sees in the window, Vietnamese first. Fixed strings are the
//! variants of [`T`] with their text in one exhaustive `match` (a string added without its
//! text does not compile); strings with values are the functions below.

use chrono::{Datelike, NaiveDateTime};
use motcua_core::calendar::weekday_vi;

/// A fixed string of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T {
    WindowTitle,
    Loading,
    // Screens.
    TabReceive,
    TabRegister,
    TabReturns,
    TabSync,
    TabSettings,
    Soon,
    AdminOnly,
    // First-run setup.
    SetupTitle,
    SetupIntro,
    AgencyId,
    AgencyIdHint,
    AgencyName,
    AgencyNameHint,
    ParentName,
    ParentNameHint,
    StationNo,
    StationNoHint,
    AdminSection,
    Username,
    FullName,
    Password,
    PasswordConfirm,
    SetupSubmit,
    SetupWorking,
    // Login and lock.
    LoginTitle,
    LoginSubmit,
    Checking,
    LockTitle,
    LockIntro,
    Unlock,
    // Receive.
    Procedure,
    ProcedureHint,
    NoProcedure,
    SuggestionHint,
    TermUnconfirmed,
    Applicant,
    IdNumber,
    Phone,
    Email,
    Address,
    OwnerName,
    ApplicantKind,
    ChoicePerson,
    ChoiceOrganisation,
    OrgName,
    OrgCode,
    Representative,
    ProxySection,
    ProxyName,
    ProxyAuthorisation,
    ProxyLabel,
    CaseLabel,
    CaseField,
    TermField,
    TermHint,
    TermChoiceField,
    NoStatutoryTerm,
    AppointmentField,
    AppointmentHint,
    FrequentHint,
    MarksField,
    MarksHint,
    NoneMarked,
    DocConditional,
    DocPresented,
    TermBasis,
    TermBasisUnknown,
    Channel,
    ChoiceDirect,
    ChoicePostal,
    Delivery,
    ChoiceCounter,
    ChoicePost,
    AtCounter,
    ByPost,
    PostAddress,
    Fee,
    Sets,
    Note,
    Documents,
    DocumentsHint,
    DocumentsEmpty,
    Copies,
    AddDocument,
    Due,
    NoDue,
    SaveAndPrint,
    Saving,
    ClearForm,
    ConfirmClear,
    Reprint,
    ControlSlip,
    SavedTitle,
    DossierCode,
    LookupSecret,
    PrintOpened,
    FixFields,
    NotSaved,
    DraftKept,
    // Register and dossier.
    FilterAll,
    FilterOverdue,
    FilterDueSoon,
    RegisterSearch,
    FromDate,
    ToDate,
    ProcedureCode,
    Counting,
    OpenDossier,
    PrintLedger,
    SaveLedger,
    RegisterKeys,
    ReceivedAt,
    Status,
    NewDueFormat,
    Overdue,
    Back,
    ReceivingClerk,
    ChannelLabel,
    DeliveryLabel,
    LedgerEntry,
    Journal,
    FromUpstream,
    Actions,
    NoTransition,
    ApologyAction,
    SupplementTitle,
    SupplementReason,
    SupplementExtra,
    RefuseTitle,
    RefuseReason,
    HandBackTitle,
    Recipient,
    DelayReason,
    NewDue,
    Confirm,
    Cancel,
    ApologyDone,
    // Returns.
    ReturnsSearch,
    HandBackHint,
    ReturnsKeys,
    // Sync.
    Syncing,
    SyncNow,
    RecoverNow,
    EnrollTitle,
    EnrollHint,
    HubUrl,
    EnrollToken,
    CaFile,
    CaFileHint,
    Enroll,
    NotEnrolled,
    EnrollHowTo,
    SyncNeedsEnrolment,
    Connection,
    LastSuccess,
    Never,
    Pending,
    Quarantined,
    ClockOffset,
    QuarantineTitle,
    ConflictsTitle,
    // Settings.
    YearFormat,
    SettingsValues,
    SystemPrinters,
    DefaultMark,
    NoPrinters,
    HolidaysTitle,
    Year,
    Unconfirmed,
    ImportSchedule,
    ImportScheduleHint,
    AccountsTitle,
    RoleAdmin,
    RoleClerk,
    Active,
    Inactive,
    ResetPassword,
    Deactivate,
    Reactivate,
    Resetting,
    ResetWho,
    ToggleWho,
    AccountWhoHint,
    AddAccount,
    RoleChoice,
    BackupTitle,
    BackupFile,
    BackupHint,
    StationTitle,
    LayoutPreview,
    // Status bar.
    SyncNotEnrolled,
    Shortcuts,
}

impl T {
    /// The text.
    pub const fn vi(self) -> &'static str {
        match self {
            T::WindowTitle => "motcua — Tiếp nhận hồ sơ một cửa",
            T::Loading => "Đang mở dữ liệu của quầy…",
            T::TabReceive => "F1 Tiếp nhận",
            T::TabRegister => "F2 Tra cứu",
            T::TabReturns => "F3 Trả kết quả",
            T::TabSync => "F4 Đồng bộ",
            T::TabSettings => "F5 Thiết lập",
            T::Soon => "Màn hình này sắp có. Nhấn F1 để về màn hình Tiếp nhận.",
            T::AdminOnly => "Chỉ quản trị viên mới dùng được màn hình Thiết lập.",
            T::SetupTitle => "Thiết lập quầy lần đầu",
            T::SetupIntro => {
                "Máy này chưa được thiết lập. Nhập thông tin cơ quan và tài khoản quản trị đầu tiên; Enter để sang ô tiếp theo."
            }
            T::AgencyId => "Mã định danh cơ quan",
            T::AgencyIdHint => "ví dụ 000.17.22.H56",
            T::AgencyName => "Tên cơ quan",
            T::AgencyNameHint => "ví dụ UBND xã Tân Lập",
            T::ParentName => "Tên cơ quan cấp trên",
            T::ParentNameHint => "ví dụ UBND tỉnh Thanh Hóa",
            T::StationNo => "Số quầy (1–9)",
            T::StationNoHint => "mỗi quầy của cùng cơ quan một số riêng",
            T::AdminSection => "Tài khoản quản trị",
            T::Username => "Tên đăng nhập",
            T::FullName => "Họ và tên",
            T::Password => "Mật khẩu (ít nhất 8 ký tự)",
            T::PasswordConfirm => "Nhập lại mật khẩu",
            T::SetupSubmit => "Thiết lập quầy (Enter)",
            T::SetupWorking => "Đang thiết lập…",
            T::LoginTitle => "Đăng nhập",
            T::LoginSubmit => "Đăng nhập (Enter)",
            T::Checking => "Đang kiểm tra…",
            T::LockTitle => "Màn hình đã khóa",
            T::LockIntro => "Nhập mật khẩu để mở khóa. Hồ sơ đang nhập dở vẫn được giữ nguyên.",
            T::Unlock => "Mở khóa (Enter)",
            T::Procedure => "Thủ tục hành chính",
            T::ProcedureHint => "Gõ mã hoặc tên thủ tục (khai sinh, chung thuc, 1.001193)",
            T::NoProcedure => "Không tìm thấy thủ tục nào.",
            T::SuggestionHint => "↑/↓ chọn, Enter lấy thủ tục, Esc đóng danh sách",
            T::TermUnconfirmed => "(thời hạn chưa đối chiếu với văn bản)",
            T::Applicant => "Người nộp hồ sơ",
            T::IdNumber => "Số định danh cá nhân",
            T::Phone => "Số điện thoại",
            T::Email => "Email",
            T::Address => "Địa chỉ",
            T::OwnerName => "Họ và tên chủ hồ sơ",
            T::ApplicantKind => "Cá nhân hay tổ chức (Ctrl+T để đổi)",
            T::ChoicePerson => "Cá nhân",
            T::ChoiceOrganisation => "Tổ chức",
            T::OrgName => "Tên tổ chức",
            T::OrgCode => "Mã số tổ chức (mã số doanh nghiệp, mã số thuế)",
            T::Representative => "Người đại diện theo pháp luật",
            T::ProxySection => "Người được ủy quyền (nếu có)",
            T::ProxyName => "Họ và tên người được ủy quyền",
            T::ProxyAuthorisation => "Giấy tờ ủy quyền (số, ngày) hoặc quan hệ",
            T::ProxyLabel => "Người được ủy quyền",
            T::CaseLabel => "Trường hợp",
            T::CaseField => "Trường hợp (gõ số)",
            T::TermField => "Thời hạn giải quyết theo văn bản niêm yết",
            T::TermHint => "ví dụ: 5 ngày làm việc, 15 ngày, 12 giờ, trong ngày",
            T::TermChoiceField => {
                "Bản ghi công bố các thời hạn khác nhau: chọn thời hạn áp dụng (gõ số)"
            }
            T::NoStatutoryTerm => "không quy định thời hạn",
            T::AppointmentField => "Không quy định thời hạn: ngày hẹn trả kết quả",
            T::AppointmentHint => "ví dụ: 20/12/2026 hoặc 20/12/2026 10:00",
            T::FrequentHint => "Thủ tục quầy nhận nhiều nhất 30 ngày qua (Enter lấy thủ tục đầu):",
            T::MarksField => "Giấy tờ đã nhận: gõ số của từng giấy tờ",
            T::MarksHint => "ví dụ 1 3 (gõ lại để bỏ chọn)",
            T::NoneMarked => {
                "Chưa đánh dấu giấy tờ nào: giấy tiếp nhận sẽ ghi không có giấy tờ nộp kèm."
            }
            T::DocConditional => "chỉ nộp trong trường hợp nêu trong tên",
            T::DocPresented => "chỉ xuất trình, không nộp",
            T::TermBasis => "Căn cứ thời hạn",
            T::TermBasisUnknown => "(hồ sơ nhận trước khi quầy ghi căn cứ thời hạn)",
            T::Channel => "Hình thức nộp (gõ 1 hoặc 2)",
            T::ChoiceDirect => "1 Trực tiếp",
            T::ChoicePostal => "2 Bưu chính công ích",
            T::Delivery => "Nơi nhận kết quả (gõ 1 hoặc 2)",
            T::ChoiceCounter => "1 Tại bộ phận một cửa",
            T::ChoicePost => "2 Qua bưu chính",
            T::AtCounter => "Tại Bộ phận tiếp nhận và trả kết quả",
            T::ByPost => "Qua bưu chính công ích",
            T::PostAddress => "Địa chỉ nhận kết quả qua bưu chính",
            T::Fee => "Phí, lệ phí đã thu (đồng)",
            T::Sets => "Số bộ hồ sơ",
            T::Note => "Ghi chú",
            T::Documents => "Thành phần hồ sơ",
            T::DocumentsHint => {
                "Chỉ giấy tờ được đánh dấu mới ghi vào giấy tiếp nhận. Ô số bản: số lượng (0 = chưa nộp) và một chữ cho loại: c bản chính · s bản sao · t bản sao chứng thực"
            }
            T::DocumentsEmpty => "Chọn thủ tục để hiện danh sách giấy tờ phải nộp.",
            T::Copies => "Số bản",
            T::AddDocument => "Thêm giấy tờ khác: gõ tên rồi Enter",
            T::Due => "Hẹn trả kết quả",
            T::NoDue => "Chọn thủ tục để tính ngày hẹn trả.",
            T::SaveAndPrint => "Lưu và in (Ctrl+S)",
            T::Saving => "Đang lưu…",
            T::ClearForm => "Xóa biểu mẫu (Esc, Esc)",
            T::ConfirmClear => {
                "Xóa toàn bộ hồ sơ đang nhập? Nhấn Esc lần nữa để xóa; gõ tiếp để giữ lại."
            }
            T::Reprint => "In lại giấy tiếp nhận (Ctrl+P)",
            T::ControlSlip => "In phiếu kiểm soát (Ctrl+K)",
            T::SavedTitle => "Đã tiếp nhận hồ sơ — đọc cho người nộp:",
            T::DossierCode => "Mã hồ sơ",
            T::LookupSecret => "Mã tra cứu",
            T::PrintOpened => "Máy chưa có máy in: đã mở bản PDF để in từ trình xem.",
            T::FixFields => "Chưa lưu: hãy sửa các ô có chữ đỏ.",
            T::NotSaved => "Chưa lưu được hồ sơ",
            T::DraftKept => "Mọi thông tin đã nhập vẫn còn nguyên; sửa xong nhấn Ctrl+S lần nữa.",
            T::FilterAll => "Tất cả (Ctrl+1)",
            T::FilterOverdue => "Quá hạn (Ctrl+2)",
            T::FilterDueSoon => "Sắp đến hạn (Ctrl+3)",
            T::RegisterSearch => "Tìm theo tên, mã hồ sơ, số định danh, số điện thoại",
            T::FromDate => "Nhận từ ngày (dd/mm/yyyy)",
            T::ToDate => "đến ngày",
            T::ProcedureCode => "Mã thủ tục",
            T::Counting => "Đang đếm…",
            T::OpenDossier => "Mở hồ sơ (Enter)",
            T::PrintLedger => "In sổ theo dõi (Ctrl+P)",
            T::SaveLedger => "Lưu sổ theo dõi ra tệp PDF",
            T::RegisterKeys => {
                "↑/↓ PgUp/PgDn Home/End chọn · Enter mở hồ sơ · Ctrl+4 trạng thái · Ctrl+5 sắp xếp"
            }
            T::ReceivedAt => "Nhận lúc",
            T::Status => "Trạng thái",
            T::NewDueFormat => "dd/mm/yyyy HH:MM, ví dụ 15/12/2026 09:00",
            T::Overdue => "QUÁ HẠN",
            T::Back => "Quay lại (Esc)",
            T::ReceivingClerk => "Cán bộ tiếp nhận",
            T::ChannelLabel => "Hình thức nộp",
            T::DeliveryLabel => "Nơi nhận kết quả",
            T::LedgerEntry => "Số thứ tự trong sổ",
            T::Journal => "Nhật ký hồ sơ",
            T::FromUpstream => " (từ cấp trên)",
            T::Actions => "Thao tác (gõ số)",
            T::NoTransition => "Hồ sơ đã kết thúc, không còn thao tác nào.",
            T::ApologyAction => "0 Phiếu xin lỗi, hẹn ngày trả mới (Mẫu 04)",
            T::SupplementTitle => "Yêu cầu bổ sung: đánh dấu giấy tờ còn thiếu",
            T::SupplementReason => "Lý do",
            T::SupplementExtra => "Nội dung khác cần bổ sung (cách nhau bằng dấu ;)",
            T::RefuseTitle => "Từ chối tiếp nhận hồ sơ",
            T::RefuseReason => "Lý do từ chối",
            T::HandBackTitle => "Trả kết quả",
            T::Recipient => "Người nhận kết quả",
            T::DelayReason => "Lý do chậm",
            T::NewDue => "Ngày hẹn mới",
            T::Confirm => "Lưu (Enter)",
            T::Cancel => "Bỏ qua (Esc)",
            T::ApologyDone => "Đã lập phiếu xin lỗi (Mẫu 04).",
            T::ReturnsSearch => "Tìm hồ sơ chờ trả theo mã, tên, số định danh",
            T::HandBackHint => "Enter để lưu; Esc để bỏ qua",
            T::ReturnsKeys => "↑/↓ chọn · Enter trả kết quả · Enter lần nữa lưu",
            T::Syncing => "Đang đồng bộ…",
            T::SyncNow => "Đồng bộ ngay (Ctrl+R)",
            T::RecoverNow => "Lấy lại nhật ký từ máy chủ tỉnh (Ctrl+K)",
            T::EnrollTitle => "Đăng ký quầy với máy chủ tỉnh",
            T::EnrollHint => "Xin quản trị viên tỉnh mã đăng ký một lần cho quầy này.",
            T::HubUrl => "Địa chỉ máy chủ tỉnh",
            T::EnrollToken => "Mã đăng ký",
            T::CaFile => "Tệp chứng chỉ của máy chủ (nếu có)",
            T::CaFileHint => "đường dẫn tệp .pem, để trống nếu không cần",
            T::Enroll => "Đăng ký",
            T::NotEnrolled => "chưa đăng ký",
            T::EnrollHowTo => {
                "Để đăng ký: xin quản trị viên tỉnh mã đăng ký một lần cho quầy này, rồi nhập địa chỉ máy chủ tỉnh và mã đó ở phần «Đăng ký quầy với máy chủ tỉnh» bên dưới."
            }
            T::SyncNeedsEnrolment => {
                "Chưa đồng bộ được: quầy chưa đăng ký với máy chủ tỉnh; hãy đăng ký ở phần «Đăng ký quầy với máy chủ tỉnh» bên dưới."
            }
            T::Connection => "Tình trạng",
            T::LastSuccess => "Lần đồng bộ thành công gần nhất",
            T::Never => "chưa có",
            T::Pending => "Đang chờ gửi",
            T::Quarantined => "Bị máy chủ từ chối",
            T::ClockOffset => "Đồng hồ máy chủ tỉnh lệch",
            T::QuarantineTitle => "Sự kiện bị từ chối (cần báo quản trị viên)",
            T::ConflictsTitle => "Khác biệt với cấp trên (chưa áp dụng)",
            T::YearFormat => "năm là một số, ví dụ 2027",
            T::SettingsValues => "In ấn, giờ làm việc, tra cứu",
            T::SystemPrinters => "Máy in của hệ thống:",
            T::DefaultMark => "(mặc định)",
            T::NoPrinters => "chưa có máy in nào",
            T::HolidaysTitle => "Lịch nghỉ lễ, Tết",
            T::Year => "Năm (Enter để xem)",
            T::Unconfirmed => " (chưa xác nhận)",
            T::ImportSchedule => "Nhập lịch nghỉ của cơ quan từ tệp",
            T::ImportScheduleHint => "đường dẫn tệp .json theo mẫu assets/calendar; Enter để nhập",
            T::AccountsTitle => "Tài khoản",
            T::RoleAdmin => "quản trị viên",
            T::RoleClerk => "cán bộ",
            T::Active => "đang dùng",
            T::Inactive => "đã khóa",
            T::ResetPassword => "Đặt lại mật khẩu",
            T::Deactivate => "Khóa",
            T::Reactivate => "Mở khóa",
            T::Resetting => "← đang đặt lại mật khẩu",
            T::ResetWho => "Đặt lại mật khẩu cho tài khoản",
            T::ToggleWho => "Khóa hoặc mở lại tài khoản",
            T::AccountWhoHint => "Gõ tên đăng nhập rồi nhấn Enter",
            T::AddAccount => "Thêm tài khoản",
            T::RoleChoice => "Vai trò (1 cán bộ, 2 quản trị viên)",
            T::BackupTitle => "Sao lưu",
            T::BackupFile => "Sao lưu ngay vào tệp",
            T::BackupHint => {
                "đường dẫn tệp mới, ví dụ /media/usb/motcua-2026-12-02.sqlite; Enter để sao lưu"
            }
            T::StationTitle => "Cơ quan và quầy",
            T::LayoutPreview => "Khổ in:",
            T::SyncNotEnrolled => "Đồng bộ: quầy chưa đăng ký với máy chủ tỉnh (đăng ký ở F4)",
            T::Shortcuts => "Ctrl+L khóa · Ctrl+= / Ctrl+- cỡ chữ · Ctrl+H tương phản cao",
        }
    }
}

/// `09:32 Thứ Tư 02/12/2026`.
pub fn clock(t: NaiveDateTime) -> String {
    format!(
        "{} {} {}",
        t.format("%H:%M"),
        weekday_vi(t.weekday()),
        t.format("%d/%m/%Y")
    )
}

/// `09:32 ngày 30/11/2026 (Thứ Hai)`.
pub fn instant(t: NaiveDateTime) -> String {
    format!(
        "{} ngày {} ({})",
        t.format("%H:%M"),
        t.format("%d/%m/%Y"),
        weekday_vi(t.weekday())
    )
}

pub fn clerk(name: &str) -> String {
    format!("Cán bộ: {name}")
}

pub fn today_count(n: u64) -> String {
    format!("Hôm nay: {n} hồ sơ")
}

/// The sync state in the status bar: what the hub did, offline only when it could not be
/// reached.
pub fn sync_state(words: &str, ok: bool) -> String {
    if ok {
        format!("Đồng bộ: {words}")
    } else {
        format!("Đồng bộ: {words} (hồ sơ vẫn lưu tại quầy)")
    }
}

pub fn last_sync(at: &str) -> String {
    format!("lần cuối {at}")
}

/// A moment the register keeps (RFC 3339), in Vietnam time: `19:06 06/12/2026`, or
/// `19:06 06/12` without the year (the status bar); as kept when it does not parse.
pub fn moment(at: &str, with_year: bool) -> String {
    let format = if with_year {
        "%H:%M %d/%m/%Y"
    } else {
        "%H:%M %d/%m"
    };
    chrono::DateTime::parse_from_rfc3339(at).map_or_else(
        |_| at.to_string(),
        |t| {
            t.with_timezone(&motcua_core::vn_offset())
                .format(format)
                .to_string()
        },
    )
}

pub fn pending(n: u64) -> String {
    format!("chờ gửi {n}")
}

pub fn quarantined(n: u64) -> String {
    format!("bị từ chối {n}")
}

pub fn clock_skew(minutes: i64) -> String {
    format!("Đồng hồ máy lệch {minutes} phút so với máy chủ tỉnh")
}

pub fn station_line(agency: &str, station: u8) -> String {
    format!("{agency} — quầy số {station}")
}

pub fn set_up(agency: &str, station: u8) -> String {
    format!(
        "Đã thiết lập quầy số {station} của {agency}. Hãy đăng nhập bằng tài khoản quản trị vừa tạo."
    )
}

pub fn locked_clerk(name: &str) -> String {
    format!("Cán bộ {name}")
}

pub fn term(term: &str) -> String {
    format!("Thời hạn giải quyết: {term}")
}

/// One line of the case list: "2. .02 — 1 ngày — Lệ phí: 8.000 đồng".
pub fn case_line(n: usize, distinct: &str) -> String {
    format!("{n}. {distinct}")
}

/// One published term to choose: "2. Trực tiếp: 10 ngày".
pub fn term_option(n: usize, text: &str) -> String {
    format!("{n}. {text}")
}

/// "chỉ khi nộp trực tuyến".
pub fn doc_channel(method: &str) -> String {
    format!("chỉ khi nộp {}", method.to_lowercase())
}

/// "Đã đánh dấu 2/8 giấy tờ đã nộp".
pub fn marked(n: usize, total: usize) -> String {
    format!("Đã đánh dấu {n}/{total} giấy tờ đã nộp")
}

pub fn fee_rule(fee: &str) -> String {
    format!("Phí, lệ phí theo danh mục: {fee}")
}

pub fn id_hint(sex: &str, birth_year: i32, province: &str) -> String {
    format!("{sex}, sinh năm {birth_year}, nơi đăng ký khai sinh: {province}")
}

pub fn card_filled(name: &str) -> String {
    format!("Đã điền thông tin từ thẻ căn cước của {name}.")
}

pub fn printed(printer: &str, copies: u32) -> String {
    format!("Đã gửi giấy tiếp nhận tới máy in {printer} ({copies} bản).")
}

pub fn print_failed(error: &str, kept: &str) -> String {
    if kept.is_empty() {
        format!("Hồ sơ đã được lưu nhưng chưa in được: {error}")
    } else {
        format!("Hồ sơ đã được lưu nhưng chưa in được: {error}. Bản PDF để in lại: {kept}")
    }
}

pub fn not_saved(error: &str) -> String {
    format!("{}: {error}", T::NotSaved.vi())
}

pub fn sync_stopped(error: &str) -> String {
    format!("Đồng bộ dừng: {error}")
}

pub fn status_filter(s: Option<motcua_core::status::Status>) -> String {
    match s {
        None => "Trạng thái: mọi trạng thái (Ctrl+4)".to_string(),
        Some(s) => format!("Trạng thái: {} (Ctrl+4)", s.label()),
    }
}

pub fn sort_label(s: motcua_app::register::Sort) -> String {
    match s {
        motcua_app::register::Sort::Due => "Sắp xếp: theo hạn trả (Ctrl+5)".to_string(),
        _ => "Sắp xếp: mới nhận trước (Ctrl+5)".to_string(),
    }
}

pub fn list_size(rows: u64, capped: bool) -> String {
    if capped {
        format!("Hơn {rows} hồ sơ khớp; hiển thị {rows} hồ sơ đầu — hãy gõ thêm để lọc")
    } else {
        format!("{rows} hồ sơ")
    }
}

/// The action that moves a dossier to `to`, numbered for its key.
pub fn transition(n: usize, to: motcua_core::status::Status) -> String {
    use motcua_core::status::Status::*;
    let verb = match to {
        Received => "Tiếp nhận",
        Processing => "Chuyển xử lý",
        SupplementRequested => "Yêu cầu bổ sung hồ sơ (in Mẫu 02)",
        FinancialObligation => "Yêu cầu thực hiện nghĩa vụ tài chính",
        ResultReady => "Đã có kết quả, chờ trả",
        Returned => "Trả kết quả cho người nộp",
        Refused => "Từ chối tiếp nhận (in Mẫu 03)",
        Withdrawn => "Công dân rút hồ sơ (in Mẫu 05)",
        Stopped => "Dừng xử lý (in Mẫu 05)",
    };
    format!("{n} {verb}")
}

pub fn change_to(to: motcua_core::status::Status) -> String {
    format!("Chuyển sang «{}»", to.label())
}

pub fn changed(code: &str, to: motcua_core::status::Status) -> String {
    format!("Hồ sơ {code} đã chuyển sang «{}».", to.label())
}

pub fn selected_row(n: u64, of: u64) -> String {
    format!("dòng {n} / {of}")
}

pub fn ready_count(n: usize) -> String {
    format!("{n} hồ sơ đã có kết quả, chờ trả (cũ nhất trước)")
}

pub fn handing_back(code: &str) -> String {
    format!("Trả kết quả hồ sơ {code}")
}

/// A document of the supplement checklist with its shortcut (Ctrl+1…Ctrl+9).
pub fn missing_toggle(n: usize, name: &str) -> String {
    if n <= 9 {
        format!("Ctrl+{n}  {name}")
    } else {
        name.to_string()
    }
}

pub fn no_such_account(username: &str) -> String {
    format!("Không có tài khoản «{username}» ở quầy này.")
}

pub fn handed_back(code: &str, recipient: &str) -> String {
    format!("Đã trả kết quả hồ sơ {code} cho {recipient}.")
}

pub fn seconds(s: i64) -> String {
    format!("{s} giây")
}

pub fn last_error(e: &str) -> String {
    format!("Lỗi gần nhất: {e}")
}

pub fn quarantined_item(seq: u64, kind: &str, reason: &str) -> String {
    format!("Sự kiện số {seq} ({kind}): {reason}")
}

pub fn conflict(code: &str, detail: &str) -> String {
    format!("{code}: {detail}")
}

pub fn synced(r: &motcua_app::sync::SyncReport) -> String {
    format!(
        "Đồng bộ xong: {} sự kiện mới được nhận, {} đã có, {} bị từ chối; {} thay đổi từ cấp trên.",
        r.accepted, r.duplicate, r.rejected, r.changes_applied
    )
}

pub fn sync_busy() -> String {
    "Một chương trình khác trên máy này đang đồng bộ; hãy thử lại sau ít phút.".to_string()
}

pub fn missing_events(n: u64) -> String {
    format!(
        "Cơ sở dữ liệu thiếu {n} sự kiện quầy đã ghi (mất điện, tệp bị xóa hoặc khôi phục bản sao lưu cũ): quầy tạm dừng cấp mã để không trùng mã đã in. Nhấn Ctrl+K để lấy lại từ máy chủ tỉnh."
    )
}

/// F4 when the mark file cannot be read back (see `motcua_store::mark`).
pub const MARK_DAMAGED: &str = "Tệp mốc nhật ký (motcua.sqlite.head) bị hỏng: chưa biết cơ sở dữ liệu có thiếu sự kiện nào không, nên quầy tạm dừng cấp mã (tra cứu, in lại, sao lưu vẫn dùng được). Nhấn Ctrl+K để lấy lại từ máy chủ tỉnh; sau đó quản trị viên chạy «motcua recover --accept-loss» để quầy bỏ qua một khoảng số hồ sơ và ghi lại mốc mới. Không xóa tệp này.";

pub fn missing_events_at_receive(n: u64) -> String {
    format!(
        "cơ sở dữ liệu thiếu {n} sự kiện quầy đã ghi, quầy tạm dừng cấp mã để không trùng mã đã in cho công dân; chuyển sang F4 (Đồng bộ) và nhấn Ctrl+K để lấy lại từ máy chủ tỉnh"
    )
}

pub fn recovered(lines: &[String]) -> String {
    lines.join(" ")
}

pub fn enrolled(station: &str, hub: &str) -> String {
    format!("Đã đăng ký quầy {station} với máy chủ tỉnh {hub}.")
}

pub fn setting_label(k: motcua_app::settings::Key) -> &'static str {
    use motcua_app::settings::Key::*;
    match k {
        LookupUrl => "Địa chỉ tra cứu (mã QR)",
        Place => "Địa danh trên giấy tờ",
        ReceiptLayout => "Khổ giấy tiếp nhận (a4x2 hoặc a5x2)",
        Printer => "Máy in",
        Copies => "Số bản in giấy tiếp nhận",
        LedgerBook => "Quyển số sổ theo dõi",
        OfficePhone => "Số điện thoại bộ phận một cửa",
        OfficeHours => "Giờ làm việc",
        SameDayCutoff => "Giờ muộn nhất giải quyết trong ngày",
        LockMinutes => "Tự khóa màn hình sau (phút)",
        SyncInterval => "Chu kỳ đồng bộ (giây)",
        TextScale => "Cỡ chữ (%)",
        HighContrast => "Tương phản cao",
        FormSet => "Bộ biểu mẫu (2025 hoặc 2018)",
        ReceivingUnit => "Tên bộ phận một cửa trên biểu mẫu",
        MaxBackdateDays => "Ghi lùi ngày nhận tối đa (ngày)",
    }
}

pub fn setting_saved(k: motcua_app::settings::Key, value: &str) -> String {
    format!("Đã lưu «{}»: {value}", setting_label(k))
}

pub fn origin(o: Option<&motcua_app::calendar::Origin>) -> String {
    use motcua_app::calendar::Origin;
    match o {
        None => "Chưa có lịch công bố: tính theo Bộ luật Lao động".to_string(),
        Some(Origin::BuiltIn) => "Nguồn: lịch đi kèm phần mềm".to_string(),
        Some(Origin::Hub) => "Nguồn: lịch nhận từ máy chủ tỉnh".to_string(),
        Some(Origin::Office(p)) => format!("Nguồn: tệp của cơ quan {}", p.display()),
    }
}

pub fn holidays_of(year: i32) -> String {
    format!("Ngày nghỉ và ngày làm bù năm {year}:")
}

pub fn imported(year: i32, warnings: usize) -> String {
    if warnings == 0 {
        format!("Đã nhập lịch nghỉ năm {year}.")
    } else {
        format!("Đã nhập lịch nghỉ năm {year}; tệp thiếu một số ngày lễ luật định (xem cảnh báo).")
    }
}

pub fn backed_up(path: &str) -> String {
    format!("Đã sao lưu vào {path}.")
}

pub fn account_added(username: &str) -> String {
    format!("Đã tạo tài khoản «{username}».")
}

pub fn password_reset(username: &str) -> String {
    format!("Đã đặt lại mật khẩu của «{username}».")
}

pub fn account_active(username: &str, active: bool) -> String {
    if active {
        format!("Đã mở khóa tài khoản «{username}».")
    } else {
        format!("Đã khóa tài khoản «{username}».")
    }
}

pub fn ledger_printed(rows: usize) -> String {
    format!("Đã gửi sổ theo dõi ({rows} hồ sơ) tới máy in.")
}

pub fn ledger_saved(rows: usize, path: &str) -> String {
    format!("Đã lưu sổ theo dõi ({rows} hồ sơ) vào {path}.")
}

/// How printing a form went, in a sentence (Err: it did not print; the form is kept).
pub fn print_outcome(
    r: &Result<motcua_app::forms::Printed, motcua_app::AppError>,
) -> Result<String, String> {
    use motcua_app::AppError;
    use motcua_app::forms::Delivered;
    match r {
        Ok(p) => Ok(match &p.delivered {
            Delivered::Printed { job, copies } => printed(&job.printer, *copies),
            Delivered::Opened => T::PrintOpened.vi().to_string(),
        }),
        Err(AppError::PrintFailed { kept, source, .. }) => Err(print_failed(
            &source.to_string(),
            &kept.display().to_string(),
        )),
        Err(e) => Err(print_failed(&e.to_string(), "")),
    }
}

pub fn no_window(reason: &str) -> String {
    format!("Không mở được cửa sổ ({reason}); dùng các lệnh dưới đây.")
}
