//! The counter: one station's register with its files, settings, clock and printer, and
//! the use cases a clerk or an admin runs on it — set up, sign in, receive, change a
//! status, find, show. Forms, printing, sync and support tools are in their own modules,
//! as more methods of [`Counter`].

use crate::calendar::{OfficeCalendar, office_calendar};
use crate::clock::{Clock, SystemClock};
use crate::error::{AppError, Result};
use crate::paths::Paths;
use crate::print::{Printer, SystemPrinter};
use crate::settings::{self, Key, Settings};
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use motcua_core::Field;
use motcua_core::ValidationError;
use motcua_core::code::DossierCode;
use motcua_core::dossier::{Dossier, DossierInput};
use motcua_core::status::Status;
use motcua_store::{DossierSummary, NewUser, Role, StationInfo, Store, User};
use serde::Serialize;
use std::sync::Arc;

/// How far ahead of the station clock a typed receipt time may be (drift between the
/// clerk's watch and the PC).
pub const FUTURE_TOLERANCE_MINUTES: i64 = 10;

/// The clock and the printer a counter uses; tests give fixed and recording ones.
#[derive(Clone)]
pub struct Env {
    pub clock: Arc<dyn Clock>,
    pub printer: Arc<dyn Printer>,
}

impl Env {
    /// The machine's clock and its CUPS printers.
    pub fn system() -> Env {
        Env {
            clock: Arc::new(SystemClock),
            printer: Arc::new(SystemPrinter),
        }
    }
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field("now", &self.clock.now())
            .finish_non_exhaustive()
    }
}

/// One station's counter: its register, files, clock and printer.
pub struct Counter {
    pub(crate) store: Store,
    pub(crate) paths: Paths,
    pub(crate) env: Env,
    /// When the end of the next working day was last worked out for a list, and what it was.
    pub(crate) list_clock: std::cell::Cell<Option<(NaiveDateTime, NaiveDateTime)>>,
    /// The settings and the office calendar as last read, with what they were read at.
    pub(crate) snapshot: std::cell::RefCell<Option<Snapshot>>,
    /// Who reads are logged under, and the search being gathered (`access.rs`).
    pub(crate) access: crate::access::AccessState,
}

/// The settings and the office calendar, kept while nothing they come from changed: the
/// database (any commit by another process, any row changed by this one) and the office's
/// schedule files (the calendar folder's modification time).
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    stamp: ((i64, u64), Option<std::time::SystemTime>),
    settings: Settings,
    calendar: Option<OfficeCalendar>,
}

impl std::fmt::Debug for Counter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Counter")
            .field("data_dir", &self.paths.data_dir)
            .finish_non_exhaustive()
    }
}

/// The station as typed in the setup (command line or wizard), before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StationForm {
    /// Mã định danh, e.g. `000.17.22.H56`.
    pub agency_id: String,
    /// e.g. `UBND xã Tân Lập`.
    pub agency_name: String,
    /// e.g. `UBND tỉnh Thanh Hóa`.
    pub parent_name: Option<String>,
    /// 1–9, one per counter of the agency.
    pub station_no: i64,
}

/// An account as typed, before validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountForm {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub password: String,
    /// The password typed a second time (the window asks twice; `None` on the command
    /// line, which reads it once from standard input).
    pub confirm: Option<String>,
}

impl AccountForm {
    /// Every problem of the account at once, in form order.
    pub fn check(&self) -> std::result::Result<NewUser, Vec<ValidationError>> {
        let user = NewUser {
            username: self.username.clone(),
            full_name: self.full_name.clone(),
            role: self.role,
            password: self.password.clone(),
        };
        let mut errors = user.check().err().unwrap_or_default();
        if self.confirm.as_ref().is_some_and(|c| *c != self.password) {
            errors.push(ValidationError::new(
                Field::PasswordConfirm,
                "hai lần nhập mật khẩu không giống nhau",
            ));
        }
        if errors.is_empty() {
            Ok(user)
        } else {
            Err(errors)
        }
    }
}

