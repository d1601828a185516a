//! The window root's action runners, one per screen: each turns what its screen asks for
//! into application-layer calls on the worker thread and their results into messages.

use super::*;

mod access;
mod receive;
mod register;
mod report;
mod returns;
mod settings;
mod sync;
mod unlock;
