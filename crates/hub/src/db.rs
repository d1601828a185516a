//! The hub's storage: stations and their credentials, every pushed journal event, the
//! province's dossier register, upstream status changes and the change feed counters pull.
//! [`Storage`] is the surface the HTTP layer uses; [`HubStore`] implements it once over
//! either database ([`crate::sql::Sqlite`] by default, [`crate::sql::Postgres`] in production).

use crate::error::{HubError, Result};
use crate::sql::{Conn, V};
use ed25519_dalek::VerifyingKey;
use motcua_core::dossier::Dossier;
use motcua_core::journal::{Event, EventKind, GENESIS_HASH};
use motcua_core::status::Status;
use motcua_core::wire::{
    Change, ChangeItem, ChangesResponse, EnrollRequest, EnrollResponse, ItemOutcome, ItemResult,
    JournalResponse, PushRequest, PushResponse, SignedHead,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

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
    pub lookup_secret: String,
    pub applicant_name: String,
    pub status: Status,
    pub due_at: Option<String>,
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
    /// Stores a station's batch of events and answers per item.
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
    /// Everything flagged on stations' journals.
    fn alerts(&self) -> Result<Vec<Alert>>;
    /// A dossier's public facts by code.
    fn lookup(&self, code: &str) -> Result<Option<LookupRow>>;
    /// Puts a province-wide change (catalogue or holiday schedule) in the feed.
    fn publish(&self, change: &Change, now: &str) -> Result<u64>;
    /// The station's own events after `since` as stored, with the heads it signed over
    /// them, so a counter that lost part of its journal can rebuild it.
    fn journal(&self, station_id: &str, since: u64, limit: u64) -> Result<JournalResponse>;
}

