//! The sentences of the reports screen (F6).

use motcua_app::AppError;
use motcua_app::forms::{Delivered, Printed};
use motcua_core::report::{Overdue, Period, PeriodKind};

/// "Tháng 12 năm 2026 — Từ ngày 15/11/2026 đến ngày 14/12/2026".
pub fn report_period(p: &Period) -> String {
    match p.kind {
        PeriodKind::Range => p.days(),
        _ => format!("{} — {}", p.label(), p.days()),
    }
}

/// Which kinds of period the digits choose, the chosen one marked.
pub fn report_kinds(kind: PeriodKind) -> String {
    [
        (PeriodKind::Month, "1 tháng"),
        (PeriodKind::Quarter, "2 quý"),
        (PeriodKind::Half, "3 sáu tháng"),
        (PeriodKind::Year, "4 năm"),
    ]
    .iter()
    .map(|(k, name)| {
        if *k == kind {
            format!("[{name}]")
        } else {
            name.to_string()
        }
    })
    .collect::<Vec<_>>()
    .join("   ")
}

/// "Tiếp nhận 120 (kỳ trước chuyển sang 20; trực tuyến 0)".
pub fn report_received(total: u64, carried: u64, online: u64) -> String {
    format!("Tiếp nhận {total} hồ sơ (từ kỳ trước {carried}; trực tuyến {online})")
}

pub fn report_resolved(total: u64, early: u64, on_time: u64, late: u64) -> String {
    format!("Đã giải quyết {total}: trước hạn {early}, đúng hạn {on_time}, quá hạn {late}")
}

pub fn report_pending(total: u64, in_time: u64, late: u64) -> String {
    format!("Đang giải quyết {total}: trong hạn {in_time}, quá hạn {late}")
}

/// "Tỷ lệ hồ sơ giải quyết đúng hạn: 91,7 % (110/120)", or that there is nothing to count.
pub fn report_ratio(name: &str, percent: Option<&str>, num: u64, den: u64) -> String {
    match percent {
        Some(p) => format!("{name}: {p} % ({num}/{den})"),
        None => format!("{name}: chưa có hồ sơ để tính"),
    }
}

/// One overdue dossier's lateness: "quá 3 ngày" or "đến hạn hôm nay".
pub fn days_late(o: &Overdue) -> String {
    match o.days_late {
        0 => "quá hạn trong hôm nay".to_string(),
        n => format!("quá {n} ngày"),
    }
}

/// The appointment of an overdue dossier, with a double supplement said.
pub fn overdue_due(o: &Overdue) -> String {
    let due = o
        .due_at
        .map(|d| format!("hẹn {}", d.format("%H:%M %d/%m/%Y")))
        .unwrap_or_else(|| "không có ngày hẹn".to_string());
    if o.supplements > 1 {
        format!("{due} (bổ sung {} lần)", o.supplements)
    } else {
        due
    }
}

pub fn overdue_count(n: usize, shown: usize) -> String {
    if n > shown {
        format!("{n} hồ sơ quá hạn; hiện {shown} hồ sơ trễ nhất")
    } else {
        format!("{n} hồ sơ quá hạn")
    }
}

/// "Số liệu tính đến 10:30 06/12/2026", or for a period already over "Số liệu đến hết
/// ngày 14/11/2026".
pub fn as_of(at: chrono::NaiveDateTime, p: &Period) -> String {
    if at >= p.end() {
        format!("Số liệu đến hết ngày {}", p.to.format("%d/%m/%Y"))
    } else {
        format!("Số liệu tính đến {}", at.format("%H:%M %d/%m/%Y"))
    }
}

/// How printing Biểu 06 went.
pub fn report_printed(r: &Result<Printed, AppError>) -> Result<String, String> {
    match r {
        Ok(p) => Ok(match &p.delivered {
            Delivered::Printed { job, .. } => {
                format!("Đã gửi Biểu 06 tới máy in {}.", job.printer)
            }
            Delivered::Opened => {
                "Máy chưa có máy in: đã mở Biểu 06 (PDF) để in từ trình xem.".to_string()
            }
        }),
        Err(AppError::PrintFailed { kept, source, .. }) => Err(format!(
            "Chưa in được Biểu 06: {source}. Bản PDF ở {}.",
            kept.display()
        )),
        Err(e) => Err(format!("Chưa in được Biểu 06: {e}")),
    }
}

pub fn report_exported(path: &str) -> String {
    format!("Đã xuất Biểu 06 ra tệp Excel: {path}")
}
