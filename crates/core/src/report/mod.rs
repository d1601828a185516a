//! The periodic report on receiving and resolving dossiers — Biểu số 06/VPCP/KSTT of
//! Thông tư 01/2020/TT-VPCP, as provincial systems still print it (13 columns: received in
//! total, online, at the counter or by post, from the previous period; resolved in total,
//! early, on time, late; pending in total, within time, overdue) — and the national
//! index's ratios the counter's data decides (Quyết định 766/QĐ-TTg: on time, online).
//! Pure rules over each dossier's facts; the store gathers the facts, the application
//! layer names the period.
//!
//! Our reading, where the texts leave it open (docs/reports.md says the same):
//! - a dossier ends at its first "result ready", else its return, else its refusal,
//!   stop or withdrawal (the index's order); a withdrawn or refused dossier is therefore
//!   counted as resolved, on time or late by when it ended;
//! - it is judged against the appointment first given (an extension with the apology,
//!   Mẫu 04, does not make a late dossier on time), plus the time it spent waiting for
//!   a supplement (request → the next status); more than one supplement request makes it
//!   late;
//! - early: ended on a day before the appointment's day; on time: by the appointment;
//! - a dossier not ended by the period's end is pending, overdue when its appointment
//!   fell before the end of the period's last day.

mod course;
mod dashboard;
mod period;
#[cfg(test)]
mod tests;

pub use course::{Course, from_seconds, seconds};
pub use dashboard::{Overdue, Week, busiest, overdue, weeks};
pub use period::{Period, PeriodKind, year_and_number};

use crate::status::Status;
use chrono::{NaiveDateTime, TimeDelta};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the report needs of one dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub code: String,
    /// Lĩnh vực, as the catalogue the dossier was received under names it.
    pub field: String,
    /// The procedure's name, as received.
    pub procedure: String,
    /// Who received it (the clerk's account).
    pub clerk: String,
    /// Received online (the counter receives at the counter or by post only).
    pub online: bool,
    pub received_at: NaiveDateTime,
    /// The appointment first given (None: none was given).
    pub due_at: Option<NaiveDateTime>,
    /// Status changes after reception, oldest first, in Vietnam's local time.
    pub steps: Vec<(NaiveDateTime, Status)>,
}

/// How a dossier stood for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Ended in the period: early, on time or late.
    Early,
    OnTime,
    Late,
    /// Not ended by the period's end.
    PendingInTime,
    PendingLate,
}

impl Standing {
    /// What the index counts as on time: ended early or on time, or pending within time.
    pub fn in_time(self) -> bool {
        matches!(
            self,
            Standing::Early | Standing::OnTime | Standing::PendingInTime
        )
    }
}

impl Facts {
    /// When and how it ended before `t`: the first "result ready", else the first
    /// return, else the first refusal, stop or withdrawal.
    pub fn end_before(&self, t: NaiveDateTime) -> Option<(NaiveDateTime, Status)> {
        let first = |want: &dyn Fn(Status) -> bool| {
            self.steps
                .iter()
                .find(|(at, s)| *at < t && want(*s))
                .copied()
        };
        first(&|s| s == Status::ResultReady)
            .or_else(|| first(&|s| s == Status::Returned))
            .or_else(|| {
                first(&|s| matches!(s, Status::Refused | Status::Stopped | Status::Withdrawn))
            })
    }

    /// Time spent waiting for a supplement before `t`, and how many times one was asked.
    fn supplement_before(&self, t: NaiveDateTime) -> (TimeDelta, usize) {
        let mut waited = TimeDelta::zero();
        let mut asked = 0;
        for (k, (at, s)) in self.steps.iter().enumerate() {
            if *s != Status::SupplementRequested || *at >= t {
                continue;
            }
            asked += 1;
            let until = self.steps.get(k + 1).map_or(t, |(next, _)| (*next).min(t));
            waited += until - *at;
        }
        (waited, asked)
    }

    /// The appointment as it stands at `t`: the first one given, moved on by the time
    /// spent waiting for a supplement before `t`; and how many supplements were asked.
    pub fn due_before(&self, t: NaiveDateTime) -> (Option<NaiveDateTime>, usize) {
        let (waited, asked) = self.supplement_before(t);
        (self.due_at.map(|d| d + waited), asked)
    }

