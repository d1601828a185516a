//! The screens of a signed-in clerk, each on its function key (F1–F7).

use crate::gui::i18n::T;
use iced::keyboard::{Key, key::Named};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Receive,
    Register,
    Returns,
    Sync,
    Settings,
    Reports,
    /// The access log, for an admin.
    Access,
}

impl Tab {
    pub(super) const ALL: [Tab; 7] = [
        Tab::Receive,
        Tab::Register,
        Tab::Returns,
        Tab::Sync,
        Tab::Settings,
        Tab::Reports,
        Tab::Access,
    ];

    pub(super) fn title(self) -> &'static str {
        match self {
            Tab::Receive => T::TabReceive.vi(),
            Tab::Register => T::TabRegister.vi(),
            Tab::Returns => T::TabReturns.vi(),
            Tab::Sync => T::TabSync.vi(),
            Tab::Settings => T::TabSettings.vi(),
            Tab::Reports => T::TabReports.vi(),
            Tab::Access => T::TabAccess.vi(),
        }
    }

    pub(super) fn of_key(key: &Key) -> Option<Tab> {
        Some(match key {
            Key::Named(Named::F1) => Tab::Receive,
            Key::Named(Named::F2) => Tab::Register,
            Key::Named(Named::F3) => Tab::Returns,
            Key::Named(Named::F4) => Tab::Sync,
            Key::Named(Named::F5) => Tab::Settings,
            Key::Named(Named::F6) => Tab::Reports,
            Key::Named(Named::F7) => Tab::Access,
            _ => return None,
        })
    }
}
