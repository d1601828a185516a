//! What the returns queue (F3) asks for: the queue, the hand-back.

use super::*;
use crate::gui::screen::returns;

impl App {
    pub(in crate::gui) fn on_returns(&mut self, m: returns::Message) -> Task<Message> {
        let (task, action) = self.returns.update(m);
        self.returns_step(task, action)
    }

    pub(in crate::gui) fn returns_step(
        &mut self,
        task: Task<returns::Message>,
        action: Option<returns::Action>,
    ) -> Task<Message> {
        let task = task.map(Message::Returns);
        let Some(action) = action else { return task };
        let job = match action {
            returns::Action::Load(text) => {
                let q = text.clone();
                Task::perform(
                    self.worker.call(move |c| c.returns(&q, returns::QUEUE)),
                    move |r| Message::Returns(returns::Message::Loaded(text.clone(), r)),
                )
            }
            returns::Action::HandBack { code, recipient } => {
                let user = self.username();
                Task::batch([
                    Task::perform(
                        self.worker.call(move |c| {
                            let back = motcua_app::change::Change::HandBack {
                                recipient: recipient.clone(),
                            };
                            c.change(&code, back, &user, &motcua_app::change::Paper::Keep)?;
                            Ok(i18n::handed_back(&code, &recipient))
                        }),
                        |r| Message::Returns(returns::Message::HandedBack(r)),
                    ),
                    self.refresh_status(),
                ])
            }
        };
        Task::batch([task, job])
    }
}
