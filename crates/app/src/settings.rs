//! The station's settings: every key, its meaning, default and validation in one place,
//! read and written through the store's settings table, and read back typed.

use crate::error::{AppError, Result};
use chrono::NaiveTime;
use motcua_core::calendar::{Session, WorkConfig};
use motcua_store::Store;
use serde::Serialize;

/// A setting the station can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    LookupUrl,
    Place,
    ReceiptLayout,
    Printer,
    Copies,
    LedgerBook,
    OfficePhone,
    OfficeHours,
    SameDayCutoff,
    LockMinutes,
    SyncInterval,
    TextScale,
    HighContrast,
    /// Which official form set prints: `2025` (TT 03/2025/TT-VPCP, the default) or
    /// `2018` (TT 01/2018/TT-VPCP, for a station that has not switched yet or a reprint
    /// for a dossier received before the switch).
    FormSet,
    /// The one-stop unit named on the 2025 forms ("Trung tâm Phục vụ hành chính công …"
    /// or "Bộ phận Tiếp nhận và Trả kết quả …"); empty derives the commune's Trung tâm
    /// from the agency name.
    ReceivingUnit,
    /// How many days back a receipt may be dated (default 30). A clerk entering the
    /// paper-ledger dossiers of an outage (a dead PC, a power cut over a long weekend)
    /// needs days, at most weeks; a year or month typed wrong is far more often what an
    /// older date means. Thirty days covers a month-long
    /// outage and keeps a late entry inside the current or the previous ledger book. A
    /// commune that starts using the app mid-year and enters the year's paper ledger raises
    /// the setting for that work (up to ten years, so a code's two-digit year `yyMMdd` never
    /// meets the same day of another century).
    MaxBackdateDays,
    /// The day of the month reports close on (1–28; default 15: a month's report runs
    /// from the 15th of the month before to the 14th, as Nghị định 09/2019/NĐ-CP sets the
    /// closing of figures for periodic reports; 1: calendar months).
    ReportStartDay,
}

impl Key {
    /// A display preference any signed-in clerk may change from the window (text size,
    /// contrast); every other setting is an admin's.
    pub fn is_preference(self) -> bool {
        matches!(self, Key::TextScale | Key::HighContrast)
    }

    /// Every key, in the order `motcua config show` lists them.
    pub const ALL: [Key; 17] = [
        Key::LookupUrl,
        Key::Place,
        Key::FormSet,
        Key::ReceivingUnit,
        Key::ReceiptLayout,
        Key::Printer,
        Key::LedgerBook,
        Key::OfficePhone,
        Key::Copies,
        Key::OfficeHours,
        Key::SameDayCutoff,
        Key::LockMinutes,
        Key::SyncInterval,
        Key::TextScale,
        Key::HighContrast,
        Key::MaxBackdateDays,
        Key::ReportStartDay,
    ];

