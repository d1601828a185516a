//! What the settings screen (F5, admins) asks for: every change goes through the
//! application layer with the signed-in account's admin rights (`Counter::admin`), asked
//! afresh for each job.

use super::*;
use crate::gui::screen::settings;

impl App {
    pub(in crate::gui) fn on_settings(&mut self, m: settings::Message) -> Task<Message> {
        let (task, action) = self.settings_screen.update(m);
        self.settings_step(task, action)
    }

    pub(in crate::gui) fn settings_step(
        &mut self,
        task: Task<settings::Message>,
        action: Option<settings::Action>,
    ) -> Task<Message> {
        use settings::{Input as I, Message as M};
        let task = task.map(Message::Settings);
        let Some(action) = action else { return task };
        let admin = self.username();
        let saved = |input: I| move |r| Message::Settings(M::Saved(input, r));
        let job = match action {
            settings::Action::Load => Task::perform(
                self.worker.call(|c| {
                    let (printers, default_printer) = c.printers().unwrap_or_default();
                    Ok(Box::new(settings::Loaded {
                        station: c.station()?,
                        values: c.settings_raw()?,
                        printers,
                        default_printer,
                        users: c.users()?,
                    }))
                }),
                |r| Message::Settings(M::Loaded(r)),
            ),
            settings::Action::Set(key, value) => Task::batch([
                Task::perform(
                    self.worker.call(move |c| {
                        let by = c.admin(&admin)?;
                        let v = c.set_setting(&by, key, &value)?;
                        Ok(i18n::setting_saved(key, &v))
                    }),
                    saved(I::Setting(key)),
                ),
                Task::perform(
                    self.worker.call(|c| Ok(Box::new(c.settings()?))),
                    Message::SettingsApplied,
                ),
            ]),
            settings::Action::Holidays(year) => Task::perform(
                self.worker.call(move |c| {
                    let (days, origin) = c.holidays(year)?;
                    Ok(Box::new(settings::Holidays { year, days, origin }))
                }),
                |r| Message::Settings(M::HolidaysLoaded(r)),
            ),
            settings::Action::Import(path) => Task::perform(
                self.worker.call(move |c| {
                    let by = c.admin(&admin)?;
                    let (year, warnings) =
                        c.import_schedule(&by, std::path::Path::new(path.trim()))?;
                    Ok(i18n::imported(year, warnings.len()))
                }),
                saved(I::ImportFile),
            ),
            settings::Action::Backup(path) => Task::perform(
                self.worker.call(move |c| {
                    let by = c.admin(&admin)?;
                    c.backup(&by, std::path::Path::new(path.trim()))?;
                    Ok(i18n::backed_up(path.trim()))
                }),
                saved(I::BackupFile),
            ),
            settings::Action::AddUser(form) => Task::perform(
                self.worker.call(move |c| {
                    let by = c.admin(&admin)?;
                    let u = c.add_user(&form, &by)?;
                    Ok(i18n::account_added(&u.username))
                }),
                saved(I::NewConfirm),
            ),
            settings::Action::ResetPassword {
                username,
                password,
                confirm,
            } => Task::perform(
                self.worker.call(move |c| {
                    let by = c.admin(&admin)?;
                    let u = c.reset_password(&username, &password, &confirm, &by)?;
                    Ok(i18n::password_reset(&u.username))
                }),
                saved(I::ResetConfirm),
            ),
            settings::Action::SetActive { username, active } => Task::perform(
                self.worker.call(move |c| {
                    let by = c.admin(&admin)?;
                    let u = c.set_active(&username, active, &by)?;
                    Ok(i18n::account_active(&u.username, u.active))
                }),
                saved(I::Accounts),
            ),
        };
        Task::batch([task, job])
    }
}
