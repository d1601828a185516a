//! The append-only journal: every change at the counter is an event chained to the one
//! before it by SHA-256, so editing, deleting or back-dating a row is detectable. The
//! current state of the register is a projection of the journal.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// `prev_hash` of the first event of a station.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened. The payload is the event's JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PushEventKind))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The station was set up (agency, station number, public key).
    StationInitialized,
    /// A clerk account was created (no password material in the payload).
    UserAdded,
    /// An account's password was reset, or the account was deactivated or reactivated
    /// (payload `{username, change}`, no password material).
    UserChanged,
    /// A procedure catalogue version was loaded.
    CatalogLoaded,
    /// A dossier was received; the payload is the whole dossier.
    DossierReceived,
    /// A dossier changed status at the counter.
    StatusChanged,
    /// The province's processing system changed a dossier's status upstream; the counter
    /// recorded it when it pulled the change (payload `{code, from, to, note, hub_seq}`).
    UpstreamStatus,
    /// The station was rebuilt from the hub on a replacement PC and signs with a new key
    /// from here on (payload `{public_key, previous_key, recovered_events}`).
    StationRekeyed,
    /// Events between the database's head and its high-water mark were accepted as lost
    /// (nobody held them): the code and ledger counters moved past what they could have
    /// minted (payload `{lost_from, lost_to, lost_events, skipped, first_day, last_day,
    /// years, mark_damaged}`; `skipped` numbers on each day and year of the window).
    LossAccepted,
    /// The dossier will be late: the apology (Mẫu 04) gave the citizen a new appointment
    /// (payload [`Extension`]). The register's appointment is the new one from here on.
    AppointmentExtended,
    /// Personal data was read, printed or exported at the counter (payload
    /// [`crate::access::Access`]): the access log, kept in the journal so it is
    /// append-only, hash-chained, signed and pushed to the hub like every other event.
    /// Its `dossier_id` is empty (the dossiers are in the payload), so a dossier's
    /// timeline shows what was done to it, not who looked at it.
    DataAccessed,
    /// A person's data on a dossier was corrected at their request (payload
    /// [`crate::correction::Correction`]: each field's old and new value, the reason). The
    /// register holds the corrected data from here on; the dossier received stays as it was
    /// in its own event.
    DataCorrected,
}

impl EventKind {
    /// Every kind, in the order they were introduced.
    pub const ALL: [EventKind; 12] = [
        EventKind::StationInitialized,
        EventKind::UserAdded,
        EventKind::UserChanged,
        EventKind::CatalogLoaded,
        EventKind::DossierReceived,
        EventKind::StatusChanged,
        EventKind::UpstreamStatus,
        EventKind::StationRekeyed,
        EventKind::LossAccepted,
        EventKind::AppointmentExtended,
        EventKind::DataAccessed,
        EventKind::DataCorrected,
    ];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::StationInitialized => "station_initialized",
            EventKind::UserAdded => "user_added",
            EventKind::UserChanged => "user_changed",
            EventKind::CatalogLoaded => "catalog_loaded",
            EventKind::DossierReceived => "dossier_received",
            EventKind::StatusChanged => "status_changed",
            EventKind::UpstreamStatus => "upstream_status",
            EventKind::StationRekeyed => "station_rekeyed",
            EventKind::LossAccepted => "loss_accepted",
            EventKind::AppointmentExtended => "appointment_extended",
            EventKind::DataAccessed => "data_accessed",
            EventKind::DataCorrected => "data_corrected",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One journal event, as stored and as pushed upstream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Gap-free sequence of the station, from 1.
    pub seq: u64,
    /// UUIDv7 of the event.
    pub event_id: String,
    /// `<agency id>#<station number>`.
    pub station_id: String,
    /// Wall time at the station, RFC 3339 with offset.
    pub wall_time: String,
    /// Username of the clerk who made the change.
    pub clerk: String,
    pub kind: EventKind,
    /// The dossier the event is about, if any.
    pub dossier_id: Option<String>,
    /// Canonical JSON body.
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The fields that are hashed, in a fixed order.
#[derive(Debug, Clone, Copy)]
pub struct EventFields<'a> {
    pub seq: u64,
    pub event_id: &'a str,
    pub station_id: &'a str,
    pub wall_time: &'a str,
    pub clerk: &'a str,
    pub kind: EventKind,
    pub dossier_id: Option<&'a str>,
    pub payload: &'a str,
    pub prev_hash: &'a str,
}

