//! A correction of a person's data on a dossier: journaled as a `data_corrected` event,
//! the register's row (and its search text) rewritten in the same transaction. Which
//! corrections are allowed is the application layer's rule; the store keeps the register
//! equal to the journal and refuses a correction made on data that changed meanwhile.

use crate::dossier::{dossier_in, search_row};
use crate::journal::NewEvent;
use crate::{Result, Store, StoreError};
use chrono::{DateTime, FixedOffset};
use motcua_core::correction::Correction;
use motcua_core::dossier::Dossier;
use motcua_core::journal::EventKind;
use rusqlite::{Transaction, params};

impl Store {
    /// Records `c` by `clerk`: the register holds the corrected data from here on.
    pub fn correct(
        &mut self,
        c: &Correction,
        clerk: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Dossier> {
        self.journaled(|w| {
            let user = crate::user::user_in(&w.tx, clerk)?;
            let mut d = dossier_in(&w.tx, &c.code)?;
            c.apply(&mut d).map_err(|why| {
                StoreError::Refused(format!(
                    "hồ sơ {} đã thay đổi trong lúc đính chính ({why}); mở lại hồ sơ",
                    c.code
                ))
            })?;
            rewrite_parties(&w.tx, &d, &now.to_rfc3339())?;
            w.append(NewEvent {
                kind: EventKind::DataCorrected,
                clerk: &user.username,
                dossier_id: Some(&d.id),
                payload: serde_json::to_string(c)?,
                wall_time: now,
            })?;
            Ok(d)
        })
    }

    /// The corrections made to the dossier `dossier_id`, oldest first.
    pub fn corrections_of(&self, dossier_id: &str) -> Result<Vec<Correction>> {
        self.payloads_of(dossier_id, EventKind::DataCorrected)
    }
}

/// Applies a journaled correction while the register is rebuilt from the journal.
pub(crate) fn replay(tx: &Transaction<'_>, c: &Correction, at: &str) -> Result<()> {
    let mut d = dossier_in(tx, &c.code)?;
    c.apply(&mut d)
        .map_err(|why| StoreError::Corrupt(format!("đính chính hồ sơ {}: {why}", c.code)))?;
    rewrite_parties(tx, &d, at)
}

/// Writes `d`'s people (applicant, owner, authorised person) to its row and its search
/// text.
fn rewrite_parties(tx: &Transaction<'_>, d: &Dossier, at: &str) -> Result<()> {
    let a = &d.applicant;
    let rowid: i64 = tx.query_row(
        "UPDATE dossiers SET applicant_name = ?1, id_number = ?2, phone = ?3, email = ?4,
             address = ?5, owner = ?6, proxy = ?7, updated_at = ?8
         WHERE id = ?9 RETURNING rowid",
        params![
            a.full_name,
            a.id_number,
            a.phone,
            a.email,
            a.address,
            d.owner.as_ref().map(serde_json::to_string).transpose()?,
            d.proxy.as_ref().map(serde_json::to_string).transpose()?,
            at,
            d.id
        ],
        |r| r.get(0),
    )?;
    let [name, address, code, id_number, phone] = search_row(d);
    tx.execute(
        "UPDATE dossier_search SET name = ?1, address = ?2, code = ?3, id_number = ?4,
             phone = ?5 WHERE rowid = ?6",
        params![name, address, code, id_number, phone, rowid],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testutil::*;
    use motcua_core::correction::{Correction, CorrectionInput, Role};

    #[test]
    fn a_correction_rewrites_the_row_and_its_search_and_survives_verify_and_rebuild() {
        let (_d, mut s) = store();
        let a = s
            .receive(&request("Nguyễn Văn Anh", "2026-11-25T09:32"), now())
            .unwrap();
        let input = CorrectionInput {
            full_name: Some("Nguyễn Văn Ân".into()),
            address: Some("Thôn 3, xã Tân Lập".into()),
            ..CorrectionInput::default()
        };
        let c = Correction::between(&a, Role::Applicant, &input, "Theo CCCD", now().date_naive())
            .unwrap();
        let d = s.correct(&c, "lan", now()).unwrap();
        assert_eq!(d.applicant.full_name, "Nguyễn Văn Ân");
        let stored = s.dossier(&a.code).unwrap();
        assert_eq!(stored, d);
        assert_eq!(s.corrections_of(&a.id).unwrap(), std::slice::from_ref(&c));
        // The search finds the new name and address, not the old name.
        let found = |s: &crate::Store, q: &str| s.search(q, None, 10).unwrap().len();
        assert_eq!(found(&s, "nguyen van an"), 1);
        assert_eq!(found(&s, "thon 3 tan lap"), 1);
        assert_eq!(found(&s, "anh"), 0);
        // The same correction again no longer finds the old values.
        let e = s.correct(&c, "lan", now()).unwrap_err();
        assert!(
            e.to_string().contains("đã thay đổi trong lúc đính chính"),
            "{e}"
        );
        // The register still equals the journal's projection, and a rebuild from the
        // journal gives the corrected row.
        s.verify().unwrap();
        s.conn
            .execute(
                "UPDATE dossiers SET applicant_name = 'Nguyễn Văn Anh' WHERE id = ?1",
                [&a.id],
            )
            .unwrap();
        let e = s.verify().unwrap_err();
        assert!(e.to_string().contains("khác với nhật ký"), "{e}");
        s.conn
            .execute(
                "UPDATE dossiers SET applicant_name = 'Nguyễn Văn Ân' WHERE id = ?1",
                [&a.id],
            )
            .unwrap();
        s.verify().unwrap();
        // A replacement PC rebuilt from the journal holds the corrected row.
        let events = s.pending_events(1000).unwrap();
        let head = s.signed_head().unwrap();
        let e = tempfile::tempdir().unwrap();
        let mut rebuilt = crate::Store::open(&e.path().join("motcua.sqlite")).unwrap();
        rebuilt
            .apply_recovered("000.17.22.H56#1", &events, &[head], now())
            .unwrap();
        assert_eq!(rebuilt.dossier(&a.code).unwrap(), d);
        assert_eq!(found(&rebuilt, "nguyen van an"), 1);
        rebuilt.verify().unwrap();
    }
}
