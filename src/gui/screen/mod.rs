//! The window's screens: each is a state with its `Message` and the `Action` it sends up
//! to the root, which runs the application layer and hands the results back.

pub mod access;
pub mod dossier;
pub mod login;
pub mod receive;
pub mod register;
pub mod report;
pub mod returns;
pub mod settings;
pub mod setup;
pub mod soon;
pub mod sync;