impl EventFields<'_> {
    /// SHA-256 (hex) over the fields, each length-prefixed so no two field lists collide.
    pub fn hash(&self) -> String {
        let mut h = Sha256::new();
        let seq = self.seq.to_string();
        for part in [
            "motcua-event-v1",
            &seq,
            self.event_id,
            self.station_id,
            self.wall_time,
            self.clerk,
            self.kind.as_str(),
            self.dossier_id.unwrap_or(""),
            self.payload,
            self.prev_hash,
        ] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

impl Event {
    /// The hashed fields of this event.
    pub fn fields(&self) -> EventFields<'_> {
        EventFields {
            seq: self.seq,
            event_id: &self.event_id,
            station_id: &self.station_id,
            wall_time: &self.wall_time,
            clerk: &self.clerk,
            kind: self.kind,
            dossier_id: self.dossier_id.as_deref(),
            payload: &self.payload,
            prev_hash: &self.prev_hash,
        }
    }
}

/// Payload of a `status_changed` event (a step the counter took) or an `upstream_status`
/// event (a status the hub set, recorded at the counter). One definition for the counter
/// that writes it and the hub that applies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub code: String,
    pub from: crate::status::Status,
    pub to: crate::status::Status,
    pub note: Option<String>,
}

/// Payload of an [`EventKind::AppointmentExtended`] event: the appointment the dossier had
/// and the new one the apology (Mẫu 04) gave, with the reason for the delay. One
/// definition for the counter that writes it and the hub that applies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub code: String,
    /// Local Vietnam time, as `Dossier::due_at`.
    pub from: chrono::NaiveDateTime,
    pub to: chrono::NaiveDateTime,
    pub reason: String,
}

/// The message a station signs for its journal head.
pub fn head_message(station_id: &str, seq: u64, hash: &str) -> Vec<u8> {
    format!("motcua-journal-head-v1\n{station_id}\n{seq}\n{hash}").into_bytes()
}

/// Whether `signature_hex` is the station's Ed25519 signature (by `public_key_hex`) of
/// its journal head at `seq` with `hash`. The one check of a signed head, shared by the
/// counter (verify, recovery from the hub) and the hub (every push).
pub fn head_is_signed(
    public_key_hex: &str,
    station_id: &str,
    seq: u64,
    hash: &str,
    signature_hex: &str,
) -> bool {
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};
    let key = hex::decode(public_key_hex)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok());
    let sig = hex::decode(signature_hex)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b));
    match (key, sig) {
        (Some(k), Some(s)) => k.verify(&head_message(station_id, seq, hash), &s).is_ok(),
        _ => false,
    }
}

/// The first thing wrong with a chain of events.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// A sequence number is missing or repeated (a row was deleted or inserted).
    #[error("sự kiện số {expected} bị thiếu (gặp số {found})")]
    Gap { expected: u64, found: u64 },
    /// The event does not point at the hash of the one before it.
    #[error("sự kiện số {seq} không nối với sự kiện trước (chuỗi băm bị đứt)")]
    BrokenLink { seq: u64 },
    /// The event's content does not match its hash (it was edited).
    #[error("sự kiện số {seq} đã bị sửa (mã băm không khớp)")]
    Tampered { seq: u64 },
}

impl ChainError {
    /// The sequence number of the first bad event.
    pub fn seq(&self) -> u64 {
        match self {
            ChainError::Gap { expected, .. } => *expected,
            ChainError::BrokenLink { seq } | ChainError::Tampered { seq } => *seq,
        }
    }
}