    /// The name used on the command line and in the database.
    pub fn name(self) -> &'static str {
        match self {
            Key::LookupUrl => "lookup-url",
            Key::Place => "place",
            Key::ReceiptLayout => "receipt-layout",
            Key::Printer => "printer",
            Key::Copies => "copies",
            Key::LedgerBook => "ledger-book",
            Key::OfficePhone => "office-phone",
            Key::OfficeHours => "office-hours",
            Key::SameDayCutoff => "same-day-cutoff",
            Key::LockMinutes => "lock-minutes",
            Key::SyncInterval => "sync-interval",
            Key::TextScale => "text-scale",
            Key::HighContrast => "high-contrast",
            Key::FormSet => "form-set",
            Key::ReceivingUnit => "receiving-unit",
            Key::MaxBackdateDays => "max-backdate-days",
            Key::ReportStartDay => "report-start-day",
        }
    }

    /// What the setting means, in Vietnamese.
    pub fn help(self) -> &'static str {
        match self {
            Key::LookupUrl => {
                "Trang tra cứu hồ sơ in trong mã QR (mã hồ sơ và mã tra cứu được thêm vào sau); để trống: trang của máy chủ tỉnh, nhận khi đăng ký đồng bộ (chưa đăng ký thì mã QR chỉ ghi hai mã)"
            }
            Key::Place => "Địa danh ghi ở dòng ngày tháng (mặc định lấy từ tên cơ quan)",
            Key::ReceiptLayout => {
                "Khổ giấy biên nhận: a4x2 (hai trang A4) hoặc a5x2 (hai nửa A5 trên một tờ A4)"
            }
            Key::Printer => "Máy in dùng cho giấy tờ (mặc định: máy in mặc định của hệ thống)",
            Key::Copies => "Số bản in mỗi lần in giấy tiếp nhận (1–9)",
            Key::LedgerBook => {
                "Quyển số của Sổ theo dõi hồ sơ ({năm} được thay bằng năm nhận hồ sơ)"
            }
            Key::OfficePhone => {
                "Số điện thoại liên hệ của bộ phận một cửa (in trên phiếu yêu cầu bổ sung)"
            }
            Key::OfficeHours => {
                "Giờ làm việc để tính hạn trả kết quả, các buổi cách nhau bằng dấu phẩy (07:00-11:30,13:30-17:00)"
            }
            Key::SameDayCutoff => {
                "Giờ muộn nhất nhận hồ sơ giải quyết trong ngày; sau giờ này hẹn ngày làm việc tiếp theo"
            }
            Key::LockMinutes => "Khóa màn hình sau bao nhiêu phút không thao tác (1–240)",
            Key::SyncInterval => "Số giây giữa hai lần đồng bộ với máy chủ tỉnh (10–86400)",
            Key::TextScale => "Cỡ chữ của cửa sổ, phần trăm (50–300)",
            Key::HighContrast => "Giao diện tương phản cao: on hoặc off",
            Key::FormSet => {
                "Bộ biểu mẫu in: 2025 (Thông tư 03/2025/TT-VPCP) hoặc 2018 (Thông tư 01/2018/TT-VPCP)"
            }
            Key::ReceivingUnit => {
                "Tên bộ phận một cửa in trên biểu mẫu 2025, bắt đầu bằng «Trung tâm Phục vụ hành chính công» hoặc «Bộ phận Tiếp nhận và Trả kết quả» (để trống: Trung tâm Phục vụ hành chính công theo tên xã, phường)"
            }
            Key::MaxBackdateDays => {
                "Số ngày tối đa được ghi lùi ngày nhận hồ sơ (nhập hồ sơ từ sổ giấy), 0–3660"
            }
            Key::ReportStartDay => {
                "Ngày chốt số liệu báo cáo trong tháng, 1–28 (15: kỳ tháng từ ngày 15 tháng trước đến ngày 14; 1: theo tháng dương lịch)"
            }
        }
    }

    /// The value used while the setting is not set.
    pub fn default_value(self) -> &'static str {
        match self {
            Key::LookupUrl | Key::Place | Key::Printer | Key::OfficePhone | Key::ReceivingUnit => {
                ""
            }
            Key::FormSet => "2025",
            Key::ReceiptLayout => "a4x2",
            Key::Copies => "1",
            Key::LedgerBook => "01/{năm}",
            Key::OfficeHours => "07:00-11:30,13:30-17:00",
            Key::SameDayCutoff => "15:00",
            Key::LockMinutes => "10",
            Key::SyncInterval => "60",
            Key::TextScale => "100",
            Key::HighContrast => "off",
            Key::MaxBackdateDays => "30",
            Key::ReportStartDay => "15",
        }
    }

    /// The key named `name`, or a message listing the known ones.
    pub fn parse(name: &str) -> Result<Key> {
        Key::ALL
            .into_iter()
            .find(|k| k.name() == name.trim())
            .ok_or_else(|| {
                AppError::Refused(format!(
                    "không có thiết lập «{name}»; các thiết lập: {}",
                    Key::ALL.map(Key::name).join(", ")
                ))
            })
    }

    /// Cleans (NFC, spaces) and checks a value for this key; the value to store.
    pub fn check(self, raw: &str) -> Result<String> {
        let value = motcua_core::text::clean(raw);
        let bad = |reason: &str| AppError::Setting {
            key: self.name(),
            reason: reason.to_string(),
        };
        match self {
            Key::LookupUrl
                if !(value.is_empty()
                    || value.starts_with("https://")
                    || value.starts_with("http://")) =>
            {
                return Err(bad(
                    "địa chỉ tra cứu phải bắt đầu bằng https:// hoặc http://",
                ));
            }
            Key::ReceiptLayout if ReceiptLayout::parse(&value).is_none() => {
                return Err(bad("khổ giấy phải là a4x2 hoặc a5x2"));
            }
            Key::FormSet if FormSet::parse(&value).is_none() => {
                return Err(bad("bộ biểu mẫu phải là 2025 hoặc 2018"));
            }
            Key::ReceivingUnit if !value.is_empty() && !is_unit_name(&value) => {
                return Err(bad(
                    "tên phải bắt đầu bằng «Trung tâm Phục vụ hành chính công» hoặc «Bộ phận Tiếp nhận và Trả kết quả», như trên biểu mẫu",
                ));
            }
            Key::ReceivingUnit if value.chars().count() > 200 => {
                return Err(bad("tên dài quá 200 ký tự"));
            }
            Key::OfficePhone if !value.is_empty() => {
                return motcua_core::identity::normalize_phone(&value).map_err(AppError::from);
            }
            Key::Copies => number(&value, 1, 9).map_err(|()| bad("số bản in phải từ 1 đến 9"))?,
            Key::LockMinutes => {
                number(&value, 1, 240).map_err(|()| bad("số phút phải từ 1 đến 240"))?
            }
            Key::SyncInterval => {
                number(&value, 10, 86_400).map_err(|()| bad("số giây phải từ 10 đến 86400"))?
            }
            Key::TextScale => {
                number(&value, 50, 300).map_err(|()| bad("cỡ chữ phải từ 50 đến 300 (%)"))?
            }
            Key::ReportStartDay => {
                number(&value, 1, 28).map_err(|()| bad("ngày chốt số liệu phải từ 1 đến 28"))?
            }
            Key::MaxBackdateDays => {
                number(&value, 0, 3660).map_err(|()| bad("số ngày phải từ 0 đến 3660"))?
            }
            Key::HighContrast if !matches!(value.as_str(), "on" | "off") => {
                return Err(bad("giá trị phải là on hoặc off"));
            }
            Key::OfficeHours => {
                let sessions = parse_sessions(&value).map_err(|r| bad(&r))?;
                let config = WorkConfig {
                    sessions,
                    ..WorkConfig::default()
                };
                config.check().map_err(|e| bad(&e.to_string()))?;
            }
            Key::SameDayCutoff => {
                parse_time(&value).map_err(|r| bad(&r))?;
            }
            _ => {}
        }
        Ok(value)
    }
}

