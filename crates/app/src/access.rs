//! Who read which citizens' data: the rules of the access log (Luật Bảo vệ dữ liệu cá
//! nhân 2025, Nghị định 356/2025/NĐ-CP: the commune must be able to show who processed
//! what), in one place for the window and the command line.
//!
//! * Every read that shows a dossier's data is logged under the counter's **reader** (the
//!   signed-in clerk in the window; on the command line the account named with `--as`,
//!   else the station's owner, [`STATION_OWNER`]): opening a dossier ([`Counter::detail`]),
//!   a list or search showing dossiers, a form printed ([`Counter::print_rendered`]) or
//!   written to a file ([`Counter::export`]), a report or book made, a citizen's request
//!   answered, the log read for one citizen.
//! * The list in the window asks for a page at each key the clerk types and each scroll:
//!   one search is one entry, however many pages it took. Pages of the same list, or of
//!   a search the clerk is still typing (the new words extend or shorten the old), are
//!   gathered in memory and written as one entry when the clerk does anything else,
//!   signs out, or within [`SETTLE`] (the window's status tick calls
//!   [`Counter::settle_access`]); the codes of every dossier shown are in it.
//! * A read whose entry cannot be written (a full disk) is refused: nothing is shown that
//!   the log does not hold. The one exception is a database behind its journal's mark,
//!   which takes no event until it is recovered ([`Counter::record`]).
//! * Entries never carry a full ID number: typed words are masked
//!   ([`motcua_core::access::mask_numbers`]) and people are named by their dossiers.

use crate::accounts::STATION_OWNER;
use crate::counter::Counter;
use crate::error::{AppError, Result};
use crate::forms::{Form, Rendered};
use crate::paths::{Existing, write_output};
use crate::register::RegisterQuery;
use motcua_core::access::{Access, AccessAction, mask_numbers};
use motcua_core::text::fold;
use motcua_store::{AccessEntry, AccessFilter};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a gathered search waits in memory at most before it is written.
pub const SETTLE: Duration = Duration::from_secs(5);

/// Most dossier codes one search entry lists (a list scrolled further is said so).
pub const MOST_CODES: usize = 2000;

/// The reader and the search being gathered.
#[derive(Debug, Default)]
pub(crate) struct AccessState {
    reader: Option<String>,
    pending: Option<Pending>,
}

/// A search gathered from the pages the window asked for.
#[derive(Debug)]
struct Pending {
    /// The list's query, its words left out.
    filters: RegisterQuery,
    /// The folded words, as last typed.
    words: String,
    /// What the entry says (the words as typed, masked, and the filters).
    what: String,
    codes: Vec<String>,
    more: bool,
    since: Instant,
}

impl Pending {
    /// Whether a page of `filters` and `words` continues this search.
    fn continued_by(&self, filters: &RegisterQuery, words: &str) -> bool {
        // The whole list and a search are two entries, even when one follows the other.
        &self.filters == filters
            && self.words.is_empty() == words.is_empty()
            && (words.starts_with(&self.words) || self.words.starts_with(words))
            && self.since.elapsed() < SETTLE
    }

    fn add(&mut self, codes: impl IntoIterator<Item = String>) {
        for c in codes {
            if self.codes.contains(&c) {
                continue;
            }
            if self.codes.len() >= MOST_CODES {
                self.more = true;
                return;
            }
            self.codes.push(c);
        }
    }
}

/// The access log's filters as the office head gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessQuery {
    /// A citizen's ID number (whole): entries naming any of their dossiers.
    pub id_number: Option<String>,
    pub clerk: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub limit: usize,
}

impl Counter {
    /// Who the reads from here on are logged under: a signed-in account (checked active),
    /// or `None` when the clerk signs out. What was gathered for the previous reader is
    /// written first.
    pub fn set_reader(&mut self, username: Option<&str>) -> Result<()> {
        self.settle_access_now()?;
        let reader = match username {
            Some(u) if u == STATION_OWNER => Some(u.to_string()),
            Some(u) => {
                let user = self.store.user(u)?;
                if !user.active {
                    return Err(AppError::Refused(format!("tài khoản «{u}» đã bị khóa")));
                }
                Some(user.username)
            }
            None => None,
        };
        self.access.reader = reader;
        Ok(())
    }