    /// How it stood for a period ending (exclusive) at `end`; None when it was not yet
    /// received.
    pub fn standing(&self, end: NaiveDateTime) -> Option<Standing> {
        if self.received_at >= end {
            return None;
        }
        let ended = self.end_before(end);
        let until = ended.map_or(end, |(at, _)| at);
        let (due, asked) = self.due_before(until);
        Some(match ended {
            Some((at, _)) => match due {
                _ if asked > 1 => Standing::Late,
                Some(due) if at > due => Standing::Late,
                Some(due) if at.date() < due.date() => Standing::Early,
                _ => Standing::OnTime,
            },
            None => match due {
                _ if asked > 1 => Standing::PendingLate,
                Some(due) if due < end => Standing::PendingLate,
                _ => Standing::PendingInTime,
            },
        })
    }
}

/// One row of Biểu 06: a field, or the totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    /// Lĩnh vực; "Tổng số" on the totals row.
    pub field: String,
    /// (3) Received: in total = (4) + (5) + (6).
    pub received_total: u64,
    /// (4) Online in the period.
    pub received_online: u64,
    /// (5) At the counter or by post in the period.
    pub received_direct: u64,
    /// (6) From the previous period (received before it, not ended before it).
    pub carried: u64,
    /// (7) Resolved in the period: (8) + (9) + (10).
    pub resolved_total: u64,
    /// (8) Early.
    pub early: u64,
    /// (9) On time.
    pub on_time: u64,
    /// (10) Late.
    pub resolved_late: u64,
    /// (11) Pending at the period's end: (12) + (13).
    pub pending_total: u64,
    /// (12) Within time.
    pub pending_in_time: u64,
    /// (13) Overdue.
    pub pending_late: u64,
}

impl Row {
    fn add(&mut self, o: &Row) {
        self.received_total += o.received_total;
        self.received_online += o.received_online;
        self.received_direct += o.received_direct;
        self.carried += o.carried;
        self.resolved_total += o.resolved_total;
        self.early += o.early;
        self.on_time += o.on_time;
        self.resolved_late += o.resolved_late;
        self.pending_total += o.pending_total;
        self.pending_in_time += o.pending_in_time;
        self.pending_late += o.pending_late;
    }

    /// The eleven counts in the form's column order (3) … (13).
    pub fn counts(&self) -> [u64; 11] {
        [
            self.received_total,
            self.received_online,
            self.received_direct,
            self.carried,
            self.resolved_total,
            self.early,
            self.on_time,
            self.resolved_late,
            self.pending_total,
            self.pending_in_time,
            self.pending_late,
        ]
    }
}

/// A ratio of the national index: what it counts over what it counts among.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ratio {
    pub name: String,
    pub numerator: u64,
    pub denominator: u64,
    /// Percent with one decimal, None when there is nothing to count.
    pub percent: Option<String>,
    /// How it is counted, in Vietnamese.
    pub rule: String,
}

impl Ratio {
    fn new(name: &str, numerator: u64, denominator: u64, rule: &str) -> Ratio {
        let percent = (denominator > 0).then(|| {
            let tenths = (numerator * 1000 + denominator / 2) / denominator;
            format!("{},{}", tenths / 10, tenths % 10)
        });
        Ratio {
            name: name.to_string(),
            numerator,
            denominator,
            percent,
            rule: rule.to_string(),
        }
    }
}

/// An indicator the counter cannot measure yet, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotMeasured {
    pub name: String,
    pub reason: String,
}

/// Biểu 06 for one period, and the index ratios the same facts decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub period: Period,
    /// One row per field, by name.
    pub rows: Vec<Row>,
    pub total: Row,
    pub ratios: Vec<Ratio>,
    pub not_measured: Vec<NotMeasured>,
    /// How the figures were counted, in Vietnamese (printed under the table).
    pub notes: Vec<String>,
    /// For a period not over when it was counted: the moment (local time, that second
    /// included) its figures stand at, printed under the period ([`Report::counted_to_line`]);
    /// none once the period is over.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, example = "2026-12-06T10:30:00")
    )]
    pub counted_to: Option<NaiveDateTime>,
}

