//! Command-line interface: one module per command group.

pub mod calendar;
