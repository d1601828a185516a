//! An encrypted register not open on this machine (no Windows slot for this account): the
//! sign-in page opens it with the clerk's password, then reads the station and signs in.

use super::*;

impl App {
    /// The start found the register encrypted and locked: ask for a sign-in.
    pub(in crate::gui) fn register_is_locked(&mut self) -> Task<Message> {
        self.register_locked = true;
        self.login.subtitle = T::RegisterLocked.vi().to_string();
        self.phase = Phase::Login;
        self.login.focus().map(Message::Login)
    }

    /// Opens the register with the password typed, signs the clerk in and reads the
    /// station, in one job.
    pub(in crate::gui) fn open_register(
        &mut self,
        username: String,
        password: String,
    ) -> Task<Message> {
        self.trace.login = Some(Instant::now());
        let job = self.worker.call_unlocking(password.clone(), move |c| {
            let user = c.login(&username, &password)?;
            Ok((user, read_boot(c)?))
        });
        Task::perform(job, Message::Unlocked)
    }

    /// The register opened (or not) at sign-in.
    pub(in crate::gui) fn unlocked(
        &mut self,
        r: Result<(User, Box<Boot>), AppError>,
    ) -> Task<Message> {
        match r {
            Ok((user, boot)) => {
                self.register_locked = false;
                self.apply_settings(&boot.settings);
                self.login.subtitle =
                    i18n::station_line(&boot.station.agency_name, boot.station.station_no.get());
                self.station = Some(boot.station);
                self.signed_in(Ok(user))
            }
            Err(e) => self.signed_in(Err(e)),
        }
    }
}
