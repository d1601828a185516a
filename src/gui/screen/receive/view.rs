//! The Receive screen's view: three columns that fit an office screen (1280×720)
//! without scrolling the form, so the field being typed in is always in sight.

use super::{Input, Message, Receive, SUGGESTIONS, Saved};
use crate::gui::i18n::{self, T};
use crate::gui::theme::{self, share, size, space, width};
use crate::gui::widgets::{Field, caption, error_text, heading, label, slot};
use iced::widget::{
    Column, button, checkbox, column, container, mouse_area, radio, row, scrollable, text,
    text_input,
};
use iced::{Element, Length};
use motcua_core::dossier::{DocumentKind, PartyKind};

impl Receive {
    fn field(&self, i: Input, label: &'static str) -> Field<'_, Message> {
        Field::new(
            label,
            i.id(),
            self.draft.text(i),
            move |v| Message::Edited(i, v),
            Message::Entered(i),
        )
        .error(self.error(i))
    }

    /// The screen.
    pub fn view(&self) -> Element<'_, Message> {
        let id_hint = match &self.id_hint {
            Some(Ok(h)) => Some(h.clone()),
            _ => None,
        };
        let id_error = self.error(Input::IdNumber).or(match &self.id_hint {
            Some(Err(e)) => Some(e.as_str()),
            _ => None,
        });
        let organisation = self.draft.kind == PartyKind::Organisation;
        let mut applicant = column![
            self.procedure_view(),
            heading(T::Applicant.vi()),
            self.field(
                Input::Name,
                if organisation {
                    T::OrgName.vi()
                } else {
                    T::FullName.vi()
                }
            )
            .view(),
            Field::new(
                if organisation {
                    T::OrgCode.vi()
                } else {
                    T::IdNumber.vi()
                },
                Input::IdNumber.id(),
                &self.draft.id_number,
                |v| Message::Edited(Input::IdNumber, v),
                Message::Entered(Input::IdNumber),
            )
            .error(id_error)
            .hint(id_hint)
            .view(),
            row![
                self.field(Input::Phone, T::Phone.vi()).view(),
                self.field(Input::Email, T::Email.vi()).view()
            ]
            .spacing(space::S),
            self.field(Input::Address, T::Address.vi()).view(),
        ]
        .spacing(space::S);
        // After the address, and no field: a person (the common case) types straight on;
        // Ctrl+T (or a click) makes it an organisation, and the labels above follow.
        applicant = applicant.push(self.kind_view());
        if organisation {
            applicant = applicant.push(
                self.field(Input::Representative, T::Representative.vi())
                    .view(),
            );
        }
        let details = column![
            heading(T::ProxySection.vi()),
            self.field(Input::ProxyName, T::ProxyName.vi()).view(),
            row![
                self.field(Input::ProxyId, T::IdNumber.vi()).view(),
                self.field(Input::ProxyPhone, T::Phone.vi()).view()
            ]
            .spacing(space::S),
            row![
                self.field(Input::ProxyAddress, T::Address.vi()).view(),
                self.field(Input::ProxyEmail, T::Email.vi()).view()
            ]
            .spacing(space::S),
            self.field(Input::ProxyAuthorisation, T::ProxyAuthorisation.vi())
                .view(),
            self.choices_view(),
            row![
                self.field(Input::Fee, T::Fee.vi()).view(),
                container(self.field(Input::Sets, T::Sets.vi()).view())
                    .width(Length::Fixed(width::NARROW_FIELD))
            ]
            .spacing(space::S),
            self.field(Input::Note, T::Note.vi()).view(),
        ]
        .spacing(space::S);
        let outcome = column![
            self.marks_view(),
            scrollable(gutter(self.documents_view()))
                .height(Length::FillPortion(share::receive::CHECKLIST)),
            column![self.due_view(), self.actions_view()].spacing(space::M),
        ]
        .spacing(space::M);

        let mut messages: Vec<Element<'_, Message>> = Vec::new();
        if let Some(s) = &self.saved {
            messages.push(saved_view(s));
        }
        if let Some(f) = &self.failure {
            messages.push(banner(
                column![error_text(f.as_str()), caption(T::DraftKept.vi())].into(),
            ));
        } else if !self.errors.is_empty() {
            messages.push(banner(error_text(T::FixFields.vi())));
        }
        if self.confirm_clear {
            messages.push(banner(text(T::ConfirmClear.vi()).size(size::BODY).into()));
        }
        if let Some(n) = &self.notice {
            messages.push(caption(n.as_str()));
        }
        Column::new()
            .spacing(space::S)
            .push(slot(messages))
            .push(
                row![
                    panel(
                        scrollable(gutter(applicant)).into(),
                        share::receive::APPLICANT
                    ),
                    iced::widget::rule::vertical(width::RULE),
                    panel(scrollable(gutter(details)).into(), share::receive::DETAILS),
                    iced::widget::rule::vertical(width::RULE),
                    panel(outcome.into(), share::receive::OUTCOME)
                ]
                .spacing(space::M)
                .height(Length::Fill),
            )
            .padding([space::S, space::L])
            .into()
    }