impl Report {
    /// "Số liệu tính đến 10:30 ngày 06/12/2026 (kỳ báo cáo chưa kết thúc)" for a report of
    /// a period not over when it was counted: printed, exported or sent, its figures must
    /// not pass for the whole period's.
    pub fn counted_to_line(&self) -> Option<String> {
        self.counted_to.map(|at| {
            format!(
                "Số liệu tính đến {} (kỳ báo cáo chưa kết thúc)",
                at.format("%H:%M ngày %d/%m/%Y")
            )
        })
    }
}

/// The heading of the report's table columns (3) … (13), with the two before them.
pub const COLUMNS: [&str; 13] = [
    "STT",
    "Lĩnh vực",
    "Tiếp nhận: Tổng số",
    "Tiếp nhận: Trực tuyến",
    "Tiếp nhận: Trực tiếp và dịch vụ bưu chính",
    "Tiếp nhận: Từ kỳ trước",
    "Đã giải quyết: Tổng số",
    "Đã giải quyết: Trước hạn",
    "Đã giải quyết: Đúng hạn",
    "Đã giải quyết: Quá hạn",
    "Đang giải quyết: Tổng số",
    "Đang giải quyết: Trong hạn",
    "Đang giải quyết: Quá hạn",
];

/// Quotes a CSV cell when it needs it.
fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The report as CSV (UTF-8 with a byte-order mark, so a spreadsheet opens the
/// Vietnamese right): the title lines, the 13 columns, one row per field, the totals.
pub fn csv(r: &Report, agency: &str) -> String {
    let mut out = String::from("\u{feff}");
    let line =
        |cells: Vec<String>| cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",") + "\r\n";
    out += &line(vec![
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH".to_string(),
    ]);
    // A period not over: how far its figures go, on the period's own line (the table
    // stays on the rows a spreadsheet or a script expects).
    let so_far = r
        .counted_to_line()
        .map(|at| format!(". {at}"))
        .unwrap_or_default();
    out += &line(vec![format!(
        "Kỳ báo cáo: {} ({}){so_far}",
        r.period.label(),
        r.period.days()
    )]);
    out += &line(vec![format!("Đơn vị báo cáo: {agency}")]);
    out += &line(vec!["Đơn vị tính: Số hồ sơ TTHC".to_string()]);
    out += &line(COLUMNS.iter().map(|c| c.to_string()).collect());
    for (k, row) in r.rows.iter().enumerate() {
        let mut cells = vec![(k + 1).to_string(), row.field.clone()];
        cells.extend(row.counts().iter().map(u64::to_string));
        out += &line(cells);
    }
    let mut cells = vec![String::new(), r.total.field.clone()];
    cells.extend(r.total.counts().iter().map(u64::to_string));
    out += &line(cells);
    out
}

/// The moment a period's figures stop at (exclusive) when counted at `as_of`: the
/// second after `as_of`, within the period.
pub fn cut(period: &Period, as_of: NaiveDateTime) -> NaiveDateTime {
    (as_of + TimeDelta::seconds(1)).clamp(period.start(), period.end())
}

/// The field's name on a row, for a dossier whose catalogue named none.
pub const NO_FIELD: &str = "Chưa xác định lĩnh vực";

/// Counts `facts` for `period`.
pub fn report(period: Period, facts: &[Facts]) -> Report {
    report_as_of(period, facts, period.end())
}

/// Counts `facts` for `period` as they stood at `as_of`, that second included (a period
/// not over yet is counted up to now: a dossier due after now is not overdue yet).
pub fn report_as_of(period: Period, facts: &[Facts], as_of: NaiveDateTime) -> Report {
    let (start, end) = (period.start(), cut(&period, as_of));
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for f in facts {
        let Some(standing) = f.standing(end) else {
            continue;
        };
        if f.received_at < start && f.end_before(start).is_some() {
            continue;
        }
        let carried = f.received_at < start;
        count(&mut rows, &f.field, carried, f.online, standing, 1);
    }
    assemble(period, rows, end, as_of)
}

/// Dossiers a period counts alike: of one field, received in the period or carried
/// over from before it, online or not, standing alike at its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub field: String,
    pub carried: bool,
    pub online: bool,
    pub standing: Standing,
    pub count: u64,
}

/// The report of `period` as it stood at `as_of` from dossiers already counted alike
/// (by a store that keeps each dossier's [`Course`]): what [`report_as_of`] gives for
/// the dossiers counted.
pub fn report_from_tallies(
    period: Period,
    tallies: impl IntoIterator<Item = Tally>,
    as_of: NaiveDateTime,
) -> Report {
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for t in tallies {
        count(
            &mut rows, &t.field, t.carried, t.online, t.standing, t.count,
        );
    }
    assemble(period, rows, cut(&period, as_of), as_of)
}

