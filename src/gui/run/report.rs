//! What the reports screen (F6) asks for: a period's dashboard, Biểu 06 printed or
//! exported, an overdue dossier opened (on the register, F2).

use super::*;
use crate::gui::screen::{register, report};

impl App {
    pub(in crate::gui) fn on_reports(&mut self, m: report::Message) -> Task<Message> {
        let step = self.reports.update(m);
        self.reports_step(step)
    }

    pub(in crate::gui) fn reports_step(
        &mut self,
        (task, action): (Task<report::Message>, Option<report::Action>),
    ) -> Task<Message> {
        use report::Message as R;
        let task = task.map(Message::Reports);
        let Some(action) = action else { return task };
        let user = self.username();
        let name = self
            .user
            .as_ref()
            .map(|u| u.full_name.clone())
            .unwrap_or_default();
        let job = match action {
            report::Action::Current(kind) => Task::perform(
                self.worker.call(move |c| {
                    let head = c.reviewer(&user)?;
                    let period = c.current_period(kind)?;
                    Ok(Box::new(c.dashboard(period, &head)?))
                }),
                |r| Message::Reports(R::Loaded(r)),
            ),
            report::Action::Step { from, step } => Task::perform(
                self.worker.call(move |c| {
                    let head = c.reviewer(&user)?;
                    let period = c.step_period(&from, step)?;
                    Ok(Box::new(c.dashboard(period, &head)?))
                }),
                |r| Message::Reports(R::Loaded(r)),
            ),
            report::Action::Print(r) => Task::perform(
                self.worker.call(move |c| {
                    c.reviewer(&user)?;
                    let kept = c.report_kept(&r, &name)?;
                    Ok(i18n::report_printed(
                        &c.print_rendered(&kept, &viewer_fallback()),
                    ))
                }),
                |r: Result<Result<String, String>, AppError>| {
                    Message::Reports(R::Done(r.unwrap_or_else(|e| Err(e.to_string()))))
                },
            ),
            report::Action::Export(r) => Task::perform(
                self.worker.call(move |c| {
                    c.reviewer(&user)?;
                    let kept = c.report_xlsx_kept(&r)?;
                    c.log_saved(&format!("Biểu 06 kỳ {} (xlsx)", r.period.label()), &kept)?;
                    Ok(i18n::report_exported(&kept.display().to_string()))
                }),
                |r| Message::Reports(R::Done(r.map_err(|e| e.to_string()))),
            ),
            report::Action::Open(code) => {
                self.tab = Tab::Register;
                let show = self.focus_tab();
                let open = self.register_action(register::Action::Open(code));
                return Task::batch([task, show, open]);
            }
        };
        Task::batch([task, job])
    }
}
