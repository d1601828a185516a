//! The forms, one module each, built from the shared header, title, field and signature
//! pieces in `common`.

pub(crate) mod common;
pub(crate) mod control;
pub(crate) mod ledger;
pub(crate) mod letters;
pub(crate) mod letters_2025;
pub(crate) mod personal_data;
pub(crate) mod receipt;
pub(crate) mod receipt_2025;
pub(crate) mod report06;
