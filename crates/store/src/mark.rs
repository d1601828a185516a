//! The journal's high-water mark: the last head this station committed, kept in a small
//! file beside the database (`<database>.head`), outside SQLite.
//!
//! A database can go back in time without SQLite noticing: a `-wal` file deleted after a
//! crash drops committed transactions, an old backup copied over the live file, a disk
//! image restored. The journal inside such a database is still a valid chain, so `verify`
//! alone passes, and the next receive would mint again the codes of dossiers already
//! printed and handed to citizens. The mark is what the database is checked against:
//!
//! * it is written after every commit that appended events, and flushed to the disk
//!   (`fdatasync`) before the write returns, so after a power cut it is never older than
//!   a dossier the clerk saw saved (the cost is measured by `benches/receive`);
//! * the file holds two fixed-size records ("slots") with a generation number and a
//!   checksum, written alternately: a write torn by a power cut damages one slot, and the
//!   other still holds the previous mark. The newest valid slot is the mark;
//! * before any write that appends events, the database's head must be at or past the
//!   mark, and the event at the mark's sequence must carry the mark's hash;
//! * a database behind its mark is refused with [`StoreError::RolledBack`] until the
//!   missing events are recovered (from the hub) or their loss is accepted explicitly,
//!   which is journaled (`loss_accepted`) and moves the code counters past anything the
//!   lost events could have minted. The mark also carries how many code numbers losses
//!   have skipped in total (`skipped`), so that a later restore of a backup that predates
//!   an accepted loss skips them again;
//! * a mark that cannot be read (both slots damaged) leaves reading commands working and
//!   refuses writes with [`StoreError::MarkDamaged`], which says what to do.

use crate::{Result, StoreError};
use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};

/// The first format: one record, no generation, no skip count.
const MAGIC_V1: &str = "motcua-journal-head v1";
const MAGIC: &str = "motcua-journal-head v2";

/// The last committed head of a station's journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub station_id: String,
    pub seq: u64,
    pub hash: String,
    /// Code numbers skipped in total by accepted losses (the `skipped` of every
    /// `loss_accepted` event of the history the mark is the head of).
    pub skipped: u64,
}

/// What the mark file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// No mark: a new station, or one set up before marks existed.
    Absent,
    Valid(Mark),
    /// The file is there but no slot reads back: damaged or edited.
    Damaged,
}

/// The mark file of the database at `db`.
pub fn mark_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".head");
    db.with_file_name(name)
}

/// Reads the mark file of `db`.
pub fn read_state(db: &Path) -> Result<State> {
    let path = mark_path(db);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::Absent),
        Err(e) => return Err(StoreError::io(&path, e)),
    };
    Ok(parse_file(&bytes))
}

/// Reads the mark; `None` when there is none. A damaged one is
/// [`StoreError::MarkDamaged`].
pub fn read(db: &Path) -> Result<Option<Mark>> {
    match read_state(db)? {
        State::Absent => Ok(None),
        State::Valid(m) => Ok(Some(m)),
        State::Damaged => Err(StoreError::MarkDamaged {
            path: mark_path(db),
        }),
    }
}

/// The mark in a file's bytes: the newest valid slot (or the first format's record).
fn parse_file(bytes: &[u8]) -> State {
    // Nothing but blanks: a file created whose first write never reached the disk.
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return State::Absent;
    }
    let newest = bytes
        .chunks(RECORD)
        .filter_map(parse_slot)
        .max_by_key(|(generation, _)| *generation);
    match newest {
        Some((_, m)) => State::Valid(m),
        None => State::Damaged,
    }
}

