//! The journal's high-water mark: the last head this station committed, kept in a small
//! file beside the database (`<database>.head`), outside SQLite.
//!
//! A database can go back in time without SQLite noticing: a `-wal` file deleted after a
//! crash drops committed transactions, an old backup copied over the live file, a disk
//! image restored. The journal inside such a database is still a valid chain, so `verify`
//! alone passes, and the next receive would mint again the codes of dossiers already
//! printed and handed to citizens. The mark is what the database is checked against:
//!
//! * it is rewritten in place after every commit that appended events (one fixed-size
//!   record with a checksum, through a file the store keeps open; no fsync, so it costs a
//!   few microseconds — a mark older than the database after a power cut is harmless,
//!   only a database older than its mark is refused);
//! * before any write that appends events, the database's head must be at or past the
//!   mark, and the event at the mark's sequence must carry the mark's hash;
//! * a database behind its mark is refused with [`StoreError::RolledBack`] until the
//!   missing events are recovered (from the hub) or their loss is accepted explicitly,
//!   which moves the code counters past anything the lost events could have minted.

use crate::{Result, StoreError};
use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};

const MAGIC: &str = "motcua-journal-head v1";

/// The last committed head of a station's journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub station_id: String,
    pub seq: u64,
    pub hash: String,
}

/// The mark file of the database at `db`.
pub fn mark_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".head");
    db.with_file_name(name)
}

/// Reads the mark; `None` when there is none (a station set up before marks existed, or a
/// new one). A mark that does not parse is an error: it was damaged or edited.
pub fn read(db: &Path) -> Result<Option<Mark>> {
    let path = mark_path(db);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(&path, e)),
    };
    // An empty file is what a rename caught by a power cut can leave: no information.
    if text.trim().is_empty() {
        return Ok(None);
    }
    let mut lines = text.lines();
    if lines.next() != Some(MAGIC) {
        return Err(StoreError::Setup(format!(
            "tệp mốc nhật ký {} bị hỏng; hãy báo quản trị viên (không xóa tệp này)",
            path.display()
        )));
    }
    let parsed = (|| {
        let station_id = lines.next()?.to_string();
        let seq = lines.next()?.parse().ok()?;
        let hash = lines.next()?.to_string();
        let sum = lines.next()?.strip_prefix("sum ")?;
        let body = format!("{MAGIC}\n{station_id}\n{seq}\n{hash}\n");
        (checksum(&body) == sum).then_some(Mark {
            station_id,
            seq,
            hash,
        })
    })();
    // A record torn by a power cut mid-write says nothing (the next commit rewrites it).
    Ok(parsed)
}

/// Size of the mark file: one fixed record, rewritten in place.
const RECORD: usize = 256;

/// Opens (creating, owner-only) the mark file of `db` for rewriting in place.
pub fn open_for_write(db: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(mark_path(db))
}

/// Rewrites the mark in `file` in place: one record of [`RECORD`] bytes at offset 0 (a
/// single sector, written with one call), ending with a checksum of its lines, so a write
/// torn by a power cut reads back as "no mark" instead of a wrong one. No fsync: the mark
/// may lag the database after a power cut, which is harmless.
pub fn write_to(file: &std::fs::File, mark: &Mark) -> std::io::Result<()> {
    let body = format!(
        "{MAGIC}\n{}\n{}\n{}\n",
        mark.station_id, mark.seq, mark.hash
    );
    let sum = checksum(&body);
    let mut rec = format!("{body}sum {sum}\n").into_bytes();
    if rec.len() > RECORD {
        return Err(std::io::Error::other("mark record too long"));
    }
    rec.resize(RECORD, b' ');
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        file.write_all_at(&rec, 0)?;
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::FileExt;
        let n = file.seek_write(&rec, 0)?;
        if n != rec.len() {
            return Err(std::io::Error::other("short write of the mark"));
        }
    }
    if file.metadata()?.len() != RECORD as u64 {
        file.set_len(RECORD as u64)?;
    }
    Ok(())
}

impl crate::Store {
    /// Rewrites this database's mark through the file kept open for it (opened at the
    /// first write). A failure is returned; the commit before it stands either way.
    pub(crate) fn write_mark(&mut self, mark: &Mark) -> std::io::Result<()> {
        if self.mark_file.is_none() {
            self.mark_file = Some(open_for_write(&self.path)?);
        }
        match &self.mark_file {
            Some(f) => write_to(f, mark),
            None => Ok(()),
        }
    }
}

/// Writes the mark of `db` (opening its file for this one write).
pub fn write(db: &Path, mark: &Mark) -> std::io::Result<()> {
    write_to(&open_for_write(db)?, mark)
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

/// Checks the database against the mark of `db`: refused when it is behind the mark, or
/// when its journal at the mark's sequence is another history.
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
        return Err(StoreError::Setup(format!(
            "nhật ký trong cơ sở dữ liệu khác với nhật ký quầy đã ghi (sự kiện số {}); có thể tệp cơ sở dữ liệu đã bị thay; hãy báo quản trị viên",
            mark.seq
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let d = tempfile::tempdir().unwrap();
        let db = d.path().join("motcua.sqlite");
        assert_eq!(mark_path(&db), d.path().join("motcua.sqlite.head"));
        assert_eq!(read(&db).unwrap(), None);
        let m = Mark {
            station_id: "000.17.22.H56#1".into(),
            seq: 42,
            hash: "ab".repeat(32),
        };
        write(&db, &m).unwrap();
        assert_eq!(read(&db).unwrap(), Some(m.clone()));
        std::fs::write(mark_path(&db), "").unwrap();
        assert_eq!(read(&db).unwrap(), None, "an empty mark says nothing");
        std::fs::write(mark_path(&db), "junk\n").unwrap();
        assert!(read(&db).unwrap_err().to_string().contains("bị hỏng"));
        // A torn record (the sum does not match) says nothing rather than something wrong.
        write(&db, &m).unwrap();
        let text = std::fs::read_to_string(mark_path(&db)).unwrap();
        std::fs::write(mark_path(&db), text.replacen("42", "49", 1)).unwrap();
        assert_eq!(read(&db).unwrap(), None);
        // Rewritten in place: a shorter record leaves no tail of the longer one.
        let short = Mark {
            seq: 7,
            ..m.clone()
        };
        write(&db, &m).unwrap();
        write(&db, &short).unwrap();
        assert_eq!(read(&db).unwrap(), Some(short));
        assert_eq!(
            std::fs::metadata(mark_path(&db)).unwrap().len(),
            RECORD as u64
        );
    }
}