/// Adds `n` dossiers alike to their field's row.
fn count(
    rows: &mut BTreeMap<String, Row>,
    field: &str,
    carried: bool,
    online: bool,
    standing: Standing,
    n: u64,
) {
    let field = if field.trim().is_empty() {
        NO_FIELD
    } else {
        field.trim()
    };
    let r = match rows.get_mut(field) {
        Some(r) => r,
        None => rows.entry(field.to_string()).or_default(),
    };
    if carried {
        r.carried += n;
    } else if online {
        r.received_online += n;
    } else {
        r.received_direct += n;
    }
    r.received_total += n;
    match standing {
        Standing::Early => r.early += n,
        Standing::OnTime => r.on_time += n,
        Standing::Late => r.resolved_late += n,
        Standing::PendingInTime => r.pending_in_time += n,
        Standing::PendingLate => r.pending_late += n,
    }
    match standing {
        Standing::Early | Standing::OnTime | Standing::Late => r.resolved_total += n,
        Standing::PendingInTime | Standing::PendingLate => r.pending_total += n,
    }
}

/// The report from its rows by field, counted up to `end` (exclusive).
fn assemble(
    period: Period,
    rows: BTreeMap<String, Row>,
    end: NaiveDateTime,
    as_of: NaiveDateTime,
) -> Report {
    let mut total = Row {
        field: "Tổng số".to_string(),
        ..Row::default()
    };
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|(field, mut r)| {
            r.field = field;
            total.add(&r);
            r
        })
        .collect();
    let in_period = total.received_online + total.received_direct;
    let ratios = vec![
        Ratio::new(
            "Tỷ lệ hồ sơ giải quyết đúng hạn",
            total.early + total.on_time + total.pending_in_time,
            total.received_total,
            "(hồ sơ đã giải quyết trước hạn, đúng hạn + hồ sơ đang giải quyết trong hạn) ÷ hồ sơ tiếp nhận và giải quyết trong kỳ",
        ),
        Ratio::new(
            "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
            total.received_online,
            in_period,
            "hồ sơ tiếp nhận trực tuyến ÷ hồ sơ tiếp nhận trong kỳ; quầy chỉ nhận trực tiếp và qua bưu chính",
        ),
    ];
    let not_measured = [
        (
            "Tỷ lệ số hóa hồ sơ, kết quả giải quyết",
            "quầy chưa lưu bản điện tử của giấy tờ và của kết quả",
        ),
        (
            "Tỷ lệ thanh toán trực tuyến",
            "quầy chưa ghi nhận hình thức thanh toán phí, lệ phí",
        ),
        (
            "Mức độ hài lòng",
            "quầy chưa ghi nhận phản ánh, kiến nghị và đánh giá của người dân",
        ),
        (
            "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu",
            "quầy chưa ghi nhận thành phần hồ sơ lấy từ dữ liệu đã có",
        ),
    ]
    .map(|(name, reason)| NotMeasured {
        name: name.to_string(),
        reason: reason.to_string(),
    })
    .to_vec();
    let notes = [
        "Hồ sơ kết thúc khi có kết quả; nếu không, khi trả kết quả; nếu không, khi từ chối, dừng xử lý hoặc rút hồ sơ: hồ sơ bị từ chối, dừng hoặc rút được tính là đã giải quyết, trước hạn, đúng hạn hay quá hạn theo thời điểm đó.",
        "Hạn được tính theo ngày hẹn trả ghi trên giấy tiếp nhận (gia hạn bằng phiếu xin lỗi, Mẫu 04, không làm hồ sơ trễ hạn thành đúng hạn), cộng thời gian chờ bổ sung; hồ sơ yêu cầu bổ sung quá một lần được tính là quá hạn.",
        "Trạng thái do hệ thống cấp trên cập nhật được tính từ lúc quầy nhận được qua đồng bộ.",
    ]
    .map(str::to_string)
    .to_vec();
    Report {
        period,
        rows,
        total,
        ratios,
        not_measured,
        notes,
        counted_to: (end < period.end()).then_some(as_of),
    }
}
