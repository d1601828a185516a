//! The counter register on SQLite.
