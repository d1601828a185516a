//! One journaled write: the only place that opens a transaction which appends events.
//!
//! Every change to the register goes through [`Store::journaled`]: the station key is
//! taken, an IMMEDIATE transaction is opened (so two writers queue instead of failing
//! halfway), the station is read, a [`JournalWriter`] starts at the current head, the
//! caller's body runs, the new head is signed when something was appended, and the
//! transaction commits. A body that fails rolls everything back. Before the body runs the
//! database is checked against the journal's high-water mark (`mark.rs`), which is
//! rewritten after the commit.

use crate::journal::{JournalWriter, NewEvent};
use crate::station::{StationInfo, station_in};
use crate::{Result, Store, StoreError};
use rusqlite::Transaction;

/// The state of one journaled write, handed to the caller's body.
pub(crate) struct Journaled<'c> {
    /// The IMMEDIATE transaction everything is written in.
    pub tx: Transaction<'c>,
    /// The station, read inside the transaction.
    pub station: StationInfo,
    /// Appends events; public so a body can try appends inside a savepoint on a copy.
    pub journal: JournalWriter,
}

impl Journaled<'_> {
    /// Appends one event (and its outbox row) in this transaction.
    pub fn append(&mut self, e: NewEvent<'_>) -> Result<u64> {
        self.journal.append(&self.tx, e)
    }
}

impl Store {
    /// Runs `body` as one journaled write of an initialised station.
    pub(crate) fn journaled<T>(
        &mut self,
        body: impl FnOnce(&mut Journaled<'_>) -> Result<T>,
    ) -> Result<T> {
        self.journaled_from(|tx| station_in(tx)?.ok_or(StoreError::NotInitialized), body)
    }

    /// Like [`Store::journaled`], with the station produced by `station` inside the
    /// transaction (the station setup writes it there first).
    pub(crate) fn journaled_from<T>(
        &mut self,
        station: impl FnOnce(&Transaction<'_>) -> Result<StationInfo>,
        body: impl FnOnce(&mut Journaled<'_>) -> Result<T>,
    ) -> Result<T> {
        self.journaled_inner(station, body, true, true)
    }

    /// The one write that signs with a key the station row does not hold yet: a station
    /// rebuilt from the hub on a replacement PC taking its new key (`station_rekeyed`).
    pub(crate) fn journaled_rekey<T>(
        &mut self,
        body: impl FnOnce(&mut Journaled<'_>) -> Result<T>,
    ) -> Result<T> {
        self.journaled_inner(
            |tx| station_in(tx)?.ok_or(StoreError::NotInitialized),
            body,
            false,
            true,
        )
    }

    /// The one write allowed on a database behind its mark (or with a damaged one):
    /// journaling the loss of the events nobody holds (`loss_accepted`), which sets the
    /// mark anew.
    pub(crate) fn journaled_loss<T>(
        &mut self,
        body: impl FnOnce(&mut Journaled<'_>) -> Result<T>,
    ) -> Result<T> {
        self.journaled_inner(
            |tx| station_in(tx)?.ok_or(StoreError::NotInitialized),
            body,
            true,
            false,
        )
    }

    fn journaled_inner<T>(
        &mut self,
        station: impl FnOnce(&Transaction<'_>) -> Result<StationInfo>,
        body: impl FnOnce(&mut Journaled<'_>) -> Result<T>,
        check_key: bool,
        check_mark: bool,
    ) -> Result<T> {
        let signer = self.signer.clone().ok_or(StoreError::NoSigner)?;
        let path = self.path.clone();
        let (out, mark) = {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let station = station(&tx)?;
            // A key copied from another station never signs this journal.
            if check_key {
                crate::station::check_key(&station, &signer)?;
            }
            if check_mark {
                crate::mark::check(&tx, &path, &station.station_id)?;
            }
            let journal = JournalWriter::start(&tx, &station.station_id)?;
            let start = journal.next_seq();
            let mut w = Journaled {
                tx,
                station,
                journal,
            };
            let out = body(&mut w)?;
            let appended = w.journal.next_seq() != start;
            let (seq, hash) = w.journal.head();
            if appended {
                w.journal.finish(&w.tx, &signer)?;
            }
            let station_id = w.station.station_id.clone();
            let skipped = crate::mark::skipped_of(&w.tx)?;
            w.tx.commit()?;
            let mark = appended.then_some(crate::mark::Mark {
                station_id,
                seq,
                hash,
                skipped,
            });
            (out, mark)
        };
        if let Some(mark) = mark {
            // The dossier is committed whatever happens here; a mark not written (full
            // disk) is only older than the database, which the check accepts.
            let _ = self.write_mark(&mark);
        }
        Ok(out)
    }
}
