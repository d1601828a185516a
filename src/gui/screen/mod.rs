//! The window's screens: each is a state with its `Message` and the `Action` it sends up
//! to the root, which runs the application layer and hands the results back.

pub mod login;
pub mod receive;
pub mod setup;
pub mod soon;
