//! Pure domain rules of the one-stop counter. No I/O: "now", the station, sequences and
//! holiday tables come in as arguments so every rule is a plain unit test.

pub mod access;
pub mod calendar;
pub mod catalog;
pub mod code;
pub mod correction;
pub mod dossier;
pub mod identity;
pub mod journal;
pub mod report;
pub mod sample;
pub mod secret;
pub mod status;
pub mod text;
pub mod validation;
pub mod wire;

pub use validation::{Field, ValidationError};

/// Vietnam's civil time is UTC+7 all year (no daylight saving).
pub const VN_OFFSET_SECONDS: i32 = 7 * 3600;

/// The fixed UTC+7 offset used for every wall-clock value at the counter.
pub fn vn_offset() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(VN_OFFSET_SECONDS).expect("7 hours is a valid offset")
}
