//! A new appointment given with the apology (Mẫu 04): journaled as an
//! `appointment_extended` event, the register's `due_at` moved to it in the same
//! transaction. When an extension is allowed is the application layer's rule; the store
//! keeps the register consistent with the journal.

use crate::dossier::{TIME_FMT, dossier_in};
use crate::journal::NewEvent;
use crate::{Result, Store, StoreError};
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use motcua_core::code::DossierCode;
use motcua_core::dossier::Dossier;
use motcua_core::journal::{EventKind, Extension};
use motcua_core::validation::bounded;
use motcua_core::{Field, ValidationError};
use rusqlite::params;

impl Store {
    /// Gives `code` the new appointment `to` with `reason`, journaled by `clerk`. Refused
    /// when the dossier's appointment is no longer `from` (changed meanwhile), when `to` is
    /// not later than it, or when the dossier is finished.
    pub fn extend(
        &mut self,
        code: &DossierCode,
        from: NaiveDateTime,
        to: NaiveDateTime,
        reason: &str,
        clerk: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Dossier> {
        let reason = bounded(reason, Field::Note, 2, 2000)?;
        self.journaled(|w| {
            let user = crate::user::user_in(&w.tx, clerk)?;
            let mut d = dossier_in(&w.tx, &code.to_string())?;
            if d.status.is_finished() {
                return Err(StoreError::Refused(format!(
                    "hồ sơ {} đã «{}», không hẹn lại ngày trả",
                    d.code,
                    d.status.label()
                )));
            }
            if d.due_at != Some(from) {
                return Err(StoreError::Refused(format!(
                    "ngày hẹn của hồ sơ {} đã thay đổi trong lúc lập phiếu; mở lại hồ sơ",
                    d.code
                )));
            }
            if to <= from {
                return Err(StoreError::Invalid(vec![ValidationError::new(
                    Field::Date,
                    format!(
                        "ngày hẹn mới phải sau ngày hẹn cũ ({})",
                        from.format("%H:%M ngày %d/%m/%Y")
                    ),
                )]));
            }
            w.tx.execute(
                "UPDATE dossiers SET due_at = ?1, updated_at = ?2 WHERE id = ?3",
                params![to.format(TIME_FMT).to_string(), now.to_rfc3339(), d.id],
            )?;
            let ext = Extension {
                code: d.code.to_string(),
                from,
                to,
                reason,
            };
            w.append(NewEvent {
                kind: EventKind::AppointmentExtended,
                clerk: &user.username,
                dossier_id: Some(&d.id),
                payload: serde_json::to_string(&ext)?,
                wall_time: now,
            })?;
            d.due_at = Some(to);
            Ok(d)
        })
    }

    /// The extensions given to the dossier `dossier_id`, oldest first.
    pub fn extensions_of(&self, dossier_id: &str) -> Result<Vec<Extension>> {
        self.payloads_of(dossier_id, EventKind::AppointmentExtended)
    }
}

#[cfg(test)]
mod tests {
    use crate::testutil::*;
    use chrono::NaiveDateTime;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
    }

    #[test]
    fn an_extension_moves_the_appointment_and_survives_verify_and_rebuild() {
        let (_d, mut s) = store();
        let mut req = request("Nguyễn Văn An", "2026-11-25T09:32");
        req.due_at = Some(t("2026-11-30T09:32"));
        let a = s.receive(&req, now()).unwrap();
        let from = a.due_at.unwrap();
        let e = s
            .extend(&a.code, from, from, "chậm", "lan", now())
            .unwrap_err();
        assert!(e.to_string().contains("phải sau"), "{e}");
        let to = t("2026-12-10T16:00");
        let e = s
            .extend(&a.code, to, t("2026-12-11T16:00"), "chậm", "lan", now())
            .unwrap_err();
        assert!(e.to_string().contains("đã thay đổi"), "{e}");
        let d = s
            .extend(&a.code, from, to, "Chờ xác minh", "lan", now())
            .unwrap();
        assert_eq!(d.due_at, Some(to));
        assert_eq!(s.dossier(&a.code).unwrap().due_at, Some(to));
        let ext = s.extensions_of(&a.id).unwrap();
        assert_eq!(ext.len(), 1);
        assert_eq!((ext[0].from, ext[0].to), (from, to));
        assert_eq!(ext[0].reason, "Chờ xác minh");
        // The register still equals the journal's projection.
        s.verify().unwrap();
        // A row moved back by hand is caught.
        s.conn
            .execute(
                "UPDATE dossiers SET due_at = ?1 WHERE id = ?2",
                rusqlite::params![from.format("%Y-%m-%dT%H:%M:%S").to_string(), a.id],
            )
            .unwrap();
        let e = s.verify().unwrap_err();
        assert!(e.to_string().contains("khác với nhật ký"), "{e}");
    }
}
