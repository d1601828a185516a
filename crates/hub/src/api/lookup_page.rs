//! The citizen lookup page's HTML: made for a phone (viewport, readable type, one column),
//! in plain Vietnamese, with no script and nothing loaded from elsewhere (its one style
//! sheet is the hub's own, `/tra-cuu.css`). What it shows is only what the citizen's
//! code and lookup secret open: the applicant's initials, never a name or an ID number.

use crate::db::{AgencyInfo, HistoryStep, LookupRow, StepKind};
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use motcua_core::status::Status;

/// The page's style sheet, served at `/tra-cuu.css`.
pub(super) const CSS: &str = include_str!("lookup.css");

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Keeps all but the initials of each word but the last: "Trần Thị Lan" -> "T. T. Lan".
pub(super) fn mask_name(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let n = words.len();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i + 1 == n {
                (*w).to_string()
            } else {
                format!("{}.", w.chars().next().unwrap_or('?'))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "thứ Hai" … "chủ nhật", as written inside a sentence.
fn weekday(t: &NaiveDateTime) -> String {
    use chrono::Datelike;
    let w = motcua_core::calendar::weekday_vi(t.weekday());
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// An appointment as a citizen reads it: "17:00 thứ Hai, 07/12/2026"; the stored text
/// as it is when it cannot be read.
pub(super) fn appointment_text(stored: &str) -> String {
    match NaiveDateTime::parse_from_str(stored, "%Y-%m-%dT%H:%M:%S") {
        Ok(t) => format!(
            "{} {}, {}",
            t.format("%H:%M"),
            weekday(&t),
            t.format("%d/%m/%Y")
        ),
        Err(_) => stored.to_string(),
    }
}

/// A moment of the history in Vietnam's time: "08:15 07/12/2026".
fn moment(rfc3339: &str) -> String {
    let vn = FixedOffset::east_opt(7 * 3600).expect("UTC+7");
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t.with_timezone(&vn).format("%H:%M %d/%m/%Y").to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// The status in plain words, and the CSS class of its badge.
pub(super) fn status_words(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Received => ("Đã tiếp nhận, đang chờ giải quyết", "wait"),
        Status::Processing => ("Đang giải quyết", "wait"),
        Status::SupplementRequested => ("Cần bổ sung giấy tờ", "act"),
        Status::FinancialObligation => (
            "Cần nộp phí, lệ phí hoặc thực hiện nghĩa vụ tài chính",
            "act",
        ),
        Status::ResultReady => ("Đã có kết quả: mời ông/bà đến nhận", "ready"),
        Status::Returned => ("Đã trả kết quả", "done"),
        Status::Refused => ("Hồ sơ không được giải quyết", "stop"),
        Status::Withdrawn => ("Hồ sơ đã được rút theo yêu cầu của ông/bà", "stop"),
        Status::Stopped => ("Đã dừng giải quyết hồ sơ", "stop"),
    }
}

/// One step of the history as a sentence.
fn step_text(s: &HistoryStep) -> String {
    let with = |head: &str, label: &str, note: &Option<String>| match note {
        Some(n) if !n.trim().is_empty() => format!("{head}. {label}: {}", escape(n.trim())),
        _ => head.to_string(),
    };
    match &s.what {
        StepKind::Received => "Bộ phận một cửa tiếp nhận hồ sơ".to_string(),
        StepKind::Status { status, note } => match status {
            Status::Received => "Hồ sơ được tiếp nhận lại".to_string(),
            Status::Processing => with("Hồ sơ được chuyển giải quyết", "Ghi chú", note),
            Status::SupplementRequested => with("Yêu cầu bổ sung giấy tờ", "Cần bổ sung", note),
            Status::FinancialObligation => {
                with("Yêu cầu thực hiện nghĩa vụ tài chính", "Nội dung", note)
            }
            Status::ResultReady => with("Đã có kết quả, chờ trả", "Ghi chú", note),
            Status::Returned => "Đã trả kết quả".to_string(),
            Status::Refused => with("Hồ sơ không được giải quyết", "Lý do", note),
            Status::Withdrawn => with("Rút hồ sơ theo yêu cầu của người nộp", "Ghi chú", note),
            Status::Stopped => with("Dừng giải quyết hồ sơ", "Lý do", note),
        },
        StepKind::Extended { to, reason } => format!(
            "Hẹn lại ngày trả kết quả: {}. Lý do: {}",
            escape(&appointment_text(to)),
            escape(reason.trim())
        ),
    }
}

/// What to bring, by status; none once the dossier is closed.
fn bring(s: Status) -> Option<(&'static str, &'static [&'static str])> {
    const COLLECT: &[&str] = &[
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (giấy có mã hồ sơ này);",
        "Căn cước, Căn cước công dân hoặc giấy tờ tùy thân có ảnh còn giá trị;",
        "Nếu nhận thay: văn bản ủy quyền và giấy tờ tùy thân của người nhận thay.",
    ];
    const SUPPLEMENT: &[&str] = &[
        "Các giấy tờ cần bổ sung nêu trong phiếu yêu cầu bổ sung (Mẫu 02);",
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (giấy có mã hồ sơ này).",
    ];
    match s {
        Status::Received | Status::Processing | Status::ResultReady => {
            Some(("Khi đến nhận kết quả, xin mang theo", COLLECT))
        }
        Status::SupplementRequested => Some(("Khi đến bổ sung, xin mang theo", SUPPLEMENT)),
        Status::FinancialObligation => Some((
            "Khi đến nộp phí, lệ phí và nhận kết quả, xin mang theo",
            COLLECT,
        )),
        Status::Returned | Status::Refused | Status::Withdrawn | Status::Stopped => None,
    }
}

/// The hand-entry form; it echoes nothing typed, so that every "not found" is the same.
fn form(heading: &str) -> String {
    format!(
        "<section aria-labelledby=\"tim\"><h2 id=\"tim\">{heading}</h2>\
<form method=\"get\" action=\"/tra-cuu\">\
<label for=\"ma\">Mã hồ sơ</label>\
<input id=\"ma\" name=\"ma\" type=\"text\" required maxlength=\"64\" autocomplete=\"off\" \
spellcheck=\"false\" aria-describedby=\"goi-y\">\
<label for=\"mk\">Mã tra cứu</label>\
<input id=\"mk\" name=\"mk\" type=\"text\" required maxlength=\"32\" autocomplete=\"off\" \
autocapitalize=\"characters\" spellcheck=\"false\" aria-describedby=\"goi-y\">\
<button type=\"submit\">Tra cứu</button>\
<p id=\"goi-y\" class=\"hint\">Hai mã này in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, \
cạnh mã QR. Mã tra cứu không phân biệt chữ hoa, chữ thường.</p>\
</form></section>"
    )
}

/// The whole page around `main`.
pub(super) fn page(title: &str, header: &str, main: &str, footer: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"robots\" content=\"noindex\">\
<title>{title}</title><link rel=\"stylesheet\" href=\"/tra-cuu.css\"></head>\
<body><header>{header}<h1>Tra cứu hồ sơ</h1></header><main>{main}</main>{footer}</body></html>\n"
    )
}

/// A page with one message and the form.
pub(super) fn message(text: &str) -> String {
    page(
        "Tra cứu hồ sơ",
        "",
        &format!(
            "<p class=\"message\" role=\"status\">{}</p>{}",
            escape(text),
            form("Tra cứu bằng mã trên giấy tiếp nhận")
        ),
        "",
    )
}

fn agency_header(a: &AgencyInfo) -> String {
    a.name
        .as_deref()
        .map(|n| format!("<p class=\"agency\">{}</p>", escape(n)))
        .unwrap_or_default()
}

fn agency_footer(a: &AgencyInfo) -> String {
    let mut lines = Vec::new();
    if let Some(n) = &a.name {
        lines.push(format!("<p><strong>{}</strong></p>", escape(n)));
    }
    if let Some(addr) = &a.address {
        lines.push(format!("<p>Địa chỉ: {}</p>", escape(addr)));
    }
    if let Some(p) = &a.phone {
        let dial: String = p
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        lines.push(format!(
            "<p>Điện thoại: <a href=\"tel:{}\">{}</a></p>",
            escape(&dial),
            escape(p)
        ));
    }
    if lines.is_empty() {
        String::new()
    } else {
        format!("<footer>{}</footer>", lines.concat())
    }
}

/// The page of a dossier found with its right secret.
pub(super) fn dossier(d: &LookupRow) -> String {
    let (words, class) = status_words(d.status);
    let mut facts = format!(
        "<dt>Mã hồ sơ</dt><dd class=\"code\">{}</dd>",
        escape(&d.code)
    );
    if let Some(p) = &d.procedure {
        facts += &format!("<dt>Thủ tục</dt><dd>{}</dd>", escape(p));
    }
    facts += &format!(
        "<dt>Người nộp</dt><dd>{}</dd>",
        escape(&mask_name(&d.applicant_name))
    );
    match (&d.due_at, &d.first_due_at) {
        (Some(due), first) => {
            facts += &format!(
                "<dt>Hẹn trả kết quả</dt><dd class=\"due\">{}",
                escape(&appointment_text(due))
            );
            if let Some(f) = first {
                facts += &format!(
                    "<span class=\"moved\">Đã hẹn lại; hẹn ban đầu: {}</span>",
                    escape(&appointment_text(f))
                );
            }
            facts += "</dd>";
        }
        (None, _) => facts += "<dt>Hẹn trả kết quả</dt><dd>theo giấy tiếp nhận</dd>",
    }
    let last_note = d.history.iter().rev().find_map(|s| match &s.what {
        StepKind::Status { status, note } if *status == d.status => note.clone(),
        _ => None,
    });
    let note = match (d.status, last_note) {
        (
            Status::SupplementRequested
            | Status::FinancialObligation
            | Status::Refused
            | Status::Stopped,
            Some(n),
        ) if !n.trim().is_empty() => format!("<p class=\"note\">{}</p>", escape(n.trim())),
        _ => String::new(),
    };
    let bring = bring(d.status)
        .map(|(head, items)| {
            format!(
                "<section aria-labelledby=\"mang\"><h2 id=\"mang\">{head}</h2><ul>{}</ul></section>",
                items
                    .iter()
                    .map(|i| format!("<li>{i}</li>"))
                    .collect::<String>()
            )
        })
        .unwrap_or_default();
    let history = if d.history.is_empty() {
        String::new()
    } else {
        format!(
            "<section aria-labelledby=\"qua-trinh\"><h2 id=\"qua-trinh\">Quá trình giải quyết</h2><ol class=\"history\">{}</ol></section>",
            d.history
                .iter()
                .map(|s| format!(
                    "<li><span class=\"when\">{}</span> {}</li>",
                    moment(&s.at),
                    step_text(s)
                ))
                .collect::<String>()
        )
    };
    let main = format!(
        "<section aria-labelledby=\"ho-so\"><h2 id=\"ho-so\">Tình trạng hồ sơ</h2>\
<p class=\"status {class}\" role=\"status\">{words}</p>{note}<dl>{facts}</dl></section>\
{bring}{history}{}",
        form("Tra cứu hồ sơ khác")
    );
    let title = format!("Hồ sơ {} — Tra cứu hồ sơ", escape(&d.code));
    page(
        &title,
        &agency_header(&d.agency),
        &main,
        &agency_footer(&d.agency),
    )
}

#[cfg(test)]
mod tests;
