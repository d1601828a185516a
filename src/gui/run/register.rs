//! What the register (F2) and the dossier opened from it ask for: counts and pages of the
//! list, the ledger, a dossier's detail, and every change with its form (through
//! `Counter::change`, which picks the form).

use super::*;
use crate::gui::screen::{dossier, register};
use motcua_app::change::{Change, Paper};

impl App {
    pub(in crate::gui) fn on_register(&mut self, m: register::Message) -> Task<Message> {
        if self.trace.enabled {
            match &m {
                register::Message::Edited(register::Input::Search, _) => {
                    self.trace.list = Some(Instant::now());
                }
                register::Message::Paged(..) => {
                    let list = self.trace.list.take();
                    self.trace.done("search_list", list);
                    let scroll = self.trace.scroll.take();
                    self.trace.done("scroll", scroll);
                }
                _ => {}
            }
        }
        let step = self.register.update(m);
        self.register_step(step)
    }

    pub(in crate::gui) fn register_step(
        &mut self,
        (task, actions): (Task<register::Message>, Vec<register::Action>),
    ) -> Task<Message> {
        let mut tasks = vec![task.map(Message::Register)];
        for a in actions {
            tasks.push(self.register_action(a));
        }
        Task::batch(tasks)
    }

    /// Runs what the register (and the dossier opened from it) asked for.
    pub(in crate::gui) fn register_action(&mut self, a: register::Action) -> Task<Message> {
        use register::Message as G;
        match a {
            register::Action::Count { generation, query } => {
                let latest = self.register.latest.clone();
                Task::perform(
                    self.worker.call(move |c| {
                        stale(&latest, generation)?;
                        c.register_size(&query)
                    }),
                    move |r| Message::Register(G::Sized(generation, r)),
                )
            }
            register::Action::Page {
                generation,
                query,
                page,
            } => {
                let latest = self.register.latest.clone();
                Task::perform(
                    self.worker.call(move |c| {
                        stale(&latest, generation)?;
                        c.register_page(&query, page * register::PAGE, register::PAGE as usize)
                    }),
                    move |r| Message::Register(G::Paged(generation, page, r)),
                )
            }
            register::Action::Open(code) => {
                if self.trace.enabled {
                    self.trace.open = Some(Instant::now());
                }
                Task::perform(self.worker.call(move |c| c.detail(&code)), |r| {
                    Message::Opened(Box::new(r))
                })
            }
            register::Action::Ledger { from, to, save } => Task::perform(
                self.worker.call(move |c| {
                    let (kept, rows) = c.ledger_kept(from, to)?;
                    if save {
                        let what = format!("sổ theo dõi hồ sơ ({rows} hồ sơ)");
                        c.log_saved(&what, &kept.kept)?;
                        return Ok(i18n::ledger_saved(rows, &kept.kept.display().to_string()));
                    }
                    c.print_rendered(&kept, &viewer_fallback())?;
                    Ok(i18n::ledger_printed(rows))
                }),
                |r| Message::Register(G::Ledgered(r)),
            ),
            register::Action::Dossier(a) => self.dossier_action(a),
        }
    }

    /// Saves a change made on an opened dossier, then reads it again.
    pub(in crate::gui) fn dossier_action(&mut self, a: dossier::Action) -> Task<Message> {
        if matches!(a, dossier::Action::Close) {
            return Task::none();
        }
        if let dossier::Action::StopNotice(code) = &a {
            self.status.stop_notices.retain(|c| c != code);
        }
        let user = self.username();
        let done = |r| Message::Register(register::Message::Dossier(dossier::Message::Changed(r)));
        let job = move |c: &mut motcua_app::Counter| -> Result<(String, Box<motcua_app::register::Detail>), AppError> {
            // How printing went, naming the form printed.
            let with_print = |line: String, form: &str, p: &Result<motcua_app::forms::Printed, AppError>| match i18n::print_outcome_of(form, p) {
                Ok(l) | Err(l) => format!("{line} {l}"),
            };
            let name = |r: &motcua_app::forms::Rendered| r.form.title_vi(r.set);
            let (code, line) = match a {
                dossier::Action::Change { code, change } => {
                    let apology = matches!(change, Change::Extend { .. });
                    let back = match &change {
                        Change::HandBack { recipient } => Some(recipient.clone()),
                        _ => None,
                    };
                    let ch = c.change(&code, change, &user, &Paper::window())?;
                    let mut line = match (apology, back) {
                        (true, _) => T::ApologyDone.vi().to_string(),
                        (false, Some(who)) => i18n::handed_back(&code, &who),
                        (false, None) => i18n::changed(&code, ch.dossier.status),
                    };
                    if let (Some(p), Some(form)) = (&ch.printed, &ch.form) {
                        line = with_print(line, name(form), p);
                    }
                    (code, line)
                }
                dossier::Action::Correct {
                    code,
                    role,
                    input,
                    reason,
                } => {
                    c.correct(&code, role, &input, &reason, &user)?;
                    let line = i18n::corrected(&code, role);
                    (code, line)
                }
                dossier::Action::StopNotice(code) => {
                    let (form, p) = c.print_stop_notice(&code, &viewer_fallback())?;
                    let line = with_print(String::new(), name(&form), &p);
                    (code, line.trim().to_string())
                }
                dossier::Action::Reprint(code) => {
                    let p = c.print_receipt(&code, &viewer_fallback());
                    let line = with_print(String::new(), "giấy tiếp nhận", &p);
                    (code, line.trim().to_string())
                }
                dossier::Action::Control(code) => {
                    let (form, p) = c.print_control(&code)?;
                    let line = with_print(String::new(), name(&form), &p);
                    (code, line.trim().to_string())
                }
                dossier::Action::Close => unreachable!("handled before the job"),
            };
            Ok((line, Box::new(c.detail_after_change(&code)?)))
        };
        Task::batch([
            Task::perform(self.worker.call(job), done),
            self.refresh_status(),
        ])
    }
}