    fn procedure_view(&self) -> Element<'_, Message> {
        let mut col = column![
            self.field(Input::Procedure, T::Procedure.vi())
                .placeholder(T::ProcedureHint.vi())
                .view()
        ]
        .spacing(space::XS);
        if self.suggestions_open {
            let frequent = self.draft.procedure_query.trim().is_empty();
            if frequent {
                col = col.push(caption(T::FrequentHint.vi()));
            } else if self.hits.is_empty() && self.hits_for == self.draft.procedure_query.trim() {
                col = col.push(caption(T::NoProcedure.vi()));
            }
            for (n, p) in self.hits.iter().take(SUGGESTIONS).enumerate() {
                let line = container(
                    text(format!("{}  {}", p.code, p.name))
                        .size(size::BODY)
                        .wrapping(text::Wrapping::None),
                )
                .padding(space::XS)
                .width(Length::Fill)
                .clip(true);
                let line = if n == self.highlighted {
                    line.style(theme::selected_row)
                } else {
                    line
                };
                col = col.push(mouse_area(line).on_press(Message::Pick(n)));
            }
            if !self.hits.is_empty() {
                col = col.push(caption(T::SuggestionHint.vi()));
            }
        }
        if let Some(p) = &self.draft.chosen {
            // A procedure's only case is taken by itself: nothing to show or choose.
            if p.cases.len() > 1 {
                col = col.push(self.field(Input::Case, T::CaseField.vi()).view());
                for (n, c) in motcua_app::catalog::case_choices(p, self.draft.channel)
                    .into_iter()
                    .enumerate()
                    .take(9)
                {
                    let on = self.draft.case_code.as_deref() == Some(c.selector.as_str());
                    col = col.push(
                        radio(
                            i18n::case_line(n + 1, &c.distinct),
                            n,
                            on.then_some(n),
                            Message::CasePicked,
                        )
                        .size(size::SMALL)
                        .text_size(size::SMALL),
                    );
                }
            }
            col = col.push(self.term_view());
        }
        col.into()
    }

    /// The term as the catalogue gives it, or what the clerk must say about it: which of
    /// the published terms applies, the listing's term, or the appointment.
    fn term_view(&self) -> Element<'_, Message> {
        let mut info = column![].spacing(space::XS);
        let options = self.draft.term_options();
        if !options.is_empty() {
            let chosen = self
                .draft
                .term_choice
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1));
            info = info.push(
                Field::new(
                    T::TermChoiceField.vi(),
                    Input::TermChoice.id(),
                    &self.draft.term_choice,
                    |v| Message::Edited(Input::TermChoice, v),
                    Message::Entered(Input::TermChoice),
                )
                .error(self.error(Input::TermChoice))
                .view(),
            );
            for (n, o) in options.into_iter().enumerate() {
                info = info.push(
                    radio(i18n::term_option(n + 1, &o), n, chosen, Message::TermPicked)
                        .size(size::SMALL)
                        .text_size(size::SMALL),
                );
            }
        }
        if self.draft.needs_typed_term() {
            info = info.push(
                self.field(Input::Term, T::TermField.vi())
                    .placeholder(T::TermHint.vi())
                    .view(),
            );
        }
        if self.draft.needs_appointment() {
            info = info.push(
                self.field(Input::Appointment, T::AppointmentField.vi())
                    .placeholder(T::AppointmentHint.vi())
                    .view(),
            );
        }
        // Below the fields, so that what it says (which changes as the clerk types)
        // never moves a field that has the focus.
        if let Some(Ok(a)) = self.draft.applied() {
            let term = a
                .term
                .map_or_else(|| T::NoStatutoryTerm.vi().to_string(), |t| t.label_vi());
            info = info.push(text(i18n::term(&term)).size(size::BODY));
            if a.term_unconfirmed {
                info = info.push(caption(T::TermUnconfirmed.vi()));
            }
            if !a.fee.is_empty() {
                info = info.push(caption(i18n::fee_rule(&a.fee)));
            }
        }
        info.into()
    }

    /// Person or organisation: Ctrl+T, or a click on the choice. Not a field, so that
    /// Enter and Tab pass it by.
    fn kind_view(&self) -> Element<'_, Message> {
        let pick = |label: &'static str, kind: PartyKind| {
            radio(label, kind, Some(self.draft.kind), Message::KindPicked)
                .size(size::SMALL)
                .text_size(size::SMALL)
        };
        column![
            label(T::ApplicantKind.vi()),
            row![
                pick(T::ChoicePerson.vi(), PartyKind::Person),
                pick(T::ChoiceOrganisation.vi(), PartyKind::Organisation),
            ]
            .spacing(space::M),
        ]
        .spacing(space::XS)
        .into()
    }

    fn choices_view(&self) -> Element<'_, Message> {
        let pick = |label: &'static str, on: bool, msg: Message| {
            radio(label, on, Some(true), move |_| msg.clone())
                .size(size::SMALL)
                .text_size(size::SMALL)
        };
        let channel = column![
            self.field(Input::Channel, T::Channel.vi()).view(),
            row![
                pick(
                    T::ChoiceDirect.vi(),
                    self.draft.channel == motcua_core::dossier::Channel::Direct,
                    Message::ChannelPicked(motcua_core::dossier::Channel::Direct)
                ),
                pick(
                    T::ChoicePostal.vi(),
                    self.draft.channel == motcua_core::dossier::Channel::Postal,
                    Message::ChannelPicked(motcua_core::dossier::Channel::Postal)
                ),
            ]
            .spacing(space::M),
        ]
        .spacing(space::XS);
        let mut delivery = column![
            self.field(Input::Delivery, T::Delivery.vi()).view(),
            row![
                pick(
                    T::ChoiceCounter.vi(),
                    !self.draft.by_post,
                    Message::DeliveryPicked(false)
                ),
                pick(
                    T::ChoicePost.vi(),
                    self.draft.by_post,
                    Message::DeliveryPicked(true)
                ),
            ]
            .spacing(space::M),
        ]
        .spacing(space::XS);
        if self.draft.by_post {
            delivery = delivery.push(self.field(Input::PostAddress, T::PostAddress.vi()).view());
        }
        column![channel, delivery].spacing(space::S).into()
    }

    /// The marks field above the checklist: one key per document handed in.
    fn marks_view(&self) -> Element<'_, Message> {
        let mut col = column![heading(T::Documents.vi())].spacing(space::XS);
        if self.draft.documents.is_empty() && self.draft.chosen.is_none() {
            return col.push(caption(T::DocumentsEmpty.vi())).into();
        }
        col = col.push(
            self.field(Input::Marks, T::MarksField.vi())
                .placeholder(T::MarksHint.vi())
                .view(),
        );
        col.push(self.marked_line()).into()
    }

    /// "Đã đánh dấu 2/8 giấy tờ đã nộp", or a warning when none is.
    fn marked_line(&self) -> Element<'_, Message> {
        let n = self.draft.marked();
        let total = self.draft.documents.len();
        if n == 0 {
            caption(T::NoneMarked.vi())
        } else {
            text(i18n::marked(n, total))
                .size(size::BODY)
                .font(theme::BOLD)
                .into()
        }
    }

    fn documents_view(&self) -> Column<'_, Message> {
        let mut col = column![].spacing(space::S);
        if !self.draft.documents.is_empty() {
            col = col.push(caption(T::DocumentsHint.vi()));
        }
        for (n, d) in self.draft.documents.iter().enumerate() {
            let kind = |k: DocumentKind| {
                radio(k.label(), k, Some(d.kind), move |k| Message::DocKind(n, k))
                    .size(size::SMALL)
                    .text_size(size::SMALL)
            };
            let kinds = row![
                kind(DocumentKind::Original),
                kind(DocumentKind::Copy),
                kind(DocumentKind::CertifiedCopy),
            ]
            .spacing(space::S);
            let count = text_input("1", &d.count)
                .id(Input::Doc(n).id())
                .on_input(move |v| Message::Edited(Input::Doc(n), v))
                .on_submit(Message::Entered(Input::Doc(n)))
                .size(size::BODY)
                .padding(space::XS)
                .width(Length::Fixed(width::COUNT_FIELD))
                .style(theme::input(false));
            let name = match d.key {
                Some(k) => format!("[{k}] {}", d.name),
                None => d.name.clone(),
            };
            let mut line = column![
                checkbox(d.marked)
                    .label(name)
                    .on_toggle(move |on| Message::DocToggled(n, on))
                    .text_size(size::BODY),
            ]
            .spacing(space::XS);
            if let Some(tag) = &d.tag {
                line = line.push(caption(tag.as_str()));
            }
            if d.marked {
                line = line.push(
                    row![label(T::Copies.vi()), count, kinds]
                        .spacing(space::S)
                        .align_y(iced::Alignment::Center),
                );
            }
            col = col.push(line);
        }
        col.push(
            self.field(Input::AddDoc, T::AddDocument.vi())
                .placeholder(T::AddDocument.vi())
                .view(),
        )
    }

    fn due_view(&self) -> Element<'_, Message> {
        let mut col = column![heading(T::Due.vi())].spacing(space::XS);
        match &self.due {
            Some(Ok(d)) => {
                col = col
                    .push(
                        text(i18n::instant(d.at))
                            .size(size::HEADING)
                            .font(theme::BOLD),
                    )
                    .push(caption(d.explanation.as_str()));
            }
            Some(Err(e)) => col = col.push(error_text(e.as_str())),
            None => col = col.push(caption(T::NoDue.vi())),
        }
        col.into()
    }

    fn actions_view(&self) -> Element<'_, Message> {
        let save = button(text(if self.saving {
            T::Saving.vi()
        } else {
            T::SaveAndPrint.vi()
        }))
        .padding(space::M)
        .style(theme::primary_button)
        .on_press_maybe((!self.saving).then_some(Message::SaveClicked));
        let clear = button(text(T::ClearForm.vi()))
            .padding(space::M)
            .style(theme::secondary_button)
            .on_press(Message::ClearClicked);
        let mut col = column![].spacing(space::XS);
        if self.draft.chosen.is_some() {
            col = col.push(self.marked_line());
        }
        col.push(row![save, clear].spacing(space::M)).into()
    }
}