/// What the first-run setup did.
#[derive(Debug, Clone, Serialize)]
pub struct SetupReport {
    pub station: StationInfo,
    pub catalog_version: String,
    pub procedures: usize,
    /// Of which offered at the counter (the rest are kept but hidden, e.g. cư trú).
    pub offered: usize,
    /// The first admin account, when one was asked for.
    pub admin: Option<User>,
}

/// A dossier as the clerk filled it in, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceiveForm {
    /// Username of the receiving clerk.
    pub clerk: String,
    /// National procedure code, e.g. `1.001193`.
    pub procedure: String,
    pub input: DossierInput,
    /// Local time of receipt; `None` is now. Dossiers from the paper book after an outage
    /// are entered with the time they were received.
    pub received_at: Option<NaiveDateTime>,
    /// Idempotency key of this save: a retry with the same key returns the dossier the
    /// first attempt saved instead of a second one (the window uses one per form).
    pub request_id: Option<String>,
}

impl ReceiveForm {
    /// A fresh idempotency key for [`ReceiveForm::request_id`].
    pub fn new_request_id() -> String {
        motcua_store::new_request_id()
    }
}

/// An appointment with its explanation for the clerk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueInfo {
    pub at: NaiveDateTime,
    /// e.g. "… bỏ qua 27/04 Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/04)".
    pub explanation: String,
}

/// A received dossier.
#[derive(Debug, Clone, Serialize)]
pub struct Received {
    pub dossier: Dossier,
    pub due: DueInfo,
    /// The request was a retry: this dossier was saved by an earlier attempt with the same
    /// request id, nothing new was written.
    pub replayed: bool,
}

/// A dossier with what is derived from it now.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    #[serde(flatten)]
    pub dossier: Dossier,
    pub status_label: &'static str,
    /// Derived, never stored: pending and past its appointment.
    pub overdue: bool,
}

impl Counter {
    /// Opens the station set up in `paths`.
    pub fn open(paths: Paths, env: Env) -> Result<Counter> {
        if !paths.db.exists() {
            return Err(AppError::NotSetUp(paths.data_dir.clone()));
        }
        crate::setup::refuse_emptied_database(&paths)?;
        let store = Store::open(&paths.db)?;
        store.station()?;
        let key = motcua_store::keys::load(&paths.key).map_err(|e| {
            AppError::from(e).context(format!("không đọc được khóa quầy {}", paths.key.display()))
        })?;
        store.check_station_key(&key)?;
        Ok(Counter {
            store: store.with_signer(key),
            paths,
            env,
            list_clock: Default::default(),
            snapshot: Default::default(),
            access: Default::default(),
        })
    }

    /// A counter over an open store (with its signer).
    pub(crate) fn from_parts(store: Store, paths: Paths, env: Env) -> Counter {
        Counter {
            store,
            paths,
            env,
            list_clock: Default::default(),
            snapshot: Default::default(),
            access: Default::default(),
        }
    }