/// Walks a chain incrementally: feed events in sequence order.
#[derive(Debug, Clone)]
pub struct ChainWalker {
    next_seq: u64,
    prev_hash: String,
}

impl Default for ChainWalker {
    fn default() -> Self {
        Self {
            next_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
        }
    }
}

impl ChainWalker {
    /// A walker that continues a chain whose last event is `seq` with `hash` (0 and the
    /// genesis hash for an empty chain).
    pub fn resume(seq: u64, hash: &str) -> Self {
        Self {
            next_seq: seq + 1,
            prev_hash: hash.to_string(),
        }
    }

    /// Checks the next event: its sequence, its link and its own hash.
    pub fn check(&mut self, e: &Event) -> Result<(), ChainError> {
        self.check_hashed(e, || e.fields().hash() == e.hash)
    }

    /// [`check`](Self::check), with whether the event's fields hash to its own `hash`
    /// answered by `hashed` (asked only once its sequence and link are right), e.g. from a
    /// comparison made beforehand on another thread.
    pub fn check_hashed(
        &mut self,
        e: &Event,
        hashed: impl FnOnce() -> bool,
    ) -> Result<(), ChainError> {
        if e.seq != self.next_seq {
            return Err(ChainError::Gap {
                expected: self.next_seq,
                found: e.seq,
            });
        }
        if e.prev_hash != self.prev_hash {
            return Err(ChainError::BrokenLink { seq: e.seq });
        }
        if !hashed() {
            return Err(ChainError::Tampered { seq: e.seq });
        }
        self.next_seq += 1;
        self.prev_hash.clone_from(&e.hash);
        Ok(())
    }

    /// Sequence and hash of the last event checked (0 and the genesis hash if none).
    pub fn head(&self) -> (u64, &str) {
        (self.next_seq - 1, &self.prev_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: u64) -> Vec<Event> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = Event {
                    seq,
                    event_id: format!("id-{seq}"),
                    station_id: "000.17.22.H56#1".into(),
                    wall_time: "2026-11-25T09:00:00+07:00".into(),
                    clerk: "lan".into(),
                    kind: EventKind::DossierReceived,
                    dossier_id: Some(format!("d-{seq}")),
                    payload: format!("{{\"n\":{seq}}}"),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.fields().hash();
                prev.clone_from(&e.hash);
                e
            })
            .collect()
    }

    fn walk(events: &[Event]) -> Result<(), ChainError> {
        let mut w = ChainWalker::default();
        events.iter().try_for_each(|e| w.check(e))
    }

    #[test]
    fn intact_chain_passes() {
        let c = chain(5);
        assert_eq!(walk(&c), Ok(()));
    }

    #[test]
    fn edits_deletions_and_relinks_are_named() {
        let mut c = chain(5);
        c[2].payload = "{\"n\":99}".into();
        assert_eq!(walk(&c), Err(ChainError::Tampered { seq: 3 }));

        let mut c = chain(5);
        c.remove(1);
        assert_eq!(
            walk(&c),
            Err(ChainError::Gap {
                expected: 2,
                found: 3
            })
        );

        let mut c = chain(5);
        c[3].clerk = "mallory".into();
        c[3].hash = c[3].fields().hash();
        assert_eq!(walk(&c), Err(ChainError::BrokenLink { seq: 5 }));
    }

    #[test]
    fn length_prefix_prevents_field_shifting() {
        let a = chain(1).remove(0);
        let mut b = a.clone();
        b.clerk = "la".into();
        b.kind = EventKind::DossierReceived;
        b.wall_time.push('n');
        assert_ne!(a.fields().hash(), b.fields().hash());
    }

    #[test]
    fn kinds_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
            // The stored name is the wire name.
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
        assert_eq!(
            EventKind::parse("appointment_extended"),
            Some(EventKind::AppointmentExtended)
        );
        assert!(EventKind::parse("nope").is_none());
    }
}