/// The two unit names the 2025 forms allow ("Trung tâm Phục vụ hành chính công/Bộ phận
/// Tiếp nhận và Trả kết quả…"), compared without marks and case.
const UNIT_KINDS: [&str; 2] = [
    "Trung tâm Phục vụ hành chính công",
    "Bộ phận Tiếp nhận và Trả kết quả",
];

fn is_unit_name(value: &str) -> bool {
    let folded = motcua_core::text::fold(value);
    UNIT_KINDS
        .iter()
        .any(|k| folded.starts_with(&motcua_core::text::fold(k)))
}

fn number(value: &str, min: u64, max: u64) -> std::result::Result<(), ()> {
    match value.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(()),
        _ => Err(()),
    }
}

fn parse_time(s: &str) -> std::result::Result<NaiveTime, String> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M")
        .map_err(|_| format!("«{s}» không phải giờ hợp lệ (dạng 07:30)"))
}

/// `07:00-11:30,13:30-17:00` as sessions.
fn parse_sessions(s: &str) -> std::result::Result<Vec<Session>, String> {
    s.split(',')
        .map(|part| {
            let (a, b) = part
                .split_once('-')
                .ok_or_else(|| format!("buổi «{}» cần dạng 07:00-11:30", part.trim()))?;
            Ok(Session {
                start: parse_time(a)?,
                end: parse_time(b)?,
            })
        })
        .collect()
}

/// The receipt's paper layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReceiptLayout {
    /// Two A4 pages ("Liên 1", "Liên 2").
    A4x2,
    /// Two A5 halves of one landscape A4 sheet.
    A5x2,
}

