//! Station setup: which agency this counter belongs to and its number there.

use crate::journal::NewEvent;
use crate::{Result, Store, StoreError};
use chrono::{DateTime, FixedOffset};
use ed25519_dalek::SigningKey;
use motcua_core::code::{AgencyId, StationNo};
use motcua_core::journal::EventKind;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

/// What `motcua init` asks for.
#[derive(Debug, Clone)]
pub struct StationSetup {
    pub agency_id: AgencyId,
    pub agency_name: String,
    pub parent_name: Option<String>,
    pub station_no: StationNo,
}

/// The station as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationInfo {
    pub agency_id: AgencyId,
    pub agency_name: String,
    pub parent_name: Option<String>,
    pub station_no: StationNo,
    /// `<agency id>#<station number>`.
    pub station_id: String,
    pub public_key: String,
}

impl Store {
    /// Records the station and its public key (journaled as the first event).
    pub fn init_station(
        &mut self,
        setup: &StationSetup,
        now: DateTime<FixedOffset>,
    ) -> Result<StationInfo> {
        use motcua_core::validation::{Field, bounded, optional};
        let agency_name = bounded(&setup.agency_name, Field::AgencyName, 1, 200)?;
        let parent_name = optional(setup.parent_name.as_deref(), Field::ParentName, 200)?;
        let public_key = crate::keys::public_hex(self.signer.as_ref().ok_or(StoreError::NoSigner)?);
        let info = StationInfo {
            station_id: format!("{}#{}", setup.agency_id, setup.station_no.get()),
            agency_id: setup.agency_id.clone(),
            agency_name,
            parent_name,
            station_no: setup.station_no,
            public_key,
        };
        self.journaled_from(
            |tx| {
                if let Some(existing) = station_in(tx)? {
                    return Err(StoreError::AlreadyInitialized(
                        existing.agency_id.to_string(),
                    ));
                }
                tx.execute(
                    "INSERT INTO station(id, agency_id, agency_name, parent_name, station_no,
                                         station_id, public_key, created_at)
                     VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    rusqlite::params![
                        info.agency_id.as_str(),
                        info.agency_name,
                        info.parent_name,
                        info.station_no.get(),
                        info.station_id,
                        info.public_key,
                        now.to_rfc3339(),
                    ],
                )?;
                Ok(info.clone())
            },
            |w| {
                w.append(NewEvent {
                    kind: EventKind::StationInitialized,
                    clerk: "system",
                    dossier_id: None,
                    payload: serde_json::to_string(&w.station)?,
                    wall_time: now,
                })?;
                Ok(w.station.clone())
            },
        )
    }

    /// Checks that `key` is this station's key: its public half must be the one the
    /// station row recorded at setup (and the hub knows). A `station.key` copied from
    /// another counter would otherwise sign this journal until `verify` failed on it.
    pub fn check_station_key(&self, key: &SigningKey) -> Result<()> {
        check_key(&self.station()?, key)
    }

    /// The station, or [`StoreError::NotInitialized`].
    pub fn station(&self) -> Result<StationInfo> {
        station_in(&self.conn)?.ok_or(StoreError::NotInitialized)
    }

    /// Starts an IMMEDIATE transaction (the write lock is taken at once, so two writers
    /// queue instead of failing halfway).
    pub(crate) fn immediate(&mut self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }
}

/// Refuses a signing key whose public half is not the station's.
pub(crate) fn check_key(station: &StationInfo, key: &SigningKey) -> Result<()> {
    let public = crate::keys::public_hex(key);
    if public.eq_ignore_ascii_case(&station.public_key) {
        return Ok(());
    }
    Err(StoreError::Key(format!(
        "tệp khóa station.key không phải khóa của quầy {} (khóa công khai {}…, quầy đã đăng ký {}…): có thể tệp được chép từ quầy khác; không ghi gì để nhật ký không bị ký sai; hãy đặt lại đúng tệp station.key của quầy này (từ bản sao lưu của quầy)",
        station.station_id,
        &public[..16.min(public.len())],
        &station.public_key[..16.min(station.public_key.len())]
    )))
}

/// Reads the station row on any connection or transaction.
pub(crate) fn station_in(conn: &rusqlite::Connection) -> Result<Option<StationInfo>> {
    let row = conn
        .query_row(
            "SELECT agency_id, agency_name, parent_name, station_no, station_id, public_key
             FROM station WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((agency, agency_name, parent_name, no, station_id, public_key)) = row else {
        return Ok(None);
    };
    Ok(Some(StationInfo {
        agency_id: agency
            .parse()
            .map_err(|e: motcua_core::ValidationError| StoreError::Corrupt(e.to_string()))?,
        agency_name,
        parent_name,
        station_no: StationNo::new(no).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        station_id,
        public_key,
    }))
}

#[cfg(test)]
mod tests {
    use crate::testutil::*;

    #[test]
    fn a_key_of_another_station_is_refused_before_it_signs() {
        let (dir, s) = store();
        let own = crate::keys::load(&dir.path().join("station.key")).unwrap();
        s.check_station_key(&own).unwrap();
        let other_dir = tempfile::tempdir().unwrap();
        let other = crate::keys::generate(&other_dir.path().join("station.key")).unwrap();
        let e = s.check_station_key(&other).unwrap_err();
        assert!(matches!(e, crate::StoreError::Key(_)), "{e}");
        assert!(
            e.to_string()
                .contains("không phải khóa của quầy 000.17.22.H56#1"),
            "{e}"
        );
        // Given to the store anyway, it signs nothing: the write is refused, nothing changes.
        let events = |s: &crate::Store| -> i64 {
            s.conn
                .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
                .unwrap()
        };
        let before = events(&s);
        let mut s = s.with_signer(other);
        let e = s.set_active("lan", false, "system", now()).unwrap_err();
        assert!(e.to_string().contains("không phải khóa của quầy"), "{e}");
        assert_eq!(events(&s), before);
    }

    #[test]
    fn second_init_is_refused() {
        let (_d, mut s) = store();
        let st = s.station().unwrap();
        assert_eq!(st.station_id, "000.17.22.H56#1");
        let again = s.init_station(
            &crate::StationSetup {
                agency_id: st.agency_id.clone(),
                agency_name: "X".into(),
                parent_name: None,
                station_no: st.station_no,
            },
            now(),
        );
        assert!(matches!(
            again,
            Err(crate::StoreError::AlreadyInitialized(_))
        ));
    }
}
