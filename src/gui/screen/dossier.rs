//! One dossier: every field, the journal timeline (upstream changes and clock-skew flags
//! marked), and the legal transitions from where it stands, each by a digit key or its
//! button. A transition asks for its note; a supplement request picks the missing
//! documents and prints Mẫu 02; a refusal takes the reason and prints Mẫu 03; handing
//! back takes the recipient's name; a withdrawal or a stop prints Mẫu 05 (Thông báo dừng
//! giải quyết hồ sơ); a late dossier gets the apology with a new date (Mẫu 04). Ctrl+P
//! prints the receipt again, Ctrl+K the control slip (Mẫu 06); Ctrl+E corrects the
//! applicant's data at their request, Ctrl+E again the owner's or the authorised
//! person's (journaled with the old values and the reason); Esc goes back.

use crate::gui::focus;
use crate::gui::i18n::{self, T};
use crate::gui::theme::{self, size, space};
use crate::gui::widgets::{Field, caption, error_text, heading, label, slot};
use iced::keyboard::{Key, Modifiers, key::Named};
use iced::widget::{Column, button, checkbox, column, container, operation, row, scrollable, text};
use iced::{Element, Length, Task};
use motcua_app::AppError;
use motcua_app::change::Change;
use motcua_app::register::Detail;
use motcua_core::correction::{CorrectionInput, PersonField, Role};
use motcua_core::dossier::ResultDelivery;
use motcua_core::status::Status;

const NOTE: &str = "dossier-note";
const EXTRA: &str = "dossier-extra";
const NEW_DUE: &str = "dossier-new-due";

mod correct;
use correct::{FIX, fix_field};

/// The digit key of a change to `to`: the same whatever the dossier's status, so a key
/// pressed out of habit never takes another change (1 processing, 2 supplement, 3
/// financial obligation, 4 result ready, 5 refused, 6 withdrawn, 7 stopped, 8 handed
/// back; 0 is the apology). The numbers of a received dossier's list, the most common.
pub(crate) fn digit_of(to: Status) -> usize {
    match to {
        Status::Processing => 1,
        Status::SupplementRequested => 2,
        Status::FinancialObligation => 3,
        Status::ResultReady => 4,
        Status::Refused => 5,
        Status::Withdrawn => 6,
        Status::Stopped => 7,
        Status::Returned => 8,
        // Never a change's target.
        Status::Received => 9,
    }
}

/// What is being asked before a change is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// A plain status change with its note.
    Change {
        to: Status,
        note: String,
    },
    /// Which documents are missing (ticked), anything else, and why.
    Supplement {
        missing: Vec<bool>,
        extra: String,
        reason: String,
    },
    Refuse {
        reason: String,
    },
    HandBack {
        recipient: String,
    },
    /// A new appointment (`dd/mm/yyyy HH:MM`) and the reason for the delay.
    Apology {
        reason: String,
        new_due: String,
    },
    /// A person's data as it should read ([`PersonField::ALL`]'s order, prefilled with
    /// what the dossier records of them) and why: the applicant, the owner or the
    /// authorised person.
    Correct {
        role: Role,
        values: [String; 5],
        reason: String,
    },
}

/// What the view sends up.
#[derive(Debug, Clone)]
pub enum Message {
    /// Transition `n` of the legal list (its button, or its digit key, [`digit_of`]).
    Choose(usize),
    /// The late-dossier apology.
    Apology,
    Note(String),
    Extra(String),
    NewDue(String),
    Missing(usize, bool),
    /// Open the correction of the applicant's data (Ctrl+E again: the next person).
    Correct,
    /// A corrected field typed ([`FIX`]'s index).
    Fix(usize, String),
    /// Enter in a field: the last field confirms.
    Entered(&'static str),
    Confirm,
    Cancel,
    Reprint,
    /// Print the control slip (Mẫu 06) as the journal stands.
    Control,
    /// Print the stop notice (Mẫu 05) of a withdrawn or stopped dossier.
    StopNotice,
    Back,
    /// A change was saved: how it went (and its form's printing), with the dossier as it
    /// now is.
    Changed(Result<(String, Box<Detail>), AppError>),
}

/// What the root must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A change with the form the application layer attaches to it.
    Change {
        code: String,
        change: Change,
    },
    /// A person's data corrected, for `reason`.
    Correct {
        code: String,
        role: Role,
        input: CorrectionInput,
        reason: String,
    },
    Reprint(String),
    /// Print the stop notice (Mẫu 05) of a withdrawn or stopped dossier.
    StopNotice(String),
    /// Print the control slip of the dossier.
    Control(String),
    /// Leave the dossier (back to where it was opened from).
    Close,
}