impl ReceiptLayout {
    /// `a4x2` or `a5x2`.
    pub fn parse(s: &str) -> Option<ReceiptLayout> {
        match s.trim() {
            "a4x2" => Some(ReceiptLayout::A4x2),
            "a5x2" => Some(ReceiptLayout::A5x2),
            _ => None,
        }
    }

    /// The setting's text.
    pub fn name(self) -> &'static str {
        match self {
            ReceiptLayout::A4x2 => "a4x2",
            ReceiptLayout::A5x2 => "a5x2",
        }
    }

    pub(crate) fn for_renderer(self) -> motcua_receipt::Layout {
        match self {
            ReceiptLayout::A4x2 => motcua_receipt::Layout::A4x2,
            ReceiptLayout::A5x2 => motcua_receipt::Layout::A5x2,
        }
    }
}

/// The official form set the station prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum FormSet {
    /// Thông tư 03/2025/TT-VPCP, Phụ lục I: Mẫu 01 to Mẫu 07.
    #[default]
    Tt03_2025,
    /// Thông tư 01/2018/TT-VPCP as motcua printed it before.
    Tt01_2018,
}

impl FormSet {
    /// `2025` or `2018`.
    pub fn parse(s: &str) -> Option<FormSet> {
        match s.trim() {
            "2025" => Some(FormSet::Tt03_2025),
            "2018" => Some(FormSet::Tt01_2018),
            _ => None,
        }
    }

    /// The setting's text.
    pub fn name(self) -> &'static str {
        match self {
            FormSet::Tt03_2025 => "2025",
            FormSet::Tt01_2018 => "2018",
        }
    }

    pub(crate) fn for_renderer(self) -> motcua_receipt::FormSet {
        match self {
            FormSet::Tt03_2025 => motcua_receipt::FormSet::Tt03_2025,
            FormSet::Tt01_2018 => motcua_receipt::FormSet::Tt01_2018,
        }
    }
}

/// Every setting, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The lookup page set at this station (`lookup-url`); empty: the hub's.
    pub lookup_url: String,
    /// The hub's public lookup page as the hub told it, if it did.
    pub hub_lookup_url: Option<String>,
    /// Empty: taken from the agency name.
    pub place: String,
    pub receipt_layout: ReceiptLayout,
    /// None: the system default printer.
    pub printer: Option<String>,
    pub copies: u32,
    /// With `{năm}` standing for the year.
    pub ledger_book: String,
    pub office_phone: String,
    /// Office hours and the same-day cutoff, for due dates.
    pub work: WorkConfig,
    pub lock_minutes: u32,
    pub sync_interval_secs: u64,
    /// Percent.
    pub text_scale: u32,
    pub high_contrast: bool,
    /// The form set printed.
    pub form_set: FormSet,
    /// The one-stop unit's name on the 2025 forms; empty: derived from the agency.
    pub receiving_unit: String,
    /// How many days back a receipt may be dated.
    pub max_backdate_days: u32,
    /// The day of the month reports close on.
    pub report_start_day: u32,
}

/// A setting's current text (stored value or default).
pub fn raw(store: &Store, key: Key) -> Result<String> {
    Ok(store
        .setting(key.name())?
        .unwrap_or_else(|| key.default_value().to_string()))
}

/// Every setting's current text, in [`Key::ALL`] order.
pub fn all_raw(store: &Store) -> Result<Vec<(Key, String)>> {
    Key::ALL
        .into_iter()
        .map(|k| Ok((k, raw(store, k)?)))
        .collect()
}

/// Checks and stores a setting; returns the stored value.
pub fn set(store: &Store, key: Key, value: &str) -> Result<String> {
    let value = key.check(value)?;
    store.set_setting(key.name(), &value)?;
    Ok(value)
}