/// One slot: its generation and mark, if it reads back whole.
fn parse_slot(slot: &[u8]) -> Option<(u64, Mark)> {
    let text = std::str::from_utf8(slot).ok()?;
    let mut lines = text.lines();
    let magic = lines.next()?;
    let station_id = lines.next()?.to_string();
    let seq: u64 = lines.next()?.parse().ok()?;
    let hash = lines.next()?.to_string();
    if magic == MAGIC_V1 {
        let sum = lines.next()?.strip_prefix("sum ")?;
        let body = format!("{MAGIC_V1}\n{station_id}\n{seq}\n{hash}\n");
        return (checksum(&body) == sum).then_some((
            0,
            Mark {
                station_id,
                seq,
                hash,
                skipped: 0,
            },
        ));
    }
    if magic != MAGIC {
        return None;
    }
    let skipped: u64 = lines.next()?.strip_prefix("skipped ")?.parse().ok()?;
    let generation: u64 = lines.next()?.strip_prefix("gen ")?.parse().ok()?;
    let sum = lines.next()?.strip_prefix("sum ")?;
    let body = record_body(
        &Mark {
            station_id: station_id.clone(),
            seq,
            hash: hash.clone(),
            skipped,
        },
        generation,
    );
    (checksum(&body) == sum).then_some((
        generation,
        Mark {
            station_id,
            seq,
            hash,
            skipped,
        },
    ))
}

fn record_body(mark: &Mark, generation: u64) -> String {
    format!(
        "{MAGIC}\n{}\n{}\n{}\nskipped {}\ngen {generation}\n",
        mark.station_id, mark.seq, mark.hash, mark.skipped
    )
}

/// Size of one slot; the file holds two.
const RECORD: usize = 256;

/// Opens (creating, owner-only) the mark file of `db` for rewriting in place. A file it
/// creates has its name flushed to the disk (the folder synced) before this returns.
pub fn open_for_write(db: &Path) -> std::io::Result<std::fs::File> {
    let path = mark_path(db);
    let existed = path.exists();
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let f = opts.open(&path)?;
    if !existed {
        f.sync_all()?;
        motcua_win::fs::sync_dir(path.parent().unwrap_or(Path::new(".")))?;
    }
    Ok(f)
}

/// Writes `mark` into `file` as the next generation, in the slot that does not hold the
/// newest one, and flushes it to the disk. Under an exclusive lock of the file, so two
/// processes writing marks after their commits take turns. `keep` is asked about the
/// mark the file holds: when it says that mark is ahead of `mark` in the same history
/// (another process committed after this one), the file is left as it is.
pub fn write_to(
    file: &std::fs::File,
    mark: &Mark,
    keep: impl FnOnce(&Mark) -> bool,
) -> std::io::Result<()> {
    file.lock()?;
    let done = (|| {
        let mut bytes = vec![0u8; 2 * RECORD];
        let n = read_at(file, &mut bytes)?;
        bytes.truncate(n);
        let slots: Vec<Option<(u64, Mark)>> = bytes.chunks(RECORD).map(parse_slot).collect();
        let newest = slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().map(|(g, m)| (i, *g, m)))
            .max_by_key(|(_, g, _)| *g);
        if let Some((_, _, current)) = newest
            && current != mark
            && keep(current)
        {
            return Ok(());
        }
        let (slot, generation) = match newest {
            Some((i, g, _)) => (1 - i.min(1), g + 1),
            None => (0, 1),
        };
        let body = record_body(mark, generation);
        let sum = checksum(&body);
        let mut rec = format!("{body}sum {sum}\n").into_bytes();
        if rec.len() > RECORD {
            return Err(std::io::Error::other("mark record too long"));
        }
        rec.resize(RECORD, b' ');
        write_at(file, &rec, (slot * RECORD) as u64)?;
        if file.metadata()?.len() < (2 * RECORD) as u64 {
            file.set_len((2 * RECORD) as u64)?;
        }
        file.sync_data()
    })();
    let _ = file.unlock();
    done
}

fn read_at(file: &std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        #[cfg(unix)]
        let got = {
            use std::os::unix::fs::FileExt;
            file.read_at(&mut buf[n..], n as u64)?
        };
        #[cfg(windows)]
        let got = {
            use std::os::windows::fs::FileExt;
            file.seek_read(&mut buf[n..], n as u64)?
        };
        if got == 0 {
            break;
        }
        n += got;
    }
    Ok(n)
}

fn write_at(file: &std::fs::File, rec: &[u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        file.write_all_at(rec, offset)
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::FileExt;
        let n = file.seek_write(rec, offset)?;
        if n != rec.len() {
            return Err(std::io::Error::other("short write of the mark"));
        }
        Ok(())
    }
}