/// A column of the form. No background or border: large painted areas cost a full
/// repaint on every caret blink in the software renderer; rules separate the columns.
/// Room on the right for a column's scroll bar, so it never covers the fields.
fn gutter(content: Column<'_, Message>) -> Column<'_, Message> {
    content.padding(iced::Padding::ZERO.right(space::M))
}

fn panel(content: Element<'_, Message>, portion: u16) -> Element<'_, Message> {
    container(content)
        .padding(space::M)
        .width(Length::FillPortion(portion))
        .height(Length::Fill)
        .into()
}

fn banner(content: Element<'_, Message>) -> Element<'_, Message> {
    container(content)
        .padding(space::S)
        .width(Length::Fill)
        .style(theme::error_banner)
        .into()
}

fn saved_view(s: &Saved) -> Element<'_, Message> {
    let big = |t: &str| text(t.to_string()).size(size::CODE).font(theme::BOLD);
    let status = match &s.print {
        Ok(line) => caption(line.as_str()),
        Err(line) => error_text(line.as_str()),
    };
    let col = column![
        row![
            column![label(T::DossierCode.vi()), big(&s.code)],
            column![label(T::LookupSecret.vi()), big(&s.secret)],
            column![label(T::Due.vi()), text(s.due.as_str()).size(size::HEADING)],
        ]
        .spacing(space::XL)
        .align_y(iced::Alignment::End),
        row![
            container(status).width(Length::Fill),
            button(text(T::Reprint.vi()).size(size::SMALL))
                .style(theme::secondary_button)
                .on_press(Message::ReprintClicked),
        ]
        .spacing(space::M)
        .align_y(iced::Alignment::Center),
    ]
    .spacing(space::XS);
    container(column![text(T::SavedTitle.vi()).size(size::SMALL), col].spacing(space::XS))
        .padding([space::S, space::M])
        .width(Length::Fill)
        .style(theme::saved_banner)
        .into()
}
