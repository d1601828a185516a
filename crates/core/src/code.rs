//! Agency identifiers and dossier codes `<agency id>-<yyMMdd>-<nnnn>`, minted offline.
//!
//! # Partition of the daily sequence between stations
//!
//! The sequence is counted per agency per day, but the stations (counters) of one agency
//! mint codes with no network, so each station owns disjoint parts of the daily space:
//!
//! * **Primary block**, four digits: station `N` (1–9) owns `(N-1)*1000 ..= N*1000-1`,
//!   except that `0000` is never used. Station 1 therefore starts each day at `0001`,
//!   station 2 at `1000`, station 9 at `8000`. `9000–9999` is reserved for codes the
//!   province hub may assign (for example to dossiers received on other channels).
//! * **Overflow block**, six digits: once station `N` has used its 1,000 primary numbers in a
//!   day (999 for station 1), it goes on with `N*100000 ..= N*100000+99999`, e.g. station 2's
//!   1,001st dossier of the day is `…-200000`. A citizen is never refused because a station's
//!   daily space ran out. Only after 100,000 more dossiers on one station in one day (one
//!   every 0.3 s for eight hours) does minting fail, with a clear error.
//!
//! Blocks of different stations never overlap, and a code's sequence alone tells which
//! station minted it, so two stations of one agency can never produce the same code as long
//! as their station numbers differ (the hub checks station numbers at enrolment).

use crate::validation::{Field, ValidationError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Highest station number of one agency.
pub const MAX_STATION: u8 = 9;
/// Size of a station's overflow block.
const OVERFLOW_SIZE: u32 = 100_000;

/// An agency identifier (mã định danh điện tử của cơ quan), in either orientation in use:
/// level one last, the older `xxx.yy.zz.Lnn` (e.g. `000.17.22.H56`, still printed by many
/// provinces' systems), or level one first as QĐ 20/2020/QĐ-TTg Điều 4 prescribes: a
/// letter and two digits, then groups of two or three digits separated by dots (e.g.
/// `G12.18.77`, `G12.18.112.001`, `H15.50.05.13`), at most 35 characters. A station mints
/// its codes with the identifier it was set up with, as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyId(String);

impl AgencyId {
    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for AgencyId {
    type Err = ValidationError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let s = raw.trim().to_ascii_uppercase();
        let parts: Vec<&str> = s.split('.').collect();
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        let level_one =
            |p: &str| p.len() == 3 && p.as_bytes()[0].is_ascii_uppercase() && digits(&p[1..], 2);
        let level_one_last = parts.len() == 4
            && digits(parts[0], 3)
            && digits(parts[1], 2)
            && digits(parts[2], 2)
            && level_one(parts[3]);
        let level_one_first = s.len() <= 35
            && parts.len() >= 2
            && level_one(parts[0])
            && parts[1..].iter().all(|p| digits(p, 2) || digits(p, 3));
        if level_one_last || level_one_first {
            Ok(AgencyId(s))
        } else {
            Err(ValidationError::new(
                Field::AgencyId,
                format!(
                    "«{}» không đúng dạng xxx.yy.zz.Hnn (ví dụ 000.17.22.H56) hoặc mã cấp 1 đứng đầu (ví dụ G12.18.77)",
                    raw.trim()
                ),
            ))
        }
    }
}

impl TryFrom<String> for AgencyId {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<AgencyId> for String {
    fn from(a: AgencyId) -> String {
        a.0
    }
}

impl fmt::Display for AgencyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A station (counter) number within an agency, 1 to [`MAX_STATION`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct StationNo(u8);

impl StationNo {
    /// Checks the range.
    pub fn new(n: i64) -> Result<Self, ValidationError> {
        u8::try_from(n)
            .ok()
            .filter(|n| (1..=MAX_STATION).contains(n))
            .map(StationNo)
            .ok_or_else(|| {
                ValidationError::new(Field::Station, format!("phải từ 1 đến {MAX_STATION}"))
            })
    }

    /// The number.
    pub fn get(self) -> u8 {
        self.0
    }

    /// The daily sequence number for this station's `index`-th dossier of a day
    /// (0-based), following the partition documented on this module.
    pub fn sequence(self, index: u32) -> Result<u32, CodeError> {
        let n = u32::from(self.0);
        let first = if n == 1 { 1 } else { (n - 1) * 1000 };
        let primary = n * 1000 - first;
        if index < primary {
            return Ok(first + index);
        }
        let k = index - primary;
        if k < OVERFLOW_SIZE {
            Ok(n * OVERFLOW_SIZE + k)
        } else {
            Err(CodeError::DaySpaceExhausted { station: self.0 })
        }
    }

    /// The station that minted `sequence`, or `None` for the reserved hub block.
    pub fn owner_of(sequence: u32) -> Option<StationNo> {
        match sequence {
            1..=8999 => Some(StationNo((sequence / 1000 + 1) as u8)),
            100_000..=999_999 => Some(StationNo((sequence / OVERFLOW_SIZE) as u8)),
            _ => None,
        }
    }
}

impl TryFrom<u8> for StationNo {
    type Error = ValidationError;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        StationNo::new(i64::from(n))
    }
}

impl From<StationNo> for u8 {
    fn from(s: StationNo) -> u8 {
        s.0
    }
}

/// Why a code cannot be minted or parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// More than 100,999 dossiers on one station in one day.
    #[error("quầy số {station} đã dùng hết dãy số mã hồ sơ trong ngày")]
    DaySpaceExhausted { station: u8 },
    /// The text is not a dossier code.
    #[error(
        "mã hồ sơ «{0}» không hợp lệ (dạng 000.17.22.H56-261125-0001 hoặc G12.18.77-261125-0001)"
    )]
    Malformed(String),
}

