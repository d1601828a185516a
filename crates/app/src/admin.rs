//! Support staff's tools: verify the journal and register, back up, restore.

use crate::counter::{Counter, Env};
use crate::error::{AppError, Result};
use crate::paths::{Existing, Paths, write_output_with};
use motcua_store::Store;
use std::path::{Path, PathBuf};

pub use motcua_store::VerifySummary;

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// Where the replaced database was set aside, if there was one.
    pub aside: Option<PathBuf>,
    /// The restored register, verified before it took the database's place.
    pub summary: VerifySummary,
    /// The events committed after the backup was taken, fetched back from the hub (or,
    /// with no hub to ask, accepted as lost so their codes are never issued again).
    pub recovery: crate::recovery::RecoveryReport,
}

impl Counter {
    /// Checks the journal chain, the signed head, the outbox and the register against the
    /// journal; the first problem found names the event or dossier.
    pub fn verify(&self) -> Result<VerifySummary> {
        Ok(self.store.verify()?)
    }

    /// Writes a consistent copy of the database to `out` (which must not exist),
    /// owner-only, while the counter keeps working.
    pub fn backup(&self, by: &crate::accounts::Admin, out: &Path) -> Result<()> {
        self.backup_to(by, out, Existing::Refuse)
    }

    /// Writes a consistent copy of the database to `out`, owner-only, while the counter
    /// keeps working: into a temporary file beside it, checked, synced and renamed, so a
    /// failure (a full disk) leaves no partial copy. An existing `out` is replaced only
    /// with [`Existing::Replace`]; a symbolic link is never written through.
    pub fn backup_to(
        &self,
        _by: &crate::accounts::Admin,
        out: &Path,
        existing: Existing,
    ) -> Result<()> {
        write_output_with(out, existing, |tmp, _| Ok(self.store.backup(tmp)?))
    }

    /// Replaces the station's database with the backup `file` (close the window first).
    /// The backup is checked first (integrity, version, that it is this station's:
    /// agency, station number and the key in `station.key`, and its journal); a refused
    /// one leaves the database untouched. Then the current database is copied aside to a
    /// new file and the checked copy takes its place.
    pub fn restore(paths: &Paths, env: &Env, file: &Path) -> Result<Restored> {
        paths.create_data_dir()?;
        let key = motcua_store::keys::load(&paths.key).map_err(|e| {
            AppError::from(e).context(format!(
                "không khôi phục được: không đọc được khóa quầy {} (khôi phục cần khóa của chính quầy này); cơ sở dữ liệu hiện tại không bị thay đổi",
                paths.key.display()
            ))
        })?;
        let stamp = env.clock.now().format("%Y%m%d%H%M%S").to_string();
        // How far the database about to be replaced had counted: none of those numbers is
        // issued again by the restored one.
        let replaced = motcua_store::used_numbers(&paths.db);
        let (aside, summary) = Store::restore(file, &paths.db, &key, &stamp)?;
        let mut counter = Counter::open(paths.clone(), env.clone())?;
        // The backup is older than what this station committed (its high-water mark):
        // the events after it come back from the hub. Whatever the hub does not hold
        // either (never pushed, or no hub) is accepted as lost — the restore was asked
        // for, and the database set aside still holds them — so their codes are skipped.
        // Only a hub that could not be asked leaves the counter refusing to mint.
        let recovery = counter.recover_with(
            crate::recovery::Loss::AcceptUnlessHubUnreachable,
            replaced.as_ref(),
        )?;
        Ok(Restored {
            aside,
            summary,
            recovery,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::counter::Counter;
    use crate::counter::testing::*;

    #[test]
    fn backup_restore_round_trip_keeps_the_replaced_database() {
        let mut f = fixture();
        let a = f.counter.receive(&form("A")).unwrap().dossier;
        let bak = f.dir.path().join("copy.sqlite");
        f.counter.backup(&f.counter.station_owner(), &bak).unwrap();
        assert!(
            f.counter.backup(&f.counter.station_owner(), &bak).is_err(),
            "never overwrites"
        );
        let b = f.counter.receive(&form("B")).unwrap().dossier;
        let paths = f.counter.paths().clone();
        let env = f.counter.env().clone();
        drop(f.counter);
        let r = Counter::restore(&paths, &env, &bak).unwrap();
        assert_eq!(r.summary.dossiers, 1);
        assert!(r.aside.unwrap().exists());
        let c = Counter::open(paths, env).unwrap();
        assert!(c.dossier(&a.code.to_string()).is_ok());
        assert!(c.dossier(&b.code.to_string()).is_err());
    }
}
