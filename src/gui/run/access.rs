//! What the access log screen (F7) asks for: the log read with its filters, for an admin.

use super::*;
use crate::gui::screen::access as log;

impl App {
    pub(in crate::gui) fn on_access(&mut self, m: log::Message) -> Task<Message> {
        let step = self.access_log.update(m);
        self.access_step(step)
    }

    pub(in crate::gui) fn access_step(
        &mut self,
        (task, action): (Task<log::Message>, Option<log::Action>),
    ) -> Task<Message> {
        let task = task.map(Message::Access);
        let Some(action) = action else {
            return task;
        };
        let user = self.username();
        let job = match action {
            log::Action::Load(q) => Task::perform(
                self.worker.call(move |c| {
                    let head = c.reviewer(&user)?;
                    c.access_log(&q, &head)
                }),
                |r| Message::Access(log::Message::Loaded(r)),
            ),
            log::Action::Answer(id) => Task::perform(
                self.worker.call(move |c| {
                    let head = c.reviewer(&user)?;
                    let (data, kept) = c.person_letter_kept(&id, &head)?;
                    let printed = c.print_rendered(&kept, &viewer_fallback());
                    Ok(i18n::answered(data.dossiers.len(), &kept.kept, &printed))
                }),
                |r: Result<Result<String, String>, AppError>| {
                    Message::Access(log::Message::Answered(
                        r.unwrap_or_else(|e| Err(e.to_string())),
                    ))
                },
            ),
        };
        Task::batch([task, job])
    }
}
