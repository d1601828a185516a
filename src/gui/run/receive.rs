//! What the Receive screen asks for, run on the worker: procedure search, the most
//! received procedures, the appointment preview, receive-and-print, reprint.

use super::*;
use crate::gui::screen::receive;

impl App {
    pub(in crate::gui) fn on_receive(&mut self, m: receive::Message) -> Task<Message> {
        let finished_search = matches!(m, receive::Message::Hits(..));
        let finished_save = matches!(m, receive::Message::Saved(_));
        let saved_ok = matches!(&m, receive::Message::Saved(r) if r.is_ok());
        let (task, action) = self.receive.update(m);
        if finished_search {
            let started = self.trace.search.take();
            self.trace.done("suggest", started);
        }
        if finished_save {
            let started = self.trace.save.take();
            self.trace.done("save_print", started);
        }
        let mut tasks = vec![task.map(Message::Receive)];
        if let Some(a) = action {
            tasks.push(self.receive_action(a));
        }
        if saved_ok {
            tasks.push(self.refresh_status());
        }
        Task::batch(tasks)
    }

    /// Runs what the Receive screen asked for on the worker.
    pub(in crate::gui) fn receive_action(&mut self, action: receive::Action) -> Task<Message> {
        use receive::Message as R;
        match action {
            receive::Action::Search(q) => {
                self.trace.search = Some(Instant::now());
                let query = q.clone();
                Task::perform(
                    self.worker.call(move |c| c.search_procedures(&query)),
                    move |r| Message::Receive(R::Hits(q.clone(), r)),
                )
            }
            receive::Action::Frequent => {
                Task::perform(self.worker.call(|c| c.frequent_procedures(8)), |r| {
                    Message::Receive(R::Frequent(r))
                })
            }
            receive::Action::Preview { code, term } => {
                let procedure = code.clone();
                Task::perform(
                    self.worker.call(move |c| c.preview_due(&procedure, &term)),
                    move |r| Message::Receive(R::Previewed(code.clone(), r)),
                )
            }
            receive::Action::Save(draft, request_id) => {
                let Some(user) = &self.user else {
                    return Task::none();
                };
                self.trace.save = Some(Instant::now());
                let form = draft.to_form(&user.username, Some(request_id));
                let trace = self.trace.enabled;
                Task::perform(
                    self.worker.call(move |c| {
                        let t = Instant::now();
                        let done = c.receive_and_print(&form, &viewer_fallback())?;
                        if trace {
                            let ms = t.elapsed().as_secs_f64() * 1000.0;
                            eprintln!("trace worker_receive_print_ms={ms:.2}");
                        }
                        Ok(receive::SaveOutcome {
                            received: done.received,
                            print: done.print,
                        })
                    }),
                    |r| Message::Receive(R::Saved(Box::new(r))),
                )
            }
            receive::Action::Reprint(code) => Task::perform(
                self.worker
                    .call(move |c| c.print_receipt(&code, &viewer_fallback())),
                |r| Message::Receive(R::Reprinted(r)),
            ),
        }
    }
}
