//! The hub's storage: stations and their credentials, every pushed journal event, the
//! province's dossier register, upstream status changes and the change feed counters pull.
//! [`Storage`] is the surface the HTTP layer uses; [`HubStore`] implements it once over
//! either database ([`crate::sql::Sqlite`] by default, [`crate::sql::Postgres`] in
//! production), one transaction per call. The protocol is in the modules: [`auth`]
//! (enrolment and credentials), [`push`] (verifying and storing a station's journal),
//! [`feed`] (what flows back to counters), [`views`] (reports and the lookup page). The
//! tables are [`crate::schema`]'s.

mod auth;
mod effect;
mod feed;
mod push;
mod report;
mod slots;
mod views;

pub use auth::{new_token, token_hash};

use crate::error::{HubError, Result};
use crate::sql::{Conn, Db, V};
use motcua_core::status::Status;
use motcua_core::wire::{
    Change, ChangesResponse, EnrollRequest, EnrollResponse, JournalResponse, PushRequest,
    PushResponse,
};
use serde::Serialize;

/// Who a bearer credential belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A counter station, `<agency id>#<n>`.
    Station {
        station_id: String,
        agency_id: String,
    },
    /// A processing system of the province, by name.
    Processor(String),
}

/// Dossiers per agency and status, for the province's overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CountRow {
    pub agency_id: String,
    pub status: String,
    pub count: u64,
}

/// Something the hub found wrong with a station's journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Alert {
    pub station_id: String,
    pub seq: Option<u64>,
    /// Plain Vietnamese.
    pub detail: String,
    pub at: String,
}

/// The public facts of a dossier, for the citizen lookup page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupRow {
    pub code: String,
    pub applicant_name: String,
    pub status: Status,
    pub due_at: Option<String>,
    /// The appointment first given, when an extension (Mẫu 04) moved `due_at`.
    pub first_due_at: Option<String>,
    /// When the register's row last changed (hub clock, RFC 3339).
    pub updated_at: String,
    /// The procedure's name as received.
    pub procedure: Option<String>,
    /// The agency that received it, as provincial IT set it or as its station was set up.
    pub agency: AgencyInfo,
    /// What happened to it, oldest first, from the events its station pushed.
    pub history: Vec<HistoryStep>,
}

/// What the lookup page says of an agency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgencyInfo {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// One step of a dossier's history, as the citizen is told it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryStep {
    /// The station's wall time (RFC 3339 with offset) or, for a status set upstream and
    /// not yet echoed by the station, the hub's.
    pub at: String,
    pub what: StepKind,
}

/// What a history step was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepKind {
    /// Received at the counter.
    Received,
    /// The status became `status`, with the note given (what is missing, the reason).
    Status {
        status: Status,
        note: Option<String>,
    },
    /// The appointment was moved with an apology (Mẫu 04).
    Extended { to: String, reason: String },
}