impl From<CodeError> for ValidationError {
    fn from(e: CodeError) -> Self {
        ValidationError::new(Field::DossierCode, e.to_string())
    }
}

/// A dossier code (mã hồ sơ): agency, day of receipt and daily sequence.
///
/// What a station mints: `<agency>-<yyMMdd>-<nnnn>`, four digits from its primary block,
/// six in its overflow block (see the module). What it reads: any sequence of four to
/// nine digits, kept as written (a code of another system such as
/// `…-090123`, or the national solution's `AAXXXX` of TT 03/2025 Điều 13 khoản 3 as added
/// by TT 04/2025, whose sequence has "tối thiểu 04 ký tự"), so a code read from elsewhere
/// prints back exactly.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DossierCode {
    pub agency: AgencyId,
    pub date: NaiveDate,
    pub sequence: u32,
    /// Digits the sequence is written with (4 or more; leading zeros kept).
    pub width: u8,
}

impl DossierCode {
    /// Builds the code of a station's `index`-th dossier (0-based) of `date`.
    pub fn mint(
        agency: &AgencyId,
        station: StationNo,
        date: NaiveDate,
        index: u32,
    ) -> Result<Self, CodeError> {
        let sequence = station.sequence(index)?;
        Ok(DossierCode {
            agency: agency.clone(),
            date,
            sequence,
            width: if sequence >= OVERFLOW_SIZE { 6 } else { 4 },
        })
    }
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}-{:0width$}",
            self.agency,
            self.date.format("%y%m%d"),
            self.sequence,
            width = usize::from(self.width)
        )
    }
}

impl FromStr for DossierCode {
    type Err = CodeError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let s = raw.trim();
        let bad = || CodeError::Malformed(s.chars().take(60).collect());
        let mut parts = s.rsplitn(3, '-');
        let (seq, day, agency) = match (parts.next(), parts.next(), parts.next()) {
            (Some(q), Some(d), Some(a)) => (q, d, a),
            _ => return Err(bad()),
        };
        let agency: AgencyId = agency.parse().map_err(|_| bad())?;
        if day.len() != 6 || !day.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let date = NaiveDate::parse_from_str(&format!("20{day}"), "%Y%m%d").map_err(|_| bad())?;
        if !(4..=9).contains(&seq.len()) || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let sequence: u32 = seq.parse().map_err(|_| bad())?;
        if sequence == 0 {
            return Err(bad());
        }
        Ok(DossierCode {
            agency,
            date,
            sequence,
            width: seq.len() as u8,
        })
    }
}

