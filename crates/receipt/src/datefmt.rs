//! Vietnamese date and time wording used on the forms. Days below 10 and the months
//! January and February are written with a leading zero, as NĐ 30/2020 (Phụ lục I)
//! prescribes for the date line ("ngày 05 tháng 02", but "ngày 15 tháng 3").

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// The day number as NĐ 30/2020 writes it: zero-padded below 10.
fn day_vi(day: u32) -> String {
    format!("{day:02}")
}

/// The month number as NĐ 30/2020 writes it: zero-padded for January and February only.
fn month_vi(month: u32) -> String {
    if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    }
}

/// "ngày 05 tháng 3 năm 2026".
pub fn format_date_vi(date: NaiveDate) -> String {
    format!(
        "ngày {} tháng {} năm {}",
        day_vi(date.day()),
        month_vi(date.month()),
        date.year()
    )
}

/// The italic place-and-date line under the national motto:
/// "Đông Sơn, ngày 05 tháng 3 năm 2026". An empty place gives the date alone, capitalised.
pub fn format_date_line(place: &str, date: NaiveDate) -> String {
    let place = place.trim();
    if place.is_empty() {
        let mut s = format_date_vi(date);
        s.replace_range(0..1, "N");
        s
    } else {
        format!("{place}, {}", format_date_vi(date))
    }
}

/// An instant as the receipt writes it: "09 giờ 32 phút, ngày 27 tháng 10 năm 2023".
/// Hours and minutes always have two digits; the date follows [`format_date_vi`].
///
/// ```
/// use chrono::NaiveDate;
/// let at = NaiveDate::from_ymd_opt(2026, 2, 5).and_then(|d| d.and_hms_opt(9, 7, 0)).unwrap();
/// assert_eq!(
///     motcua_receipt::format_instant_vi(at),
///     "09 giờ 07 phút, ngày 05 tháng 02 năm 2026"
/// );
/// ```
pub fn format_instant_vi(at: NaiveDateTime) -> String {
    format!(
        "{:02} giờ {:02} phút, {}",
        at.hour(),
        at.minute(),
        format_date_vi(at.date())
    )
}

/// An instant as the 2025 apology (Mẫu 04) writes the old appointment, hours and minutes
/// with no "phút" ("…..giờ..., ngày.... tháng... năm"): "16 giờ 00, ngày 05 tháng 3 năm
/// 2026".
pub(crate) fn format_hour_date_vi(at: NaiveDateTime) -> String {
    format!(
        "{:02} giờ {:02}, {}",
        at.hour(),
        at.minute(),
        format_date_vi(at.date())
    )
}

/// An instant in the control slip's time cells ("….giờ….phút, ngày…../…../……"):
/// "09 giờ 32 phút, ngày 05/03/2026".
pub(crate) fn format_handover(at: NaiveDateTime) -> String {
    format!(
        "{:02} giờ {:02} phút, ngày {}",
        at.hour(),
        at.minute(),
        at.format("%d/%m/%Y")
    )
}

/// Compact date and time for ledger cells: "27/10/2023 09:32".
pub(crate) fn format_cell_instant(at: NaiveDateTime) -> String {
    at.format("%d/%m/%Y %H:%M").to_string()
}

/// Compact date for ledger headings: "01/03/2026".
pub(crate) fn format_cell_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .expect("valid test instant")
    }

    #[test]
    fn instant_matches_the_real_slip() {
        assert_eq!(
            format_instant_vi(at(2023, 10, 27, 9, 32)),
            "09 giờ 32 phút, ngày 27 tháng 10 năm 2023"
        );
    }

    #[test]
    fn padding_follows_decree_30() {
        assert_eq!(
            format_instant_vi(at(2026, 3, 5, 14, 5)),
            "14 giờ 05 phút, ngày 05 tháng 3 năm 2026"
        );
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid test date");
        assert_eq!(format_date_vi(d(2026, 1, 9)), "ngày 09 tháng 01 năm 2026");
        assert_eq!(format_date_vi(d(2026, 2, 28)), "ngày 28 tháng 02 năm 2026");
        assert_eq!(format_date_vi(d(2026, 12, 10)), "ngày 10 tháng 12 năm 2026");
        assert_eq!(
            format_date_line("Xã Đông Sơn", d(2026, 3, 5)),
            "Xã Đông Sơn, ngày 05 tháng 3 năm 2026"
        );
        assert_eq!(
            format_date_line(" ", d(2026, 3, 5)),
            "Ngày 05 tháng 3 năm 2026"
        );
    }

    #[test]
    fn formats_of_the_2025_forms() {
        assert_eq!(
            format_hour_date_vi(at(2026, 3, 5, 16, 0)),
            "16 giờ 00, ngày 05 tháng 3 năm 2026"
        );
        assert_eq!(
            format_handover(at(2026, 3, 5, 9, 7)),
            "09 giờ 07 phút, ngày 05/03/2026"
        );
    }

    #[test]
    fn cell_formats() {
        assert_eq!(
            format_cell_instant(at(2023, 10, 27, 9, 32)),
            "27/10/2023 09:32"
        );
        assert_eq!(format_cell_date(at(2026, 3, 1, 0, 0).date()), "01/03/2026");
    }
}