    /// The station set up in `paths`, if any (nothing is created).
    pub fn station_in(paths: &Paths) -> Result<Option<StationInfo>> {
        if !paths.db.exists() {
            return Ok(None);
        }
        match Store::open(&paths.db)?.station() {
            Ok(s) => Ok(Some(s)),
            Err(motcua_store::StoreError::NotInitialized) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// What to say when the journal's high-water mark cannot be read back (see
    /// `motcua_store::mark`): reading goes on, receiving is refused until
    /// `recover --accept-loss`. `None` when the mark is fine.
    pub fn mark_damaged(&self) -> Option<String> {
        let damaged = motcua_store::mark::read_state(&self.paths.db).ok()
            == Some(motcua_store::mark::State::Damaged);
        damaged.then(|| {
            motcua_store::StoreError::MarkDamaged {
                path: motcua_store::mark::mark_path(&self.paths.db),
            }
            .to_string()
        })
    }

    /// The station's files.
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// The clock and printer in use.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The current instant on the station clock.
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.env.clock.now()
    }

    /// The station.
    pub fn station(&self) -> Result<StationInfo> {
        Ok(self.store.station()?)
    }

    // ---- settings and calendar ---------------------------------------------------------

    /// Every setting, typed.
    pub fn settings(&self) -> Result<Settings> {
        Ok(self.snapshot()?.settings)
    }

    /// The snapshot of settings (and the calendar, once asked for), read again when its
    /// sources changed.
    fn snapshot(&self) -> Result<Snapshot> {
        let files = std::fs::metadata(&self.paths.calendar)
            .and_then(|m| m.modified())
            .ok();
        let stamp = (self.store.write_stamp()?, files);
        if let Some(s) = self.snapshot.borrow().as_ref()
            && s.stamp == stamp
        {
            return Ok(s.clone());
        }
        let fresh = Snapshot {
            stamp,
            settings: settings::load(&self.store)?,
            calendar: None,
        };
        *self.snapshot.borrow_mut() = Some(fresh.clone());
        Ok(fresh)
    }

    /// Every setting's text, in listing order.
    pub fn settings_raw(&self) -> Result<Vec<(Key, String)>> {
        settings::all_raw(&self.store)
    }

    /// Checks and stores a setting (an admin's change); returns the stored value.
    pub fn set_setting(
        &mut self,
        _by: &crate::accounts::Admin,
        key: Key,
        value: &str,
    ) -> Result<String> {
        settings::set(&self.store, key, value)
    }

    /// Stores a display preference (text size, contrast), which needs no admin; any other
    /// setting is refused here.
    pub fn set_preference(&mut self, key: Key, value: &str) -> Result<String> {
        if !key.is_preference() {
            return Err(AppError::Refused(crate::accounts::ADMIN_ONLY.to_string()));
        }
        settings::set(&self.store, key, value)
    }

    /// The office's working calendar with the current office hours.
    pub fn calendar(&self) -> Result<OfficeCalendar> {
        let snap = self.snapshot()?;
        if let Some(cal) = snap.calendar {
            return Ok(cal);
        }
        let cal = office_calendar(&self.paths, Some(&self.store), snap.settings.work)?;
        if let Some(s) = self.snapshot.borrow_mut().as_mut()
            && s.stamp == snap.stamp
        {
            s.calendar = Some(cal.clone());
        }
        Ok(cal)
    }

    /// The appointment for a procedure term received at `received_at`.
    pub fn due_for(
        &self,
        term: motcua_core::calendar::Term,
        received_at: NaiveDateTime,
    ) -> Result<DueInfo> {
        let cal = self.calendar()?.calendar;
        let due = cal.due(received_at, term)?;
        Ok(DueInfo {
            at: due.at,
            explanation: cal.explain_vi(&due),
        })
    }

    // ---- dossiers (receiving is in `receiving.rs`) ----

    /// Finds dossiers, newest first: folded words of the name, address, code, ID number or
    /// phone (the last word may be unfinished), optionally in one status.
    /// The dossiers shown are logged as one search under the reader (`access.rs`).
    pub fn search(
        &mut self,
        query: &str,
        status: Option<Status>,
        limit: usize,
    ) -> Result<Vec<DossierSummary>> {
        let found = self.store.search(query, status, limit)?;
        if !found.is_empty() {
            let what = crate::access::list_what(&crate::register::RegisterQuery {
                text: query.to_string(),
                status,
                ..Default::default()
            });
            let codes = found.iter().map(|d| d.code.clone()).collect();
            self.log_shown(motcua_core::access::AccessAction::Search, what, codes)?;
        }
        Ok(found)
    }

    /// A dossier by its code.
    pub fn dossier(&self, code: &str) -> Result<Dossier> {
        let code: DossierCode = code.parse()?;
        Ok(self.store.dossier(&code)?)
    }

    /// A dossier with what is derived from it now (status label, overdue); opening it is
    /// logged as a view under the reader (`access.rs`).
    pub fn show(&mut self, code: &str) -> Result<Shown> {
        let shown = self.shown(code)?;
        self.log_view(&shown.dossier)?;
        Ok(shown)
    }

    /// Logs that the whole record of `d` was shown.
    pub(crate) fn log_view(&mut self, d: &Dossier) -> Result<()> {
        self.log_shown(
            motcua_core::access::AccessAction::View,
            "Mở hồ sơ".to_string(),
            vec![d.code.to_string()],
        )
    }

    /// [`Counter::show`] without the log entry, for the use cases that log their own.
    pub(crate) fn shown(&self, code: &str) -> Result<Shown> {
        let dossier = self.dossier(code)?;
        Ok(Shown {
            status_label: dossier.status.label(),
            overdue: dossier.is_overdue(self.now().naive_local()),
            dossier,
        })
    }

    /// How many dossiers were received today (station clock).
    pub fn received_today(&self) -> Result<u64> {
        Ok(self.store.received_on(self.now().date_naive())?)
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! A counter on a temporary data directory, a fixed clock and a recording printer.

    use super::*;
    use crate::clock::FixedClock;
    use crate::print::RecordingPrinter;
    use motcua_core::dossier::{DocumentInput, DocumentKind};

    pub const NOW: &str = "2026-11-25T09:30:00+07:00";

    pub struct Fixture {
        pub dir: tempfile::TempDir,
        pub clock: Arc<FixedClock>,
        pub printer: Arc<RecordingPrinter>,
        pub counter: Counter,
    }

    pub fn env_with(printer: RecordingPrinter) -> (Env, Arc<FixedClock>, Arc<RecordingPrinter>) {
        let clock = Arc::new(FixedClock::parse(NOW));
        let printer = Arc::new(printer);
        (
            Env {
                clock: clock.clone(),
                printer: printer.clone(),
            },
            clock,
            printer,
        )
    }

    pub fn station_form() -> StationForm {
        StationForm {
            agency_id: "000.17.22.H56".into(),
            agency_name: "UBND xã Tân Lập".into(),
            parent_name: Some("UBND tỉnh Thanh Hóa".into()),
            station_no: 1,
        }
    }

    pub fn admin_form() -> AccountForm {
        AccountForm {
            username: "lan".into(),
            full_name: "Trần Thị Lan".into(),
            role: Role::Admin,
            password: "mật khẩu dài".into(),
            confirm: Some("mật khẩu dài".into()),
        }
    }

    /// A set-up station with admin `lan` and the built-in catalogue.
    pub fn fixture() -> Fixture {
        fixture_with(RecordingPrinter::with_printers(&["PDF", "Quay2"]))
    }

    pub fn fixture_with(printer: RecordingPrinter) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let (env, clock, printer) = env_with(printer);
        let (counter, _) = Counter::set_up(
            Paths::in_dir(dir.path().join("data")),
            env,
            &station_form(),
            Some(&admin_form()),
        )
        .unwrap();
        Fixture {
            dir,
            clock,
            printer,
            counter,
        }
    }

    /// A complete dossier for Xác nhận tình trạng hôn nhân (3 working days).
    pub fn form(name: &str) -> ReceiveForm {
        ReceiveForm {
            request_id: None,
            clerk: "lan".into(),
            procedure: "1.004873".into(),
            input: DossierInput {
                applicant_name: name.into(),
                id_number: Some("001099012345".into()),
                phone: Some("0912345678".into()),
                address: Some("Thôn Đông, xã Tân Lập".into()),
                documents: vec![DocumentInput::new("Tờ khai", DocumentKind::Original, 1)],
                sets: 1,
                ..DossierInput::default()
            },
            received_at: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use chrono::Duration;

    #[test]
    fn set_up_checks_everything_first_and_creates_nothing_on_error() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path().join("data"));
        let (env, _, _) = env_with(Default::default());
        let mut bad = station_form();
        bad.agency_id = "H56".into();
        bad.station_no = 12;
        let mut admin = admin_form();
        admin.confirm = Some("khác".into());
        let e = Counter::set_up(paths.clone(), env.clone(), &bad, Some(&admin)).unwrap_err();
        let fields: Vec<Field> = e.fields().iter().map(|f| f.field).collect();
        assert_eq!(
            fields,
            [Field::AgencyId, Field::Station, Field::PasswordConfirm]
        );
        assert!(
            !paths.data_dir.exists(),
            "nothing created before the checks pass"
        );

        let (mut c, report) = Counter::set_up(
            paths.clone(),
            env.clone(),
            &station_form(),
            Some(&admin_form()),
        )
        .unwrap();
        assert_eq!(report.station.station_id, "000.17.22.H56#1");
        assert!(report.procedures > 10);
        assert_eq!(report.admin.unwrap().role, Role::Admin);
        assert!(c.login("lan", "mật khẩu dài").is_ok());
        let again = Counter::set_up(paths, env, &station_form(), None).unwrap_err();
        assert!(again.to_string().contains("đã được thiết lập"), "{again}");
    }

    #[test]
    fn login_refuses_without_saying_which_part_was_wrong() {
        let mut f = fixture();
        let wrong_password = f.counter.login("lan", "sai mật khẩu").unwrap_err();
        let wrong_user = f.counter.login("khong-co", "mật khẩu dài").unwrap_err();
        assert_eq!(wrong_password.to_string(), wrong_user.to_string());
        assert_eq!(
            f.counter.login(" LAN ", "mật khẩu dài").unwrap().username,
            "lan"
        );
    }

    #[test]
    fn receive_computes_the_appointment_and_saves() {
        let mut f = fixture();
        let r = f.counter.receive(&form("Nguyễn Văn An")).unwrap();
        assert_eq!(r.dossier.code.to_string(), "000.17.22.H56-261125-0001");
        assert_eq!(r.dossier.ledger_entry, Some(1));
        // Wed 25/11/2026 09:30 + 3 working days = Mon 30/11 09:30.
        assert_eq!(r.due.at.to_string(), "2026-11-30 09:30:00");
        assert_eq!(r.dossier.due_at, Some(r.due.at));
        assert!(!r.due.explanation.is_empty());
        let shown = f.counter.show(&r.dossier.code.to_string()).unwrap();
        assert_eq!(shown.dossier, r.dossier);
        assert!(!shown.overdue);
        f.clock.advance(Duration::days(10));
        assert!(f.counter.show(&r.dossier.code.to_string()).unwrap().overdue);
        assert_eq!(f.counter.received_today().unwrap(), 0);
        f.clock.advance(Duration::days(-10));
        assert_eq!(f.counter.received_today().unwrap(), 1);
    }

    #[test]
    fn receipts_may_be_dated_back_thirty_days_and_no_further() {
        let mut f = fixture();
        let at = |s: &str| Some(NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap());
        // Today is 25/11/2026 on the fixture clock.
        let mut ok = form("Sổ giấy ngày 26/10");
        ok.received_at = at("2026-10-26T08:00");
        let d = f.counter.receive(&ok).unwrap().dossier;
        assert!(d.code.to_string().contains("-261026-"), "{}", d.code);
        for typo in ["2026-10-25T08:00", "1926-11-25T08:00", "2025-11-25T08:00"] {
            let mut bad = form("Gõ nhầm năm");
            bad.received_at = at(typo);
            let e = f.counter.receive(&bad).unwrap_err();
            let why = e
                .reason_for(Field::Date)
                .unwrap_or_else(|| panic!("{typo}: {e}"));
            assert!(why.contains("sớm hơn 30 ngày"), "{why}");
        }
        assert_eq!(f.counter.verify().unwrap().dossiers, 1);
    }

    #[test]
    fn receive_reports_every_problem_by_field_and_saves_nothing() {
        let mut f = fixture();
        let mut bad = form("  ");
        bad.procedure = "9.999999".into();
        bad.input.phone = Some("0112345678".into());
        bad.received_at =
            Some(NaiveDateTime::parse_from_str("2026-11-25T10:00", "%Y-%m-%dT%H:%M").unwrap());
        let e = f.counter.receive(&bad).unwrap_err();
        let fields: Vec<Field> = e.fields().iter().map(|f| f.field).collect();
        assert_eq!(
            fields,
            [Field::Procedure, Field::Date, Field::FullName, Field::Phone]
        );
        assert!(
            e.reason_for(Field::Procedure).unwrap().contains("9.999999"),
            "{e}"
        );
        bad = form("A");
        bad.received_at =
            Some(NaiveDateTime::parse_from_str("2026-11-25T09:41", "%Y-%m-%dT%H:%M").unwrap());
        let e = f.counter.receive(&bad).unwrap_err();
        assert!(
            e.reason_for(Field::Date).unwrap().contains("ở tương lai"),
            "{e}"
        );
        assert!(f.counter.search("", None, 10).unwrap().is_empty());
        f.counter.verify().unwrap();
    }

    #[test]
    fn transitions_and_search() {
        let mut f = fixture();
        let r = f.counter.receive(&form("Đặng Thị Bình")).unwrap();
        let code = r.dossier.code.to_string();
        let d = f
            .counter
            .transition(&code, Status::Processing, "lan", Some("chuyển tư pháp"))
            .unwrap();
        assert_eq!(d.status, Status::Processing);
        let e = f
            .counter
            .transition(&code, Status::Returned, "lan", None)
            .unwrap_err();
        assert!(e.to_string().contains("không thể chuyển"), "{e}");
        let hits = f.counter.search("dang thi", None, 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert!(f.counter.dossier("H56-1").is_err());
    }

    #[test]
    fn settings_are_typed_and_checked() {
        let mut f = fixture();
        let s = f.counter.settings().unwrap();
        assert_eq!(s.copies, 1);
        assert_eq!(s.lock_minutes, 10);
        assert_eq!(s.printer, None);
        f.counter
            .set_setting(&f.counter.admin("lan").unwrap(), Key::Copies, "2")
            .unwrap();
        f.counter
            .set_setting(
                &f.counter.admin("lan").unwrap(),
                Key::OfficeHours,
                "07:30-11:30,13:00-16:30",
            )
            .unwrap();
        assert!(
            f.counter
                .set_setting(&f.counter.admin("lan").unwrap(), Key::Copies, "0")
                .is_err()
        );
        let s = f.counter.settings().unwrap();
        assert_eq!(s.copies, 2);
        assert_eq!(s.work.sessions.len(), 2);
        // The office hours reach the due date: Wed 16:45 is after closing, so the count
        // starts Thursday 07:30.
        let due = f
            .counter
            .due_for(
                motcua_core::calendar::Term::WorkingDays(1),
                NaiveDateTime::parse_from_str("2026-11-25T16:45", "%Y-%m-%dT%H:%M").unwrap(),
            )
            .unwrap();
        assert_eq!(due.at.to_string(), "2026-11-26 16:30:00");
    }

    #[test]
    fn catalogue_search_and_import() {
        let mut f = fixture();
        let hits = f.counter.search_procedures("khai sinh").unwrap();
        assert!(hits.iter().any(|p| p.code == "1.001193"));
        assert_eq!(
            f.counter
                .search_procedures("chung thuc")
                .unwrap()
                .first()
                .map(|p| p.field.as_str()),
            Some("Chứng thực")
        );
        // The same list under another label changes nothing; one procedure with a new
        // term is one update, under the file's label.
        let mut cat = crate::catalog::builtin_2025_07().unwrap();
        cat.version = "tinh-2027".into();
        let file = f.dir.path().join("cat.json");
        std::fs::write(&file, serde_json::to_string(&cat).unwrap()).unwrap();
        let imp = f
            .counter
            .import_catalog(&f.counter.station_owner(), &file)
            .unwrap();
        assert!(!imp.loaded && imp.unchanged == 23 && imp.version == "2025.07-xa");
        cat.procedures[0].term = Some(motcua_core::calendar::Term::WorkingDays(9));
        std::fs::write(&file, serde_json::to_string(&cat).unwrap()).unwrap();
        let imp = f
            .counter
            .import_catalog(&f.counter.station_owner(), &file)
            .unwrap();
        assert!(imp.loaded, "{imp:?}");
        assert_eq!(
            (imp.version.as_str(), imp.updated, imp.unchanged),
            ("tinh-2027", 1, 22)
        );
        assert!(
            !f.counter
                .import_catalog(&f.counter.station_owner(), &file)
                .unwrap()
                .loaded
        );
    }
}