impl TryFrom<String> for DossierCode {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<DossierCode> for String {
    fn from(c: DossierCode) -> String {
        c.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn agency() -> AgencyId {
        "000.17.22.H56".parse().unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn brief_vectors() {
        let s1 = StationNo::new(1).unwrap();
        let c = DossierCode::mint(&agency(), s1, day(2021, 5, 31), 0).unwrap();
        assert_eq!(c.to_string(), "000.17.22.H56-210531-0001");
        let next_day = DossierCode::mint(&agency(), s1, day(2021, 6, 1), 0).unwrap();
        assert_eq!(next_day.to_string(), "000.17.22.H56-210601-0001");
        let p: DossierCode = "000.00.14.H56-200203-0118".parse().unwrap();
        assert_eq!(p.agency.as_str(), "000.00.14.H56");
        assert_eq!(p.date, day(2020, 2, 3));
        assert_eq!(p.sequence, 118);
        assert!("H56-210531-1".parse::<DossierCode>().is_err());
    }

    #[test]
    fn malformed_codes_rejected() {
        for bad in [
            "",
            "000.17.22.H56-210531-0000",
            "000.17.22.H56-210231-0001",
            "000.17.22.H56-210531-001",
            "000.17.22.H56-210531-0000000",
            "000.17.22.H56-210531-0123456789",
            "000.17.22.H56-21053-0001",
            "000.17.22-210531-0001",
            "000.17.22.H56-210531-00a1",
            "'; DROP TABLE dossiers; --",
            "G1.18.77-210531-0001",
            "G12-210531-0001",
            "G12.1.77-210531-0001",
            "G12.1877-210531-0001",
        ] {
            assert!(bad.parse::<DossierCode>().is_err(), "{bad}");
        }
        assert_eq!(
            "000.17.22.h56-210531-0001"
                .parse::<DossierCode>()
                .unwrap()
                .to_string(),
            "000.17.22.H56-210531-0001"
        );
    }

    #[test]
    fn codes_of_other_systems_are_read_in_both_orientations_and_print_back_exactly() {
        for (code, agency, seq) in [
            ("G12.18.77-261125-0001", "G12.18.77", 1),
            ("G12.18.112.001-261125-12345", "G12.18.112.001", 12_345),
            ("H15.50.05.13-261008-0975", "H15.50.05.13", 975),
            ("000.00.00.G17-261125-090123", "000.00.00.G17", 90_123),
            ("G17.123.45-260125-1800123", "G17.123.45", 1_800_123),
            ("000.17.22.H56-210531-00001", "000.17.22.H56", 1),
        ] {
            let c: DossierCode = code.parse().unwrap();
            assert_eq!(c.agency.as_str(), agency);
            assert_eq!(c.sequence, seq);
            assert_eq!(c.to_string(), code, "printed back as written");
        }
        // Different widths are different codes.
        let a: DossierCode = "000.17.22.H56-210531-0001".parse().unwrap();
        let b: DossierCode = "000.17.22.H56-210531-00001".parse().unwrap();
        assert_ne!(a, b);
        // What a station mints is unchanged: four digits, six in the overflow block.
        let g: AgencyId = "G12.18.77".parse().unwrap();
        let st = StationNo::new(2).unwrap();
        let first = DossierCode::mint(&g, st, day(2026, 11, 25), 0).unwrap();
        assert_eq!(first.to_string(), "G12.18.77-261125-1000");
        let over = DossierCode::mint(&g, st, day(2026, 11, 25), 1000).unwrap();
        assert_eq!(over.to_string(), "G12.18.77-261125-200000");
    }

    #[test]
    fn agency_ids() {
        assert!("000.00.00.G17".parse::<AgencyId>().is_ok());
        assert!("G12.18.77".parse::<AgencyId>().is_ok());
        assert_eq!(
            "g12.18.112.001".parse::<AgencyId>().unwrap().as_str(),
            "G12.18.112.001"
        );
        assert!(
            format!("G12{}", ".18".repeat(10))
                .parse::<AgencyId>()
                .is_ok()
        );
        assert!(
            format!("G12{}", ".18".repeat(11))
                .parse::<AgencyId>()
                .is_err(),
            "over 35 characters"
        );
        for bad in [
            "000.00.00",
            "00.00.00.H20",
            "000.00.00.H2",
            "000.00.00.202",
            "abc",
            "H56",
            "G12.1",
            "G12.1234",
            "G12.18.77.",
        ] {
            assert!(bad.parse::<AgencyId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn station_blocks_are_disjoint_and_round_trip() {
        let mut seen = HashSet::new();
        for n in 1..=MAX_STATION {
            let st = StationNo::new(i64::from(n)).unwrap();
            for i in (0..1000).chain(1000..1100).chain(100_900..100_999) {
                let Ok(seq) = st.sequence(i) else { continue };
                assert!(seen.insert(seq), "station {n} index {i} repeats {seq}");
                assert_eq!(StationNo::owner_of(seq), Some(st));
                let code = DossierCode::mint(&agency(), st, day(2026, 11, 25), i).unwrap();
                assert_eq!(code.to_string().parse::<DossierCode>().unwrap(), code);
            }
        }
        assert_eq!(StationNo::new(2).unwrap().sequence(0).unwrap(), 1000);
        assert_eq!(StationNo::new(1).unwrap().sequence(998).unwrap(), 999);
        assert_eq!(StationNo::new(1).unwrap().sequence(999).unwrap(), 100_000);
        assert_eq!(StationNo::new(2).unwrap().sequence(1000).unwrap(), 200_000);
        assert_eq!(
            StationNo::new(9).unwrap().sequence(101_000),
            Err(CodeError::DaySpaceExhausted { station: 9 })
        );
        assert_eq!(
            StationNo::new(9).unwrap().sequence(100_999).unwrap(),
            999_999
        );
        assert_eq!(StationNo::owner_of(9500), None);
        assert!(StationNo::new(0).is_err() && StationNo::new(10).is_err());
    }
}