type Step = (Task<Message>, Option<Action>);

/// The dossier on screen.
#[derive(Debug, Clone)]
pub struct DossierView {
    pub detail: Detail,
    pub pending: Option<Pending>,
    working: bool,
    outcome: Option<Result<String, String>>,
}

impl DossierView {
    pub fn new(detail: Detail) -> DossierView {
        DossierView {
            detail,
            pending: None,
            working: false,
            outcome: None,
        }
    }

    fn code(&self) -> String {
        self.detail.shown.dossier.code.to_string()
    }

    /// Withdrawn or stopped: the dossier has a stop notice (Mẫu 05) to print.
    fn stopped(&self) -> bool {
        matches!(
            self.detail.shown.dossier.status,
            Status::Withdrawn | Status::Stopped
        )
    }

    /// Handles a message.
    pub fn update(&mut self, m: Message) -> Step {
        match m {
            Message::Choose(n) => self.choose(n),
            Message::Apology => {
                if let Some(why) = &self.detail.extension_refused {
                    self.outcome = Some(Err(why.clone()));
                    return (Task::none(), None);
                }
                self.pending = Some(Pending::Apology {
                    reason: String::new(),
                    new_due: String::new(),
                });
                (focus::to(NOTE), None)
            }
            Message::Note(v) => {
                let v = motcua_core::text::nfc(&v);
                match &mut self.pending {
                    Some(
                        Pending::Change { note: s, .. }
                        | Pending::Supplement { reason: s, .. }
                        | Pending::Refuse { reason: s }
                        | Pending::HandBack { recipient: s }
                        | Pending::Apology { reason: s, .. }
                        | Pending::Correct { reason: s, .. },
                    ) => *s = v,
                    None => {}
                }
                (Task::none(), None)
            }
            Message::Extra(v) => {
                if let Some(Pending::Supplement { extra, .. }) = &mut self.pending {
                    *extra = motcua_core::text::nfc(&v);
                }
                (Task::none(), None)
            }
            Message::NewDue(v) => {
                if let Some(Pending::Apology { new_due, .. }) = &mut self.pending {
                    *new_due = v;
                }
                (Task::none(), None)
            }
            Message::Correct => match &self.pending {
                Some(Pending::Correct { role, .. }) => self.next_correction(*role),
                _ => self.open_correction(Role::Applicant),
            },
            Message::Fix(i, v) => {
                if let Some(Pending::Correct { values, .. }) = &mut self.pending
                    && let Some(slot) = values.get_mut(i)
                {
                    *slot = motcua_core::text::nfc(&v);
                }
                (Task::none(), None)
            }
            Message::Entered(id) if FIX.contains(&id) => {
                let next = FIX
                    .iter()
                    .position(|f| *f == id)
                    .and_then(|i| FIX.get(i + 1));
                let next = next.copied().unwrap_or(NOTE);
                (
                    Task::batch([focus::to(next), operation::select_all(next)]),
                    None,
                )
            }
            Message::Missing(i, on) => {
                if let Some(Pending::Supplement { missing, .. }) = &mut self.pending
                    && let Some(m) = missing.get_mut(i)
                {
                    *m = on;
                }
                (Task::none(), None)
            }
            Message::Entered(NOTE) if matches!(self.pending, Some(Pending::Supplement { .. })) => {
                (focus::to(EXTRA), None)
            }
            Message::Entered(NOTE) if matches!(self.pending, Some(Pending::Apology { .. })) => {
                (focus::to(NEW_DUE), None)
            }
            Message::Entered(_) | Message::Confirm => self.confirm(),
            Message::Cancel => {
                self.pending = None;
                (Task::none(), None)
            }
            Message::Reprint => (Task::none(), Some(Action::Reprint(self.code()))),
            Message::Control => (Task::none(), Some(Action::Control(self.code()))),
            Message::StopNotice if self.stopped() => {
                (Task::none(), Some(Action::StopNotice(self.code())))
            }
            Message::StopNotice => (Task::none(), None),
            Message::Back => (Task::none(), Some(Action::Close)),
            Message::Changed(r) => {
                self.working = false;
                match r {
                    Ok((line, detail)) => {
                        self.pending = None;
                        self.outcome = Some(Ok(line));
                        self.detail = *detail;
                    }
                    Err(e) => {
                        self.outcome = Some(Err(e.to_string()));
                        if let Some(Pending::Correct { role, .. }) = &self.pending {
                            let id = fix_field(e.fields().first().map(|f| f.field), *role);
                            return (
                                Task::batch([focus::to(id), operation::select_all(id)]),
                                None,
                            );
                        }
                        // The message above the fields moved them: the focus is lost
                        // unless given back to the field to fix.
                        return (self.refocus(), None);
                    }
                }
                (Task::none(), None)
            }
        }
    }