/// Every setting, typed. A stored value that no longer passes its check (edited by hand)
/// falls back to the default rather than stopping the counter.
pub fn load(store: &Store) -> Result<Settings> {
    let get = |k: Key| -> Result<String> {
        let v = raw(store, k)?;
        Ok(match k.check(&v) {
            Ok(v) => v,
            Err(_) => k.default_value().to_string(),
        })
    };
    let int = |k: Key| -> Result<u64> {
        Ok(get(k)?
            .parse()
            .unwrap_or_else(|_| k.default_value().parse().unwrap_or(1)))
    };
    let printer = get(Key::Printer)?;
    let work = WorkConfig {
        sessions: parse_sessions(&get(Key::OfficeHours)?).unwrap_or_default(),
        same_day_cutoff: parse_time(&get(Key::SameDayCutoff)?)
            .unwrap_or_else(|_| WorkConfig::default().same_day_cutoff),
        ..WorkConfig::default()
    };
    Ok(Settings {
        lookup_url: get(Key::LookupUrl)?,
        hub_lookup_url: store.hub_lookup_url()?,
        place: get(Key::Place)?,
        receipt_layout: ReceiptLayout::parse(&get(Key::ReceiptLayout)?)
            .unwrap_or(ReceiptLayout::A4x2),
        printer: (!printer.is_empty()).then_some(printer),
        copies: int(Key::Copies)? as u32,
        ledger_book: get(Key::LedgerBook)?,
        office_phone: get(Key::OfficePhone)?,
        work: if work.check().is_ok() {
            work
        } else {
            WorkConfig::default()
        },
        lock_minutes: int(Key::LockMinutes)? as u32,
        sync_interval_secs: int(Key::SyncInterval)?,
        text_scale: int(Key::TextScale)? as u32,
        high_contrast: get(Key::HighContrast)? == "on",
        form_set: FormSet::parse(&get(Key::FormSet)?).unwrap_or_default(),
        receiving_unit: get(Key::ReceivingUnit)?,
        max_backdate_days: int(Key::MaxBackdateDays)? as u32,
        report_start_day: int(Key::ReportStartDay)? as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_passes_its_own_check() {
        for k in Key::ALL {
            assert_eq!(
                k.check(k.default_value()).unwrap(),
                k.default_value(),
                "{k:?}"
            );
            assert_eq!(Key::parse(k.name()).unwrap(), k);
        }
    }

    #[test]
    fn bad_values_are_refused_in_vietnamese() {
        let e = Key::LookupUrl.check("ftp://x").unwrap_err().to_string();
        assert!(e.contains("https://"), "{e}");
        assert!(Key::ReceiptLayout.check("a3").is_err());
        assert!(Key::Copies.check("0").is_err());
        assert!(Key::Copies.check("ba").is_err());
        assert!(Key::OfficeHours.check("13:30-17:00,07:00-11:30").is_err());
        assert!(Key::OfficeHours.check("7h-11h").is_err());
        assert_eq!(
            Key::OfficeHours.check("07:30-11:30, 13:00-16:30").unwrap(),
            "07:30-11:30, 13:00-16:30"
        );
        assert!(Key::SameDayCutoff.check("25:00").is_err());
        assert_eq!(
            Key::OfficePhone.check("+84 912 345 678").unwrap(),
            "0912345678"
        );
        let e = Key::parse("colour").unwrap_err().to_string();
        assert!(e.contains("lookup-url"), "{e}");
    }

    #[test]
    fn form_set_and_receiving_unit() {
        assert_eq!(Key::FormSet.default_value(), "2025");
        assert_eq!(Key::FormSet.check(" 2018 ").unwrap(), "2018");
        let e = Key::FormSet.check("2020").unwrap_err().to_string();
        assert!(e.contains("2025 hoặc 2018"), "{e}");
        assert_eq!(FormSet::parse("2025"), Some(FormSet::Tt03_2025));
        assert_eq!(FormSet::Tt01_2018.name(), "2018");
        for ok in [
            "",
            "Trung tâm Phục vụ hành chính công xã Tân Lập",
            "Bộ phận Tiếp nhận và Trả kết quả UBND xã Tân Lập",
            "trung tam phuc vu hanh chinh cong xa Tan Lap",
        ] {
            assert!(Key::ReceivingUnit.check(ok).is_ok(), "{ok}");
        }
        let e = Key::ReceivingUnit
            .check("Phòng một cửa xã Tân Lập")
            .unwrap_err()
            .to_string();
        assert!(e.contains("Trung tâm Phục vụ hành chính công"), "{e}");
        assert!(
            Key::ReceivingUnit
                .check(&format!(
                    "Trung tâm Phục vụ hành chính công {}",
                    "x".repeat(200)
                ))
                .is_err()
        );
    }
}