/// A random bearer token (256 bits, hex).
pub fn new_token() -> String {
    use rand_core::RngCore;
    let mut b = [0u8; 32];
    rand_core::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// SHA-256 (hex) of a token, as stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A database the hub logic runs on: transactions over a [`Conn`].
pub trait Db: Send + Sync {
    /// Runs `f` in one transaction (committed when `f` returns Ok, rolled back otherwise).
    fn tx<T>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T>) -> Result<T>;
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

fn alert(c: &mut dyn Conn, station: &str, seq: Option<u64>, detail: &str, now: &str) -> Result<()> {
    c.exec(
        "INSERT INTO alerts(station_id, seq, detail, at) VALUES (?1, ?2, ?3, ?4)",
        &[t(station), V::I(seq.map(|s| s as i64)), t(detail), t(now)],
    )?;
    Ok(())
}

/// Checks the head signature against the station's registered key.
fn head_is_signed(public_key: &str, station_id: &str, head: &SignedHead) -> bool {
    motcua_core::journal::head_is_signed(
        public_key,
        station_id,
        head.seq,
        &head.hash,
        &head.signature,
    )
}

/// Applies a verified event to the province register. `Ok(Err(reason))` is a rule the
/// event breaks (a code another station holds, a dossier of another agency): the event is
/// genuine, so it keeps its slot as a rejection. A storage error is `Err`: it fails the
/// whole batch (the counter retries it), never an item.
fn apply_event(
    c: &mut dyn Conn,
    agency_id: &str,
    e: &Event,
    now: &str,
) -> Result<std::result::Result<(), String>> {
    macro_rules! refuse {
        ($($t:tt)*) => {
            return Ok(Err(format!($($t)*)))
        };
    }
    match e.kind {
        EventKind::DossierReceived => {
            let d: Dossier = match serde_json::from_str(&e.payload) {
                Ok(d) => d,
                Err(x) => refuse!("nội dung hồ sơ không đọc được: {x}"),
            };
            if e.dossier_id.as_deref() != Some(d.id.as_str()) {
                refuse!("mã hồ sơ của sự kiện không khớp nội dung");
            }
            if d.code.agency.as_str() != agency_id {
                refuse!("hồ sơ {} không thuộc cơ quan {agency_id} của quầy", d.code);
            }
            let n = c.exec(
                "INSERT INTO dossiers(code, id, agency_id, station_id, applicant_name,
                         lookup_secret, received_at, due_at, status, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                     ON CONFLICT DO NOTHING",
                &[
                    t(&d.code.to_string()),
                    t(&d.id),
                    t(agency_id),
                    t(&e.station_id),
                    t(&d.applicant.full_name),
                    t(&d.lookup_secret),
                    t(&d.received_at.format("%Y-%m-%dT%H:%M:%S").to_string()),
                    V::T(d.due_at.map(|x| x.format("%Y-%m-%dT%H:%M:%S").to_string())),
                    t(d.status.as_str()),
                    t(now),
                ],
            )?;
            if n == 0 {
                refuse!("mã hồ sơ {} đã được một quầy khác dùng", d.code);
            }
        }
        EventKind::StatusChanged => {
            #[derive(serde::Deserialize)]
            struct Sc {
                code: String,
                to: Status,
            }
            let sc: Sc = match serde_json::from_str(&e.payload) {
                Ok(sc) => sc,
                Err(x) => refuse!("nội dung đổi trạng thái không đọc được: {x}"),
            };
            let n = c.exec(
                "UPDATE dossiers SET status = ?1, updated_at = ?2
                 WHERE code = ?3 AND station_id = ?4",
                &[t(sc.to.as_str()), t(now), t(&sc.code), t(&e.station_id)],
            )?;
            if n == 0 {
                refuse!("hub không có hồ sơ {} của quầy này", sc.code);
            }
        }
        // Upstream status echoed back by the counter: the hub set it already.
        _ => {}
    }
    Ok(Ok(()))
}

fn push_in(
    c: &mut dyn Conn,
    station_id: &str,
    req: &PushRequest,
    now: &str,
) -> Result<PushResponse> {
    let lock = if c.is_postgres() { " FOR UPDATE" } else { "" };
    let row = c.row(
        &format!(
            "SELECT agency_id, public_key, next_seq, last_hash FROM stations
             WHERE station_id = ?1{lock}"
        ),
        &[t(station_id)],
    )?;
    let row = row.ok_or(HubError::Unauthorized)?;
    let (agency_id, public_key, next_seq, last_hash) =
        (row[0].text(), row[1].text(), row[2].int(), row[3].text());
    if !head_is_signed(&public_key, station_id, &req.head) {
        alert(
            c,
            station_id,
            Some(req.head.seq),
            "chữ ký đầu nhật ký không hợp lệ",
            now,
        )?;
        return Err(HubError::BadRequest(
            "chữ ký đầu nhật ký không hợp lệ (khóa của quầy không khớp khóa đã đăng ký)".into(),
        ));
    }
    c.exec(
        "INSERT INTO station_heads(station_id, seq, hash, signature) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
        &[
            t(station_id),
            i(req.head.seq),
            t(&req.head.hash),
            t(&req.head.signature),
        ],
    )?;
    let mut next = next_seq.max(1) as u64;
    let mut last = last_hash;
    let mut results = Vec::with_capacity(req.events.len());
    // Set once an event fails verification: it takes no slot, so nothing after it in the
    // batch can be chained (each gets a gap and is sent again after the genuine one).
    let mut blocked = false;
    for e in &req.events {
        let item = |outcome, reason: Option<String>| ItemResult {
            seq: e.seq,
            outcome,
            reason,
        };
        if e.seq < next {
            let old = c.row(
                "SELECT hash, outcome, reason FROM events WHERE station_id = ?1 AND seq = ?2",
                &[t(station_id), i(e.seq)],
            )?;
            let old = old.map(|r| (r[0].text(), r[1].text(), r[2].opt_text()));
            results.push(match old {
                Some((h, outcome, _)) if h == e.hash && outcome == "accepted" => {
                    item(ItemOutcome::Duplicate, None)
                }
                Some((h, _, reason)) if h == e.hash => item(ItemOutcome::Rejected, reason),
                _ => {
                    let why = format!(
                        "sự kiện số {} khác với bản hub đã nhận trước đây (nhật ký bị sửa)",
                        e.seq
                    );
                    alert(c, station_id, Some(e.seq), &why, now)?;
                    item(ItemOutcome::Rejected, Some(why))
                }
            });
            continue;
        }
        if e.seq > next || blocked {
            results.push(item(
                ItemOutcome::Gap,
                Some(format!("hub chưa có sự kiện số {next} của quầy")),
            ));
            continue;
        }
        let mut reason = None;
        if e.station_id != station_id {
            reason = Some("sự kiện mang mã quầy khác với quầy đang gửi".to_string());
        } else if e.fields().hash() != e.hash {
            reason = Some(format!(
                "sự kiện số {} đã bị sửa (mã băm không khớp nội dung)",
                e.seq
            ));
        } else if e.prev_hash != last {
            reason = Some(format!(
                "sự kiện số {} không nối với sự kiện trước (chuỗi băm bị đứt)",
                e.seq
            ));
        } else if e.seq > req.head.seq {
            reason = Some(format!(
                "sự kiện số {} nằm sau đầu nhật ký đã ký (số {})",
                e.seq, req.head.seq
            ));
        } else if e.seq == req.head.seq && e.hash != req.head.hash {
            reason = Some(format!("sự kiện số {} khác với đầu nhật ký đã ký", e.seq));
        }
        if let Some(r) = reason {
            // Not verified: refused without taking the slot, so the genuine event is
            // accepted when it comes. Flagged for provincial IT.
            alert(c, station_id, Some(e.seq), &r, now)?;
            results.push(item(ItemOutcome::Rejected, Some(r)));
            blocked = true;
            continue;
        }
        c.exec("SAVEPOINT ev", &[])?;
        match apply_event(c, &agency_id, e, now)? {
            Ok(()) => {
                c.exec("RELEASE SAVEPOINT ev", &[])?;
            }
            Err(r) => {
                c.exec("ROLLBACK TO SAVEPOINT ev", &[])?;
                c.exec("RELEASE SAVEPOINT ev", &[])?;
                reason = Some(r);
            }
        }
        let body = serde_json::to_string(e)?;
        c.exec(
            "INSERT INTO events(station_id, seq, event_id, kind, dossier_id, hash, body, outcome,
                                reason, stored_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            &[
                t(station_id),
                i(e.seq),
                t(&e.event_id),
                t(e.kind.as_str()),
                ot(e.dossier_id.as_deref()),
                t(&e.hash),
                t(&body),
                t(if reason.is_some() {
                    "rejected"
                } else {
                    "accepted"
                }),
                ot(reason.as_deref()),
                t(now),
            ],
        )?;
        results.push(item(
            if reason.is_some() {
                ItemOutcome::Rejected
            } else {
                ItemOutcome::Accepted
            },
            reason,
        ));
        next += 1;
        last.clone_from(&e.hash);
    }
    c.exec(
        "UPDATE stations SET next_seq = ?1, last_hash = ?2 WHERE station_id = ?3",
        &[i(next), t(&last), t(station_id)],
    )?;
    Ok(PushResponse {
        results,
        expected_seq: next,
    })
}

impl<D: Db> Storage for HubStore<D> {
    fn publish(&self, change: &Change, now: &str) -> Result<u64> {
        self.db.tx(|c| {
            if c.is_postgres() {
                c.exec("LOCK TABLE changes IN EXCLUSIVE MODE", &[])?;
            }
            c.exec(
                "INSERT INTO changes(agency_id, body, created_at) VALUES (NULL, ?1, ?2)",
                &[t(&serde_json::to_string(change)?), t(now)],
            )?;
            Ok(c.row("SELECT max(id) FROM changes", &[])?
                .map_or(0, |r| r[0].int() as u64))
        })
    }

    fn ping(&self) -> Result<()> {
        self.db.tx(|c| c.row("SELECT 1", &[]).map(|_| ()))
    }

    fn add_enrol_token(&self, agency_id: &str, station_no: u8, now: &str) -> Result<String> {
        let agency: motcua_core::code::AgencyId = agency_id
            .parse()
            .map_err(|e: motcua_core::ValidationError| HubError::BadRequest(e.to_string()))?;
        if !(1..=9).contains(&station_no) {
            return Err(HubError::BadRequest("số quầy phải từ 1 đến 9".into()));
        }
        let token = new_token();
        self.db.tx(|c| {
            c.exec(
                "INSERT INTO enrol_tokens(token_hash, agency_id, station_id, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
                &[
                    t(&token_hash(&token)),
                    t(agency.as_str()),
                    t(&format!("{agency}#{station_no}")),
                    t(now),
                ],
            )?;
            Ok(())
        })?;
        Ok(token)
    }

    fn enroll(&self, req: &EnrollRequest, now: &str) -> Result<EnrollResponse> {
        let key: Option<[u8; 32]> = hex::decode(&req.public_key)
            .ok()
            .and_then(|b| b.try_into().ok());
        let key_ok = key
            .and_then(|k| VerifyingKey::from_bytes(&k).ok())
            .is_some();
        let credential = new_token();
        self.db.tx(|c| {
            let row = c.row(
                "SELECT agency_id, station_id FROM enrol_tokens
                 WHERE token_hash = ?1 AND used_at IS NULL",
                &[t(&token_hash(&req.token))],
            )?;
            let Some(row) = row else {
                return Err(HubError::Unauthorized);
            };
            let (agency, station) = (row[0].text(), row[1].text());
            if station != req.station_id {
                return Err(HubError::Forbidden);
            }
            // Checked after the token, so guessing tokens learns nothing; a bad key does
            // not use the token up (the transaction rolls back).
            if !key_ok {
                return Err(HubError::BadRequest("khóa công khai không hợp lệ".into()));
            }
            c.exec(
                "UPDATE enrol_tokens SET used_at = ?2 WHERE token_hash = ?1",
                &[t(&token_hash(&req.token)), t(now)],
            )?;
            c.exec(
                "INSERT INTO stations(station_id, agency_id, public_key, next_seq, last_hash,
                                      enrolled_at)
                 VALUES (?1, ?2, ?3, 1, ?4, ?5)
                 ON CONFLICT(station_id) DO UPDATE SET public_key = excluded.public_key",
                &[
                    t(&station),
                    t(&agency),
                    t(&req.public_key),
                    t(GENESIS_HASH),
                    t(now),
                ],
            )?;
            c.exec(
                "INSERT INTO credentials(token_hash, kind, subject, created_at)
                 VALUES (?1, 'station', ?2, ?3)",
                &[t(&token_hash(&credential)), t(&station), t(now)],
            )?;
            Ok(EnrollResponse {
                station_id: station,
                credential: credential.clone(),
            })
        })
    }

    fn add_processor(&self, name: &str, now: &str) -> Result<String> {
        let token = new_token();
        self.db.tx(|c| {
            c.exec(
                "INSERT INTO credentials(token_hash, kind, subject, created_at)
                 VALUES (?1, 'processor', ?2, ?3)",
                &[t(&token_hash(&token)), t(name), t(now)],
            )?;
            Ok(())
        })?;
        Ok(token)
    }

    fn revoke_station(&self, station_id: &str, now: &str) -> Result<u64> {
        self.db.tx(|c| {
            c.exec(
                "UPDATE credentials SET revoked_at = ?2
                 WHERE kind = 'station' AND subject = ?1 AND revoked_at IS NULL",
                &[t(station_id), t(now)],
            )
        })
    }

    fn authenticate(&self, token: &str) -> Result<Principal> {
        let row = self.db.tx(|c| {
            c.row(
                "SELECT c.kind, c.subject, s.agency_id FROM credentials c
                 LEFT JOIN stations s ON c.kind = 'station' AND s.station_id = c.subject
                 WHERE c.token_hash = ?1 AND c.revoked_at IS NULL",
                &[t(&token_hash(token))],
            )
        })?;
        let Some(row) = row else {
            return Err(HubError::Unauthorized);
        };
        match (row[0].text().as_str(), row[2].opt_text()) {
            ("station", Some(agency)) => Ok(Principal::Station {
                station_id: row[1].text(),
                agency_id: agency,
            }),
            ("processor", _) => Ok(Principal::Processor(row[1].text())),
            _ => Err(HubError::Unauthorized),
        }
    }

    fn push(
        &self,
        station_id: &str,
        key: Option<&str>,
        req: &PushRequest,
        now: &str,
    ) -> Result<PushResponse> {
        self.db.tx(|c| {
            if let Some(k) = key {
                let old = c.row(
                    "SELECT response FROM idempotency WHERE station_id = ?1 AND key = ?2",
                    &[t(station_id), t(k)],
                )?;
                if let Some(old) = old {
                    return Ok(serde_json::from_str(&old[0].text())?);
                }
            }
            let resp = push_in(c, station_id, req, now)?;
            if let Some(k) = key {
                c.exec(
                    "INSERT INTO idempotency(key, station_id, response, at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT DO NOTHING",
                    &[
                        t(k),
                        t(station_id),
                        t(&serde_json::to_string(&resp)?),
                        t(now),
                    ],
                )?;
            }
            Ok(resp)
        })
    }

    fn set_status(&self, code: &str, status: Status, note: Option<&str>, now: &str) -> Result<()> {
        self.db.tx(|c| {
            if c.is_postgres() {
                // Change ids must become visible in order, or a counter could skip one.
                c.exec("LOCK TABLE changes IN EXCLUSIVE MODE", &[])?;
            }
            let row = c.row("SELECT agency_id FROM dossiers WHERE code = ?1", &[t(code)])?;
            let agency = row
                .map(|r| r[0].text())
                .ok_or_else(|| HubError::NotFound(format!("hồ sơ {code}")))?;
            c.exec(
                "UPDATE dossiers SET status = ?1, updated_at = ?2 WHERE code = ?3",
                &[t(status.as_str()), t(now), t(code)],
            )?;
            let change = Change::Status {
                code: code.to_string(),
                status,
                note: note.map(str::to_string),
                at: now.to_string(),
            };
            c.exec(
                "INSERT INTO changes(agency_id, body, created_at) VALUES (?1, ?2, ?3)",
                &[t(&agency), t(&serde_json::to_string(&change)?), t(now)],
            )?;
            Ok(())
        })
    }

    fn changes(&self, agency_id: &str, since: u64, limit: u64) -> Result<ChangesResponse> {
        let rows = self.db.tx(|c| {
            c.rows(
                "SELECT id, body FROM changes
                 WHERE id > ?1 AND (agency_id IS NULL OR agency_id = ?2)
                 ORDER BY id LIMIT ?3",
                &[i(since), t(agency_id), i(limit)],
            )
        })?;
        let mut changes = Vec::with_capacity(rows.len());
        for r in rows {
            changes.push(ChangeItem {
                id: r[0].int() as u64,
                change: serde_json::from_str(&r[1].text())
                    .map_err(|e| HubError::Db(e.to_string()))?,
            });
        }
        let cursor = changes.last().map_or(since, |c| c.id);
        Ok(ChangesResponse { changes, cursor })
    }

    fn journal(&self, station_id: &str, since: u64, limit: u64) -> Result<JournalResponse> {
        let (rows, heads, next) = self.db.tx(|c| {
            let rows = c.rows(
                "SELECT body FROM events WHERE station_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
                &[t(station_id), i(since), i(limit)],
            )?;
            let heads = c.rows(
                "SELECT seq, hash, signature FROM station_heads
                 WHERE station_id = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq",
                &[t(station_id), i(since), i(since.saturating_add(limit))],
            )?;
            let next = c.row(
                "SELECT next_seq FROM stations WHERE station_id = ?1",
                &[t(station_id)],
            )?;
            Ok((rows, heads, next.map_or(1, |r| r[0].int().max(1) as u64)))
        })?;
        let events = rows
            .iter()
            .map(|r| serde_json::from_str::<Event>(&r[0].text()))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| HubError::Db(format!("sự kiện lưu tại hub không đọc được: {e}")))?;
        let heads = heads
            .into_iter()
            .map(|r| SignedHead {
                seq: r[0].int() as u64,
                hash: r[1].text(),
                signature: r[2].text(),
            })
            .collect();
        Ok(JournalResponse {
            events,
            heads,
            next_seq: next,
        })
    }

    fn counts(&self) -> Result<Vec<CountRow>> {
        let rows = self.db.tx(|c| {
            c.rows(
                "SELECT agency_id, status, count(*) FROM dossiers
                 GROUP BY agency_id, status ORDER BY agency_id, status",
                &[],
            )
        })?;
        Ok(rows
            .into_iter()
            .map(|r| CountRow {
                agency_id: r[0].text(),
                status: r[1].text(),
                count: r[2].int() as u64,
            })
            .collect())
    }

    fn alerts(&self) -> Result<Vec<Alert>> {
        let rows = self.db.tx(|c| {
            c.rows(
                "SELECT station_id, seq, detail, at FROM alerts ORDER BY id",
                &[],
            )
        })?;
        Ok(rows
            .into_iter()
            .map(|r| Alert {
                station_id: r[0].text(),
                seq: r[1].opt_int().map(|s| s as u64),
                detail: r[2].text(),
                at: r[3].text(),
            })
            .collect())
    }

    fn lookup(&self, code: &str) -> Result<Option<LookupRow>> {
        let row = self.db.tx(|c| {
            c.row(
                "SELECT code, lookup_secret, applicant_name, status, due_at
                 FROM dossiers WHERE code = ?1",
                &[t(code)],
            )
        })?;
        let Some(r) = row else { return Ok(None) };
        let status = r[3]
            .text()
            .parse()
            .map_err(|e: motcua_core::status::UnknownStatus| HubError::Db(e.to_string()))?;
        Ok(Some(LookupRow {
            code: r[0].text(),
            lookup_secret: r[1].text(),
            applicant_name: r[2].text(),
            status,
            due_at: r[4].opt_text(),
        }))
    }
}