/// What the HTTP layer and the CLI need from a storage backend.
pub trait Storage: Send + Sync {
    /// Checks the database answers.
    fn ping(&self) -> Result<()>;
    /// A one-time enrolment token for station `n` of an agency.
    fn add_enrol_token(&self, agency_id: &str, station_no: u8, now: &str) -> Result<String>;
    /// Redeems an enrolment token: registers the public key, returns the credential.
    fn enroll(&self, req: &EnrollRequest, now: &str) -> Result<EnrollResponse>;
    /// A credential for a processing system.
    fn add_processor(&self, name: &str, now: &str) -> Result<String>;
    /// Revokes every credential of a station; returns how many.
    fn revoke_station(&self, station_id: &str, now: &str) -> Result<u64>;
    /// Who holds this bearer token.
    fn authenticate(&self, token: &str) -> Result<Principal>;
    /// Stores a station's batch of events and answers per item: only events a verified
    /// signed head of the station covers are stored; an idempotency key is bound to its
    /// batch ([`crate::error::HubError::KeyReused`] for another batch under it).
    fn push(
        &self,
        station_id: &str,
        key: Option<&str>,
        req: &PushRequest,
        now: &str,
    ) -> Result<PushResponse>;
    /// Records a processing status set upstream.
    fn set_status(&self, code: &str, status: Status, note: Option<&str>, now: &str) -> Result<()>;
    /// Changes for a station's agency after `since`.
    fn changes(&self, agency_id: &str, since: u64, limit: u64) -> Result<ChangesResponse>;
    /// Dossiers per agency and status.
    fn counts(&self) -> Result<Vec<CountRow>>;
    /// The agencies with dossiers at the hub (those of the stations that pushed one), by
    /// id.
    fn report_agencies(&self) -> Result<Vec<String>>;
    /// Each agency's dossiers a period from `start` to `end` (exclusive, local time, a
    /// whole second) counts, counted alike, in the order of `agencies`.
    fn report_tallies(
        &self,
        agencies: &[String],
        start: chrono::NaiveDateTime,
        end: chrono::NaiveDateTime,
    ) -> Result<Vec<Vec<motcua_core::report::Tally>>>;
    /// Everything flagged on stations' journals.
    fn alerts(&self) -> Result<Vec<Alert>>;
    /// A dossier's public facts by code.
    fn lookup(&self, code: &str, secret: &str) -> Result<Option<LookupRow>>;
    /// Sets what the lookup page says of an agency.
    fn set_agency(&self, agency_id: &str, info: &AgencyInfo, now: &str) -> Result<()>;
    /// Puts a province-wide change (catalogue or holiday schedule) in the feed.
    fn publish(&self, change: &Change, now: &str) -> Result<u64>;
    /// The station's own events after `since` as stored, with the heads it signed over
    /// them, so a counter that lost part of its journal can rebuild it.
    fn journal(&self, station_id: &str, since: u64, limit: u64) -> Result<JournalResponse>;
}

/// The hub logic over a database.
pub struct HubStore<D: Db> {
    db: D,
}

impl<D: Db> HubStore<D> {
    /// The hub over `db` (whose schema is in place).
    pub fn new(db: D) -> Self {
        HubStore { db }
    }
}

fn t(s: &str) -> V {
    V::T(Some(s.to_string()))
}

fn ot(s: Option<&str>) -> V {
    V::T(s.map(str::to_string))
}

fn i(n: u64) -> V {
    V::I(Some(n as i64))
}

/// Flags something wrong with a station's journal for provincial IT.
fn alert(c: &mut dyn Conn, station: &str, seq: Option<u64>, detail: &str, now: &str) -> Result<()> {
    let mut detail = detail.to_string();
    if let Some(since) = an_hour_before(now) {
        let recent = c
            .row(
                "SELECT count(*) FROM alerts WHERE station_id = ?1 AND at >= ?2",
                &[t(station), t(&since)],
            )?
            .map_or(0, |r| r[0].int());
        if recent > ALERTS_AN_HOUR {
            return Ok(());
        }
        if recent == ALERTS_AN_HOUR {
            detail = format!(
                "quầy này đã có {ALERTS_AN_HOUR} cảnh báo trong một giờ: hub không ghi thêm cảnh báo của quầy cho đến khi số cảnh báo trong một giờ giảm xuống (có thể mã xác thực của quầy đã bị lộ; hãy thu hồi và cấp lại). Cảnh báo gần nhất: {detail}"
            );
        }
    }
    c.exec(
        "INSERT INTO alerts(station_id, seq, detail, at) VALUES (?1, ?2, ?3, ?4)",
        &[t(station), V::I(seq.map(|s| s as i64)), t(&detail), t(now)],
    )?;
    Ok(())
}

/// Most alerts kept for one station in an hour; the one after them says that the rest are
/// not kept. A stolen credential could otherwise add a row for every forged push, as
/// fast as the hub answers, for as long as it is not revoked.
pub const ALERTS_AN_HOUR: i64 = 50;