    /// Who reads are logged under: the reader set, else the station's owner (a command
    /// line run without `--as`).
    pub fn reader(&self) -> String {
        self.access
            .reader
            .clone()
            .unwrap_or_else(|| STATION_OWNER.to_string())
    }

    /// Writes one entry under the reader (what was gathered first).
    pub(crate) fn log_access(&mut self, access: Access) -> Result<()> {
        self.settle_access_now()?;
        self.record(&access)
    }

    /// Journals `access` under the reader now. A database behind its journal's
    /// high-water mark (or with a damaged mark, or another journal's history) takes no
    /// event until `motcua recover` (a new event would reuse the number of one it lost):
    /// reading goes on there, as it always has, without an entry — the window and the
    /// command line already say the station must be recovered. Any other failure refuses
    /// the read.
    fn record(&mut self, access: &Access) -> Result<()> {
        if self.store.check_mark().is_err() {
            return Ok(());
        }
        let (reader, now) = (self.reader(), self.now());
        self.store
            .record_access(&reader, access, now)
            .map(|_| ())
            .map_err(|e| logging_failed(e.into()))
    }

    /// Logs that `codes` were shown by one search or one list (`what` says which).
    pub(crate) fn log_shown(
        &mut self,
        action: AccessAction,
        what: String,
        codes: Vec<String>,
    ) -> Result<()> {
        self.log_access(Access {
            action,
            what,
            dossiers: codes,
            subject: None,
        })
    }

    /// Gathers a page of the window's list (see the module): written now when it starts
    /// another search, else with the next entry or within [`SETTLE`].
    pub(crate) fn gather_page(&mut self, q: &RegisterQuery, codes: Vec<String>) -> Result<()> {
        if codes.is_empty() {
            return Ok(());
        }
        let filters = RegisterQuery {
            text: String::new(),
            ..q.clone()
        };
        let words = fold(q.text.trim());
        let continued = self
            .access
            .pending
            .as_ref()
            .is_some_and(|p| p.continued_by(&filters, &words));
        if !continued {
            self.settle_access_now()?;
        }
        let what = list_what(q);
        let p = self.access.pending.get_or_insert_with(|| Pending {
            filters,
            words: words.clone(),
            what: what.clone(),
            codes: Vec::new(),
            more: false,
            since: Instant::now(),
        });
        if words.len() >= p.words.len() {
            p.words = words;
            p.what = what;
        }
        p.add(codes);
        Ok(())
    }

    /// Writes the gathered search if it has waited [`SETTLE`] (the window's tick).
    pub fn settle_access(&mut self) -> Result<()> {
        let due = self
            .access
            .pending
            .as_ref()
            .is_some_and(|p| p.since.elapsed() >= SETTLE);
        if due {
            self.settle_access_now()?;
        }
        Ok(())
    }

    /// Writes the gathered search now, if any.
    pub fn settle_access_now(&mut self) -> Result<()> {
        let Some(p) = &self.access.pending else {
            return Ok(());
        };
        let what = if p.more {
            format!("{} (và các hồ sơ sau {MOST_CODES} hồ sơ đầu)", p.what)
        } else {
            p.what.clone()
        };
        let access = Access {
            action: AccessAction::Search,
            what,
            dossiers: p.codes.clone(),
            subject: None,
        };
        // Kept in memory when it cannot be written, for the next try.
        self.record(&access)?;
        self.access.pending = None;
        Ok(())
    }

    /// The access log's entries matching `q`, newest first, for an admin. Reading it for
    /// one citizen is itself logged.
    pub fn access_log(
        &mut self,
        q: &AccessQuery,
        _by: &crate::accounts::Reviewer,
    ) -> Result<Vec<AccessEntry>> {
        let dossiers = match &q.id_number {
            Some(id) => {
                let codes = self.store.dossier_codes_of_person(id.trim())?;
                self.log_access(Access {
                    action: AccessAction::Review,
                    what: "Xem nhật ký truy cập theo số định danh".into(),
                    dossiers: codes.clone(),
                    subject: Some(motcua_core::text::mask_id(id.trim())),
                })?;
                Some(codes)
            }
            None => None,
        };
        Ok(self.store.access_log(&AccessFilter {
            clerk: q.clerk.clone(),
            from: q.from,
            to: q.to,
            dossiers,
            limit: if q.limit == 0 { 1000 } else { q.limit },
        })?)
    }
}