impl crate::Store {
    /// Writes this database's mark through the file kept open for it (opened at the
    /// first write), unless the file already holds a later head of this same journal.
    /// A failure is returned; the commit before it stands either way.
    pub(crate) fn write_mark(&mut self, mark: &Mark) -> std::io::Result<()> {
        if self.mark_file.is_none() {
            self.mark_file = Some(open_for_write(&self.path)?);
        }
        let conn = &self.conn;
        match &self.mark_file {
            Some(f) => write_to(f, mark, |current| ahead_in(conn, current, mark)),
            None => Ok(()),
        }
    }

    /// Writes this database's mark unless `keep` says the one in the file stays.
    pub(crate) fn write_mark_if(
        &mut self,
        mark: &Mark,
        keep: impl FnOnce(&Mark) -> bool,
    ) -> std::io::Result<()> {
        if self.mark_file.is_none() {
            self.mark_file = Some(open_for_write(&self.path)?);
        }
        match &self.mark_file {
            Some(f) => write_to(f, mark, keep),
            None => Ok(()),
        }
    }
}

/// Whether `current` is a later head than `mark` of the journal in `conn`.
fn ahead_in(conn: &Connection, current: &Mark, mark: &Mark) -> bool {
    current.station_id == mark.station_id
        && current.seq > mark.seq
        && conn
            .query_row(
                "SELECT hash FROM events WHERE seq = ?1",
                [current.seq as i64],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .ok()
            .flatten()
            .is_some_and(|h| h == current.hash)
}

/// Writes the mark of `db` (opening its file for this one write), whatever it held.
pub fn write(db: &Path, mark: &Mark) -> std::io::Result<()> {
    write_to(&open_for_write(db)?, mark, |_| false)
}

/// Marks the start of a station's setup, before its key is made: a mark at sequence 0
/// (nothing recorded yet), on the disk when this returns. A station key beside an empty
/// database and such a mark is a setup a power cut stopped before its first record
/// reached the disk, which may start again; a key with no mark at all is a station set up
/// before marks existed, whose register was lost. Refused when the station already
/// recorded something.
pub fn begin_setup(db: &Path, station_id: &str) -> Result<()> {
    match read_state(db)? {
        State::Absent => {}
        State::Valid(m) if m.seq == 0 => {}
        _ => {
            return Err(StoreError::Setup(format!(
                "tệp mốc nhật ký {} cho biết quầy đã ghi sự kiện; không thiết lập lại quầy đè lên",
                mark_path(db).display()
            )));
        }
    }
    let mark = Mark {
        station_id: station_id.to_string(),
        seq: 0,
        hash: motcua_core::journal::GENESIS_HASH.to_string(),
        skipped: 0,
    };
    write(db, &mark).map_err(|e| StoreError::io(&mark_path(db), e))
}

fn checksum(body: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(body.as_bytes())[..8])
}

