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
    OwnerSection,
    OwnerName,
    OwnerIdNumber,
    OwnerAddress,
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
    SavedTitle,
    DossierCode,
    LookupSecret,
    PrintOpened,
    FixFields,
    NotSaved,
    DraftKept,
    // Status bar.
    SyncNotEnrolled,
    SyncOnline,
    SyncOffline,
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
            T::OwnerSection => "Chủ hồ sơ (nếu khác người nộp)",
            T::OwnerName => "Họ và tên chủ hồ sơ",
            T::OwnerIdNumber => "Số định danh của chủ hồ sơ",
            T::OwnerAddress => "Địa chỉ của chủ hồ sơ",
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
                "Ô số bản: gõ số lượng (0 = chưa nộp) và một chữ cho loại: c bản chính · s bản sao · t bản sao chứng thực"
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
            T::SavedTitle => "Đã tiếp nhận hồ sơ — đọc cho người nộp:",
            T::DossierCode => "Mã hồ sơ",
            T::LookupSecret => "Mã tra cứu",
            T::PrintOpened => "Máy chưa có máy in: đã mở bản PDF để in từ trình xem.",
            T::FixFields => "Chưa lưu: hãy sửa các ô có chữ đỏ.",
            T::NotSaved => "Chưa lưu được hồ sơ",
            T::DraftKept => "Mọi thông tin đã nhập vẫn còn nguyên; sửa xong nhấn Ctrl+S lần nữa.",
            T::SyncNotEnrolled => "Đồng bộ: quầy chưa đăng ký với máy chủ tỉnh",
            T::SyncOnline => "Đồng bộ: đang kết nối",
            T::SyncOffline => "Đồng bộ: mất kết nối (hồ sơ vẫn lưu tại quầy)",
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

pub fn last_sync(at: &str) -> String {
    format!("lần cuối {at}")
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

pub fn no_window(reason: &str) -> String {
    format!("Không mở được cửa sổ ({reason}); dùng các lệnh dưới đây.")
}