/// `now` (RFC 3339) an hour earlier, written as the hub writes its times (UTC, with
/// milliseconds) so that the stored times compare as text; None when `now` does not read.
fn an_hour_before(now: &str) -> Option<String> {
    let at = chrono::DateTime::parse_from_rfc3339(now).ok()? - chrono::TimeDelta::hours(1);
    Some((at.with_timezone(&chrono::Utc)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

impl<D: Db> Storage for HubStore<D> {
    fn ping(&self) -> Result<()> {
        self.db.tx(|c| c.row("SELECT 1", &[]).map(|_| ()))
    }

    fn add_enrol_token(&self, agency_id: &str, station_no: u8, now: &str) -> Result<String> {
        let (agency, station) = auth::station_for(agency_id, station_no)?;
        let token = new_token();
        self.db
            .tx(|c| auth::add_enrol_token(c, &agency, &station, &token, now))?;
        Ok(token)
    }

    fn enroll(&self, req: &EnrollRequest, now: &str) -> Result<EnrollResponse> {
        let credential = new_token();
        self.db.tx(|c| auth::enroll(c, req, &credential, now))
    }

    fn add_processor(&self, name: &str, now: &str) -> Result<String> {
        let token = new_token();
        self.db.tx(|c| auth::add_processor(c, name, &token, now))?;
        Ok(token)
    }

    fn revoke_station(&self, station_id: &str, now: &str) -> Result<u64> {
        self.db.tx(|c| auth::revoke_station(c, station_id, now))
    }

    fn authenticate(&self, token: &str) -> Result<Principal> {
        self.db.tx(|c| auth::authenticate(c, token))
    }

    fn push(
        &self,
        station_id: &str,
        key: Option<&str>,
        req: &PushRequest,
        now: &str,
    ) -> Result<PushResponse> {
        // Read and hashed before the transaction: it holds the station's row.
        let prepared = push::prepare(req, now);
        let body_sha256 = match key {
            Some(_) => push::batch_sha256(req, &prepared)?,
            None => String::new(),
        };
        let pushed = self
            .db
            .tx(|c| push::push(c, station_id, key, &body_sha256, req, prepared, now));
        if let Err(HubError::BadHeadSignature { seq }) = &pushed {
            // The refusal rolled the push back; its trace is kept apart. Failing to write
            // it does not change the answer.
            let _ = self.db.tx(|c| push::head_refused(c, station_id, *seq, now));
        }
        pushed
    }

    fn set_status(&self, code: &str, status: Status, note: Option<&str>, now: &str) -> Result<()> {
        self.db.tx(|c| feed::set_status(c, code, status, note, now))
    }

    fn changes(&self, agency_id: &str, since: u64, limit: u64) -> Result<ChangesResponse> {
        self.db.tx(|c| feed::changes(c, agency_id, since, limit))
    }

    fn publish(&self, change: &Change, now: &str) -> Result<u64> {
        self.db.tx(|c| feed::publish(c, change, now))
    }

    fn journal(&self, station_id: &str, since: u64, limit: u64) -> Result<JournalResponse> {
        self.db.tx(|c| feed::journal(c, station_id, since, limit))
    }

    fn report_tallies(
        &self,
        agencies: &[String],
        start: chrono::NaiveDateTime,
        end: chrono::NaiveDateTime,
    ) -> Result<Vec<Vec<motcua_core::report::Tally>>> {
        // The catalogues are read once; each agency in a transaction of its own, so that
        // a province-wide report does not hold SQLite's one connection for its whole run.
        let fields = self.db.tx(report::fields)?;
        // The events pushed since the last report are read into its rows first, a chunk
        // a transaction, so that pushes go on meanwhile (the first report after a large
        // push reads a million events: tens of seconds).
        let mut written = 0;
        for a in agencies {
            for s in self.db.tx(|c| report::stations(c, a))? {
                loop {
                    let (left, n) = self.db.tx(|c| report::refresh(c, &s, true))?;
                    written += n;
                    if !left {
                        break;
                    }
                }
            }
        }
        if written >= report::ANALYZE_AFTER {
            self.db.tx(report::analyze)?;
        }
        (agencies.iter())
            .map(|a| self.db.tx(|c| report::tallies(c, &fields, a, start, end)))
            .collect()
    }

    fn counts(&self) -> Result<Vec<CountRow>> {
        self.db.tx(views::counts)
    }

    fn report_agencies(&self) -> Result<Vec<String>> {
        self.db.tx(report::agencies)
    }

    fn alerts(&self) -> Result<Vec<Alert>> {
        self.db.tx(views::alerts)
    }

    fn lookup(&self, code: &str, secret: &str) -> Result<Option<LookupRow>> {
        self.db.tx(|c| views::lookup(c, code, secret))
    }

    fn set_agency(&self, agency_id: &str, info: &AgencyInfo, now: &str) -> Result<()> {
        self.db.tx(|c| views::set_agency(c, agency_id, info, now))
    }
}