/// The journal head of a database (0 when it has no events).
pub(crate) fn head_of(conn: &Connection) -> Result<(u64, Option<String>)> {
    let head: Option<(i64, String)> = conn
        .query_row("SELECT seq, hash FROM journal_head WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    Ok(head.map_or((0, None), |(s, h)| (s as u64, Some(h))))
}

/// Code numbers skipped in total by the losses this database's journal accepted.
pub(crate) fn skipped_of(conn: &Connection) -> Result<u64> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'codes_skipped_by_losses'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Checks the database against the mark of `db`: refused when it is behind the mark, or
/// when its journal at the mark's sequence is another history, or when the mark is
/// damaged.
pub(crate) fn check(conn: &Connection, db: &Path, station_id: &str) -> Result<()> {
    let Some(mark) = read(db)? else {
        return Ok(());
    };
    if mark.station_id != station_id {
        return Err(StoreError::Setup(format!(
            "cơ sở dữ liệu thuộc quầy {station_id} nhưng tệp mốc nhật ký bên cạnh thuộc quầy {}; có thể tệp cơ sở dữ liệu đã bị chép đè; hãy báo quản trị viên",
            mark.station_id
        )));
    }
    let (seq, _) = head_of(conn)?;
    if seq < mark.seq {
        return Err(StoreError::RolledBack {
            db_seq: seq,
            mark_seq: mark.seq,
        });
    }
    let hash: Option<String> = conn
        .query_row(
            "SELECT hash FROM events WHERE seq = ?1",
            [mark.seq as i64],
            |r| r.get(0),
        )
        .optional()?;
    if mark.seq > 0 && hash.as_deref() != Some(mark.hash.as_str()) {
        return Err(StoreError::Diverged { at: mark.seq });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(seq: u64) -> Mark {
        Mark {
            station_id: "000.17.22.H56#1".into(),
            seq,
            hash: "ab".repeat(32),
            skipped: 3,
        }
    }

    #[test]
    fn round_trip_slots_and_damage() {
        let d = tempfile::tempdir().unwrap();
        let db = d.path().join("motcua.sqlite");
        let file = mark_path(&db);
        assert_eq!(file, d.path().join("motcua.sqlite.head"));
        assert_eq!(read(&db).unwrap(), None);
        write(&db, &mark(42)).unwrap();
        assert_eq!(read(&db).unwrap(), Some(mark(42)));
        write(&db, &mark(43)).unwrap();
        assert_eq!(read(&db).unwrap(), Some(mark(43)));
        assert_eq!(std::fs::metadata(&file).unwrap().len(), 2 * RECORD as u64);
        // A write torn in the newest slot: the other one still holds the previous mark.
        let mut bytes = std::fs::read(&file).unwrap();
        let newest = if String::from_utf8_lossy(&bytes[..RECORD]).contains("\n43\n") {
            0
        } else {
            RECORD
        };
        bytes[newest + 40] ^= 0x55;
        std::fs::write(&file, &bytes).unwrap();
        assert_eq!(read(&db).unwrap(), Some(mark(42)));
        // Both slots gone: damaged, which reads as an error that says so.
        std::fs::write(&file, vec![0u8; 2 * RECORD]).unwrap();
        assert_eq!(read_state(&db).unwrap(), State::Damaged);
        let e = read(&db).unwrap_err().to_string();
        assert!(e.contains("hỏng") && e.contains("motcua recover"), "{e}");
        std::fs::write(&file, b"motcua-journal-head v1\n\xff\xfe\n").unwrap();
        assert_eq!(read_state(&db).unwrap(), State::Damaged);
        // An empty file (created, never written back) says nothing.
        std::fs::write(&file, "").unwrap();
        assert_eq!(read(&db).unwrap(), None);
    }

    #[test]
    fn the_first_format_still_reads_and_is_replaced_by_the_next_write() {
        let d = tempfile::tempdir().unwrap();
        let db = d.path().join("motcua.sqlite");
        let body = format!("{MAGIC_V1}\n000.17.22.H56#1\n7\n{}\n", "cd".repeat(32));
        let mut rec = format!("{body}sum {}\n", checksum(&body)).into_bytes();
        rec.resize(RECORD, b' ');
        std::fs::write(mark_path(&db), &rec).unwrap();
        let v1 = read(&db).unwrap().unwrap();
        assert_eq!((v1.seq, v1.skipped), (7, 0));
        write(&db, &mark(8)).unwrap();
        assert_eq!(read(&db).unwrap(), Some(mark(8)));
    }

    #[test]
    fn a_later_head_of_the_same_journal_is_not_overwritten_by_an_earlier_one() {
        let d = tempfile::tempdir().unwrap();
        let db = d.path().join("motcua.sqlite");
        let f = open_for_write(&db).unwrap();
        write_to(&f, &mark(10), |_| false).unwrap();
        // Another process wrote 10; this one committed 9 before it and writes late.
        write_to(&f, &mark(9), |current| current.seq > 9).unwrap();
        assert_eq!(read(&db).unwrap(), Some(mark(10)));
        write_to(&f, &mark(11), |current| current.seq > 11).unwrap();
        assert_eq!(read(&db).unwrap(), Some(mark(11)));
    }
}
