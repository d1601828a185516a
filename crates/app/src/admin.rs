//! Support staff's tools: verify the journal and register, back up, restore.

use crate::counter::{Counter, Env};
use crate::error::Result;
use crate::paths::Paths;
use motcua_store::Store;
use std::path::{Path, PathBuf};

pub use motcua_store::VerifySummary;

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// Where the replaced database was set aside, if there was one.
    pub aside: Option<PathBuf>,
    /// The restored register, verified.
    pub summary: VerifySummary,
}

impl Counter {
    /// Checks the journal chain, the signed head, the outbox and the register against the
    /// journal; the first problem found names the event or dossier.
    pub fn verify(&self) -> Result<VerifySummary> {
        Ok(self.store.verify()?)
    }

    /// Writes a consistent copy of the database to `out` (which must not exist),
    /// owner-only, while the counter keeps working.
    pub fn backup(&self, out: &Path) -> Result<()> {
        Ok(self.store.backup(out)?)
    }

    /// Replaces the station's database with the backup `file` (close the window first).
    /// The current database is first copied aside; the restored one is verified.
    pub fn restore(paths: &Paths, env: &Env, file: &Path) -> Result<Restored> {
        paths.create_data_dir()?;
        let stamp = env.clock.now().format("%Y%m%d%H%M%S").to_string();
        let aside = Store::restore(file, &paths.db, &stamp)?;
        let counter = Counter::open(paths.clone(), env.clone())?;
        let summary = counter.verify()?;
        Ok(Restored { aside, summary })
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
        f.counter.backup(&bak).unwrap();
        assert!(f.counter.backup(&bak).is_err(), "never overwrites");
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
        assert_eq!(c.verify().unwrap().dossiers, 1);
    }
}
