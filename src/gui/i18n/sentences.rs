//! The window's strings with values in them (times, counts, names, outcomes), each a
//! function; the fixed strings are [`T`]'s.

use super::T;
use chrono::{Datelike, NaiveDateTime};
use motcua_core::calendar::weekday_vi;

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

pub fn access_count(n: usize, most: usize) -> String {
    if n >= most {
        format!("{n} lượt truy cập mới nhất (lọc thêm để xem lượt cũ hơn)")
    } else {
        format!("{n} lượt truy cập")
    }
}

/// How answering a citizen's request went: the letter kept, then printed (or not).
pub fn answered(
    dossiers: usize,
    kept: &std::path::Path,
    printed: &Result<motcua_app::forms::Printed, motcua_app::AppError>,
) -> Result<String, String> {
    let made = format!(
        "Đã lập thư trả lời ({dossiers} hồ sơ), lưu tại {} cùng tệp JSON.",
        kept.display()
    );
    use motcua_app::forms::Delivered;
    match printed {
        Ok(p) => Ok(match &p.delivered {
            Delivered::Printed { job, .. } => {
                format!("{made} Đã gửi thư tới máy in {}.", job.printer)
            }
            Delivered::Opened => {
                format!("{made} Máy chưa có máy in: đã mở thư (PDF) để in từ trình xem.")
            }
        }),
        Err(_) => Err(match print_outcome(printed) {
            Ok(line) | Err(line) => format!("{made} {line}"),
        }),
    }
}

pub fn more_dossiers(n: usize) -> String {
    format!(" và {n} hồ sơ khác")
}

pub fn corrected(code: &str, role: motcua_core::correction::Role) -> String {
    format!(
        "Đã đính chính thông tin {} trên hồ sơ {code}; giấy tờ in từ nay mang thông tin mới.",
        role.label()
    )
}

/// The correction form's title for `role`.
pub fn correct_title(role: motcua_core::correction::Role) -> String {
    format!(
        "Đính chính thông tin {} (theo giấy tờ công dân xuất trình)",
        role.label()
    )
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

/// The dossiers the province withdrew or stopped, whose Mẫu 05 waits to be printed.
pub fn stop_notices(codes: &[String]) -> String {
    format!(
        "Cấp trên dừng/rút hồ sơ {}: in Mẫu 05 (F2, mở hồ sơ, Ctrl+D)",
        codes.join(", ")
    )
}

/// One exchange with the hub, and the Mẫu 05 it left to print.
pub fn synced_with(s: &motcua_app::sync::Synced) -> String {
    let mut line = synced(&s.report);
    let kept: Vec<String> = s
        .stop_notices
        .iter()
        .filter(|n| n.kept.is_ok())
        .map(|n| n.code.clone())
        .collect();
    if !kept.is_empty() {
        line = format!("{line} {}.", stop_notices(&kept));
    }
    line
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
        LookupUrl => "Trang tra cứu trong mã QR (trống: của máy chủ tỉnh)",
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
        ReportStartDay => "Ngày chốt số liệu báo cáo (1–28)",
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

/// How printing the receipt went, in a sentence (Err: it did not print; it is kept).
pub fn print_outcome(
    r: &Result<motcua_app::forms::Printed, motcua_app::AppError>,
) -> Result<String, String> {
    print_outcome_of("giấy tiếp nhận", r)
}

/// How printing `form` (its name inside a sentence, «phiếu từ chối …») went.
pub fn print_outcome_of(
    form: &str,
    r: &Result<motcua_app::forms::Printed, motcua_app::AppError>,
) -> Result<String, String> {
    use motcua_app::AppError;
    use motcua_app::forms::Delivered;
    match r {
        Ok(p) => Ok(match &p.delivered {
            Delivered::Printed { job, copies } => {
                format!("Đã gửi {form} tới máy in {} ({copies} bản).", job.printer)
            }
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