    /// The field the clerk fixes after a refusal, selected so typing replaces it: the new
    /// date of an apology, else the note of the open form.
    fn refocus(&self) -> Task<Message> {
        match &self.pending {
            Some(Pending::Apology { .. }) => {
                Task::batch([focus::to(NEW_DUE), operation::select_all(NEW_DUE)])
            }
            Some(_) => focus::to(NOTE),
            None => Task::none(),
        }
    }

    /// Keys no field used: a digit takes that transition; Ctrl+P reprints; Ctrl+K prints
    /// the control slip; Esc closes the open form, then leaves.
    pub fn key(&mut self, key: &Key, modifiers: Modifiers) -> Step {
        match key.as_ref() {
            Key::Named(Named::Escape) if self.pending.is_some() => {
                self.pending = None;
                (Task::none(), None)
            }
            Key::Named(Named::Escape) => (Task::none(), Some(Action::Close)),
            Key::Character("p") if modifiers.command() => self.update(Message::Reprint),
            Key::Character("k") if modifiers.command() => self.update(Message::Control),
            Key::Character("d") if modifiers.command() => self.update(Message::StopNotice),
            // The applicant's correction; on an open one, the next person the dossier
            // records (its first field again when there is no other).
            Key::Character("e") if modifiers.command() => match self.pending {
                None | Some(Pending::Correct { .. }) => self.update(Message::Correct),
                Some(_) => (Task::none(), None),
            },
            // In a supplement request, Ctrl+n marks document n as missing (or not).
            Key::Character(c) if modifiers.command() => {
                if let Some(Pending::Supplement { missing, .. }) = &mut self.pending
                    && let Ok(n @ 1..) = c.parse::<usize>()
                    && let Some(m) = missing.get_mut(n - 1)
                {
                    *m = !*m;
                }
                (Task::none(), None)
            }
            Key::Character(c) if self.pending.is_none() && !modifiers.command() => {
                match c.parse::<usize>() {
                    Ok(0) => self.update(Message::Apology),
                    Ok(d) => match self.detail.next.iter().position(|&to| digit_of(to) == d) {
                        Some(n) => self.choose(n),
                        None => (Task::none(), None),
                    },
                    _ => (Task::none(), None),
                }
            }
            _ => (Task::none(), None),
        }
    }

    fn choose(&mut self, n: usize) -> Step {
        let Some(&to) = self.detail.next.get(n) else {
            return (Task::none(), None);
        };
        self.outcome = None;
        self.pending = Some(match to {
            Status::SupplementRequested => Pending::Supplement {
                missing: vec![false; self.detail.shown.dossier.documents.len()],
                extra: String::new(),
                reason: String::new(),
            },
            Status::Refused => Pending::Refuse {
                reason: String::new(),
            },
            Status::Returned => Pending::HandBack {
                recipient: self.detail.shown.dossier.applicant.full_name.clone(),
            },
            to => Pending::Change {
                to,
                note: String::new(),
            },
        });
        (
            Task::batch([focus::to(NOTE), operation::select_all(NOTE)]),
            None,
        )
    }

