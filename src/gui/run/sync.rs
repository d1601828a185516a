//! What the sync screen (F4) asks for: the state, sync now, recover, enrol.

use super::*;
use crate::gui::screen::sync;

impl App {
    pub(in crate::gui) fn on_sync_screen(&mut self, m: sync::Message) -> Task<Message> {
        let (task, action) = self.sync_screen.update(m);
        self.sync_step(task, action)
    }

    pub(in crate::gui) fn sync_step(
        &mut self,
        task: Task<sync::Message>,
        action: Option<sync::Action>,
    ) -> Task<Message> {
        use sync::Message as S;
        let task = task.map(Message::SyncScreen);
        let Some(action) = action else { return task };
        let (paths, env) = (self.paths.clone(), self.options.env.clone());
        let job = match action {
            sync::Action::Load => {
                Task::perform(self.worker.call(|c| Ok(Box::new(c.sync_state()?))), |r| {
                    Message::SyncScreen(S::Loaded(r))
                })
            }
            sync::Action::SyncNow => Task::batch([Task::perform(
                worker::aside(&self.options.jobs, paths, env, |c| {
                    Ok(match c.sync_once(Duration::from_secs(60))? {
                        motcua_app::sync::Round::Synced(s) => i18n::synced_with(&s),
                        motcua_app::sync::Round::Busy => i18n::sync_busy(),
                    })
                }),
                |r| Message::SyncScreen(S::Done(r)),
            )]),
            sync::Action::Recover => Task::perform(
                worker::aside(&self.options.jobs, paths, env, |c| {
                    let r = c.recover(motcua_app::recovery::Loss::Refuse)?;
                    Ok(i18n::recovered(&r.lines()))
                }),
                |r| Message::SyncScreen(S::Done(r)),
            ),
            sync::Action::Enroll { hub, token, ca } => Task::perform(
                worker::aside(&self.options.jobs, paths, env, move |c| {
                    let ca = ca.map(std::path::PathBuf::from);
                    let e = c.enroll(&hub, &token, ca.as_deref())?;
                    Ok(i18n::enrolled(&e.station_id, &e.hub_url))
                }),
                |r| Message::SyncScreen(S::Done(r)),
            ),
        };
        Task::batch([task, job, self.refresh_status()])
    }
}
