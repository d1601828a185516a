//! The counter's use cases, shared by the command line and the window: plain methods on a
//! [`Counter`] (one station's register, files, settings, clock and printer) that return
//! values and typed warnings. No argument parsing, no printing to a terminal, no window:
//! the two front ends only translate input into these calls and their results into text.
//!
//! * [`accounts`]: accounts, sign-in, and the [`Admin`] right every change of the
//!   station itself demands.
//! * [`counter`]: open, first-run setup, receive (with the
//!   appointment and its explanation), status changes, search, show.
//! * [`catalog`]: the built-in lists, importing a catalogue file (ours or the national
//!   portal's), finding procedures, the case and channel a dossier's term follows.
//! * [`change`]: every change to a dossier with the form the law attaches to it (02–05),
//!   for the window, the command line and the changes pulled from the hub.
//! * [`correction`]: a person's data on a dossier corrected, journaled with its reason.
//! * [`person_data`]: a person's request to see their data, answered as JSON and a letter.
//! * [`forms`]: render and keep each official form, print the receipt.
//! * [`register`]: the register as a long list, one dossier with its journal, the
//!   returns queue, status changes that print a form or record who took the result.
//! * [`sync`]: enrolment with the province hub, one exchange, the background loop.
//! * [`admin`]: verify, backup, restore.
//! * [`at_rest`]: the register encrypted at rest: encrypting it, opening it, the slots.
//! * [`recovery`]: events lost by the database fetched back from the hub (or accepted as
//!   lost), and a replacement PC rebuilt from the hub.
//! * [`settings`]: every setting's key, default and check, read back typed.
//! * [`calendar`]: the office's working calendar and the precedence of its schedules.
//! * [`paths`], [`clock`], [`print`]: files, "now" and printers, injectable for tests.
//! * [`seed`]: a synthetic register for benchmarks and robustness tests.

pub mod access;
pub mod accounts;
pub mod admin;
pub mod at_rest;
pub mod calendar;
pub mod catalog;
pub mod change;
pub mod clock;
pub mod correction;
pub mod counter;
pub mod error;
pub mod forms;
pub mod paths;
pub mod person_data;
pub mod print;
pub mod receiving;
pub mod recovery;
pub mod register;
pub mod report;
pub mod seed;
pub mod settings;
mod setup;
pub mod sync;

pub use accounts::{Admin, Reviewer};
pub use catalog::{Applied, CaseChoice, CatalogImport};
pub use counter::{
    AccountForm, Counter, DueInfo, Env, ReceiveForm, Received, SetupReport, Shown, StationForm,
};
pub use error::{AppError, Result};
pub use paths::Paths;

/// Register types the front ends show as they are.
pub use motcua_store::{AccessEntry, DossierSummary, Role, StationInfo, User};
