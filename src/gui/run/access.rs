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
        let Some(log::Action::Load(q)) = action else {
            return task;
        };
        let user = self.username();
        let job = Task::perform(
            self.worker.call(move |c| {
                let admin = c.admin(&user)?;
                c.access_log(&q, &admin)
            }),
            |r| Message::Access(log::Message::Loaded(r)),
        );
        Task::batch([task, job])
    }
}