    fn confirm(&mut self) -> Step {
        if self.working {
            return (Task::none(), None);
        }
        let code = self.code();
        let opt = |s: &str| {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        };
        if let Some(Pending::Correct {
            role,
            values,
            reason,
        }) = &self.pending
        {
            let [full_name, id_number, phone, email, address] = values.clone().map(Some);
            let input = CorrectionInput {
                full_name,
                id_number,
                phone,
                email,
                address,
            };
            self.working = true;
            let reason = reason.clone();
            return (
                Task::none(),
                Some(Action::Correct {
                    code,
                    role: *role,
                    input,
                    reason,
                }),
            );
        }
        let change = match &self.pending {
            None | Some(Pending::Correct { .. }) => return (Task::none(), None),
            Some(Pending::Change { to, note }) => Change::Status {
                to: *to,
                note: opt(note),
            },
            Some(Pending::Supplement {
                missing,
                extra,
                reason,
            }) => {
                let mut items: Vec<String> = self
                    .detail
                    .shown
                    .dossier
                    .documents
                    .iter()
                    .zip(missing)
                    .filter(|(_, m)| **m)
                    .map(|(d, _)| d.name.clone())
                    .collect();
                items.extend(extra.split(';').filter_map(opt));
                Change::Supplement {
                    items,
                    reason: opt(reason),
                }
            }
            Some(Pending::Refuse { reason }) => Change::Refuse {
                reason: reason.clone(),
            },
            Some(Pending::HandBack { recipient }) => Change::HandBack {
                recipient: recipient.clone(),
            },
            Some(Pending::Apology { reason, new_due }) => {
                let parsed =
                    chrono::NaiveDateTime::parse_from_str(new_due.trim(), "%d/%m/%Y %H:%M");
                match parsed {
                    Ok(new_due) => Change::Extend {
                        reason: reason.clone(),
                        new_due,
                    },
                    Err(_) => {
                        self.outcome = Some(Err(T::NewDueFormat.vi().to_string()));
                        return (focus::to(NEW_DUE), None);
                    }
                }
            }
        };
        self.working = true;
        (Task::none(), Some(Action::Change { code, change }))
    }