impl Counter {
    /// Logs a rendered form leaving the counter: printed, or written to `to`. A book or a
    /// report (many dossiers, by period) is a report entry naming no dossier.
    pub(crate) fn log_rendered(
        &mut self,
        r: &Rendered,
        how: AccessAction,
        to: Option<&Path>,
    ) -> Result<()> {
        let title = r.form.title_vi(r.set);
        let (action, what, dossiers) = match r.form {
            Form::Ledger | Form::Report => {
                let verb = if how == AccessAction::Print {
                    "In"
                } else {
                    "Lưu"
                };
                (
                    AccessAction::Report,
                    format!("{verb} {title} ({})", r.code),
                    Vec::new(),
                )
            }
            // The request it answers is logged with its dossiers; the letter is named by
            // when it was drawn up.
            Form::PersonalData => (how, format!("{title} ({})", r.code), Vec::new()),
            _ => (how, title.to_string(), vec![r.code.clone()]),
        };
        let what = match to {
            Some(path) => format!("{what} vào tệp {}", path.display()),
            None => what,
        };
        self.log_access(Access {
            action,
            what,
            dossiers,
            subject: None,
        })
    }

    /// Writes a rendered form to `output` (a file the user names) and logs it.
    pub fn export(&mut self, r: &Rendered, output: &Path, existing: Existing) -> Result<()> {
        self.log_rendered(r, AccessAction::Export, Some(output))?;
        write_output(output, existing, &r.bytes)
    }

    /// Writes a report's file (PDF, XLSX, CSV) to `output` and logs it; `what` names the
    /// report and its period.
    pub fn export_report(
        &mut self,
        what: &str,
        bytes: &[u8],
        output: &Path,
        existing: Existing,
    ) -> Result<()> {
        self.log_saved(what, output)?;
        write_output(output, existing, bytes)
    }

    /// Logs a book or a report written to `path` (by the window in the data directory, or
    /// to a file the user names).
    pub fn log_saved(&mut self, what: &str, path: &Path) -> Result<()> {
        self.log_access(Access {
            action: AccessAction::Report,
            what: format!("Lưu {what} vào tệp {}", path.display()),
            dossiers: Vec::new(),
            subject: None,
        })
    }
}

/// What a list entry says: its words (ID numbers masked) and filters.
pub(crate) fn list_what(q: &RegisterQuery) -> String {
    let mut parts = Vec::new();
    let words = q.text.trim();
    if words.is_empty() {
        parts.push("Danh sách hồ sơ".to_string());
    } else {
        parts.push(format!("Tìm «{}»", mask_numbers(words)));
    }
    if let Some(s) = q.status {
        parts.push(format!("trạng thái «{}»", s.label()));
    }
    if let Some(p) = &q.procedure {
        parts.push(format!("thủ tục {p}"));
    }
    match (q.received_from, q.received_to) {
        (Some(a), Some(b)) => parts.push(format!(
            "nhận từ {} đến {}",
            a.format("%d/%m/%Y"),
            b.format("%d/%m/%Y")
        )),
        (Some(a), None) => parts.push(format!("nhận từ {}", a.format("%d/%m/%Y"))),
        (None, Some(b)) => parts.push(format!("nhận đến {}", b.format("%d/%m/%Y"))),
        (None, None) => {}
    }
    parts.join(", ")
}

/// A read refused because its entry could not be written.
fn logging_failed(e: AppError) -> AppError {
    AppError::Refused(format!(
        "không ghi được nhật ký truy cập dữ liệu cá nhân nên không hiển thị hay xuất dữ liệu: {e}"
    ))
}

impl Drop for Counter {
    fn drop(&mut self) {
        // A search still gathered when the counter closes (sign-out and the window's tick
        // write it before; this is the last chance).
        let _ = self.settle_access_now();
    }
}

#[cfg(test)]
mod tests;
