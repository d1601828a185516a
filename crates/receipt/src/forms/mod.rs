//! The forms, one module each, built from the shared header, title, field and signature
//! pieces in `common`.

pub(crate) mod common;
pub(crate) mod ledger;
pub(crate) mod letters;
pub(crate) mod receipt;