    /// The screen.
    pub fn view(&self) -> Element<'_, Message> {
        let d = &self.detail.shown.dossier;
        let mut title = row![
            text(d.code.to_string()).size(size::CODE).font(theme::BOLD),
            text(self.detail.shown.status_label).size(size::HEADING),
        ]
        .spacing(space::L)
        .align_y(iced::Alignment::Center);
        if self.detail.shown.overdue {
            title = title.push(
                text(T::Overdue.vi())
                    .size(size::HEADING)
                    .font(theme::BOLD)
                    .style(|t: &iced::Theme| text::Style {
                        color: Some(theme::colors(t).overdue),
                    }),
            );
        }
        let back = button(text(T::Back.vi()).size(size::SMALL))
            .style(theme::secondary_button)
            .on_press(Message::Back);
        let reprint = button(text(T::Reprint.vi()).size(size::SMALL))
            .style(theme::secondary_button)
            .on_press(Message::Reprint);
        let control = button(text(T::ControlSlip.vi()).size(size::SMALL))
            .style(theme::secondary_button)
            .on_press(Message::Control);
        let header = row![
            title,
            iced::widget::space::horizontal(),
            reprint,
            control,
            back
        ]
        .spacing(space::S)
        .align_y(iced::Alignment::Center);
        let mut page = column![header].spacing(space::M);
        page = page.push(slot(self.outcome.as_ref().map(|o| match o {
            Ok(line) => caption(line.as_str()),
            Err(line) => error_text(line.as_str()),
        })));
        page = page.push(
            row![
                container(scrollable(
                    container(self.fields()).padding(iced::Padding::ZERO.right(space::M))
                ))
                .width(Length::FillPortion(1)),
                container(self.actions()).width(Length::FillPortion(1)),
            ]
            .spacing(space::L)
            .height(Length::Fill),
        );
        page.padding([space::S, space::L]).into()
    }

    fn fields(&self) -> Element<'_, Message> {
        let d = &self.detail.shown.dossier;
        let line = |k: &'static str, v: String| -> Element<'_, Message> {
            row![
                container(label(k)).width(Length::Fixed(170.0)),
                text(v).size(size::BODY).width(Length::Fill)
            ]
            .spacing(space::S)
            .into()
        };
        let a = &d.applicant;
        let mut col = column![
            line(T::Applicant.vi(), a.full_name.clone()),
            line(
                if a.kind == motcua_core::dossier::PartyKind::Organisation {
                    T::OrgCode.vi()
                } else {
                    T::IdNumber.vi()
                },
                a.id_number.clone().unwrap_or_default()
            ),
            line(T::Phone.vi(), a.phone.clone().unwrap_or_default()),
            line(T::Email.vi(), a.email.clone().unwrap_or_default()),
            line(T::Address.vi(), a.address.clone().unwrap_or_default()),
        ]
        .spacing(space::XS);
        if let Some(r) = &a.representative {
            col = col.push(line(T::Representative.vi(), r.clone()));
        }
        if let Some(o) = &d.owner {
            col = col.push(line(T::OwnerName.vi(), o.full_name.clone()));
        }
        if let Some(p) = &d.proxy {
            let mut who = p.full_name.clone();
            for extra in [&p.id_number, &p.phone, &p.address, &p.email]
                .into_iter()
                .flatten()
            {
                who.push_str(", ");
                who.push_str(extra);
            }
            col = col
                .push(line(T::ProxyLabel.vi(), who))
                .push(line(T::ProxyAuthorisation.vi(), p.authorisation.clone()));
        }
        if let Some(c) = &d.procedure.case {
            col = col.push(line(T::CaseLabel.vi(), format!("{} {}", c.code, c.name)));
        }
        col = col
            .push(line(
                T::Procedure.vi(),
                format!("{} {}", d.procedure.code, d.procedure.name),
            ))
            .push(line(T::ReceivedAt.vi(), i18n::instant(d.received_at)))
            .push(line(
                T::Due.vi(),
                d.due_at.map(i18n::instant).unwrap_or_default(),
            ))
            .push(line(
                T::TermBasis.vi(),
                match &d.procedure.term_source {
                    Some(s) => s.label_vi(),
                    None => T::TermBasisUnknown.vi().to_string(),
                },
            ))
            .push(line(T::ChannelLabel.vi(), d.channel.label().to_string()))
            .push(line(
                T::DeliveryLabel.vi(),
                match &d.result_delivery {
                    ResultDelivery::Counter => T::AtCounter.vi().to_string(),
                    ResultDelivery::Post { address } => format!("{}: {address}", T::ByPost.vi()),
                },
            ))
            .push(line(T::Sets.vi(), d.sets.to_string()))
            .push(line(
                T::Fee.vi(),
                d.fee.map(|f| f.to_string()).unwrap_or_default(),
            ))
            .push(line(T::ReceivingClerk.vi(), self.detail.clerk_name.clone()))
            .push(line(
                T::LedgerEntry.vi(),
                d.ledger_entry.map(|n| n.to_string()).unwrap_or_default(),
            ));
        if let Some(n) = &d.note {
            col = col.push(line(T::Note.vi(), n.clone()));
        }
        col = col.push(heading(T::Documents.vi()));
        for (i, doc) in d.documents.iter().enumerate() {
            col = col.push(caption(format!(
                "{}. {} ({}, {} bản)",
                i + 1,
                doc.name,
                doc.kind.label(),
                doc.count
            )));
        }
        col = col.push(heading(T::Journal.vi()));
        for j in &self.detail.journal {
            let mut head = format!("{}  {} — {}", j.at, j.who, j.what);
            if j.upstream {
                head.push_str(T::FromUpstream.vi());
            }
            let mut entry = column![text(head).size(size::BODY)];
            if let Some(n) = &j.note {
                entry = entry.push(caption(n.as_str()));
            }
            if let Some(m) = j.clock_skew_minutes {
                entry = entry.push(error_text(i18n::clock_skew(m)));
            }
            col = col.push(entry);
        }
        col.into()
    }

    fn actions(&self) -> Element<'_, Message> {
        let mut col = column![heading(T::Actions.vi())].spacing(space::S);
        if self.detail.next.is_empty() {
            col = col.push(caption(T::NoTransition.vi()));
        }
        for (n, to) in self.detail.next.iter().enumerate() {
            col = col.push(
                button(text(i18n::transition(digit_of(*to), *to)).size(size::BODY))
                    .style(theme::secondary_button)
                    .on_press(Message::Choose(n)),
            );
        }
        if self.stopped() {
            col = col.push(
                button(text(T::StopNoticeAction.vi()).size(size::BODY))
                    .style(theme::secondary_button)
                    .on_press(Message::StopNotice),
            );
        }
        if self.detail.extension_refused.is_none() {
            col = col.push(
                button(text(T::ApologyAction.vi()).size(size::BODY))
                    .style(theme::secondary_button)
                    .on_press(Message::Apology),
            );
        }
        col = col.push(
            button(text(T::CorrectAction.vi()).size(size::BODY))
                .style(theme::secondary_button)
                .on_press(Message::Correct),
        );
        if let Some(p) = &self.pending {
            col = col.push(self.pending_view(p));
        }
        scrollable(col).into()
    }

    fn pending_view<'a>(&'a self, p: &'a Pending) -> Element<'a, Message> {
        let mut col: Column<'a, Message> = Column::new().spacing(space::S);
        match p {
            Pending::Change { to, note: n } => {
                col = col
                    .push(text(i18n::change_to(*to)).size(size::HEADING))
                    .push(note(T::Note.vi(), n));
            }
            Pending::Supplement {
                missing,
                extra,
                reason,
            } => {
                col = col.push(text(T::SupplementTitle.vi()).size(size::HEADING));
                for (i, doc) in self.detail.shown.dossier.documents.iter().enumerate() {
                    col = col.push(
                        checkbox(missing.get(i).copied().unwrap_or(false))
                            .label(i18n::missing_toggle(i + 1, &doc.name))
                            .on_toggle(move |on| Message::Missing(i, on))
                            .text_size(size::BODY),
                    );
                }
                col = col.push(note(T::SupplementReason.vi(), reason)).push(
                    Field::new(
                        T::SupplementExtra.vi(),
                        EXTRA,
                        extra,
                        Message::Extra,
                        Message::Entered(EXTRA),
                    )
                    .view(),
                );
            }
            Pending::Refuse { reason } => {
                col = col
                    .push(text(T::RefuseTitle.vi()).size(size::HEADING))
                    .push(note(T::RefuseReason.vi(), reason));
            }
            Pending::HandBack { recipient } => {
                col = col
                    .push(text(T::HandBackTitle.vi()).size(size::HEADING))
                    .push(note(T::Recipient.vi(), recipient));
            }
            Pending::Apology { reason, new_due } => {
                col = col
                    .push(text(T::ApologyAction.vi()).size(size::HEADING))
                    .push(note(T::DelayReason.vi(), reason))
                    .push(
                        Field::new(
                            T::NewDue.vi(),
                            NEW_DUE,
                            new_due,
                            Message::NewDue,
                            Message::Entered(NEW_DUE),
                        )
                        .placeholder(T::NewDueFormat.vi())
                        .view(),
                    );
            }
            Pending::Correct {
                role,
                values,
                reason,
            } => col = self.correction_form(col, *role, values, reason),
        }
        col = col.push(
            row![
                button(text(T::Confirm.vi()))
                    .style(theme::primary_button)
                    .on_press_maybe((!self.working).then_some(Message::Confirm)),
                button(text(T::Cancel.vi()))
                    .style(theme::secondary_button)
                    .on_press(Message::Cancel),
            ]
            .spacing(space::S),
        );
        container(col).padding(space::M).style(theme::panel).into()
    }
}

/// The form's note field (the reason, the recipient) under `label`.
fn note<'a>(label: &'static str, value: &'a str) -> Element<'a, Message> {
    Field::new(label, NOTE, value, Message::Note, Message::Entered(NOTE)).view()
}
