//! Sync (F4): online or not, the last success, the clock offset (with a warning above
//! 5 minutes), what waits to be sent, each event the hub refused with its reason, the
//! conflicts with what upstream said, "Đồng bộ ngay", and enrolling the station with a
//! hub (URL, one-time token, optional CA file).

use crate::gui::focus;
use crate::gui::i18n::{self, T};
use crate::gui::theme::{self, size, space, width};
use crate::gui::widgets::{Field, caption, error_text, heading, slot};
use iced::widget::{button, column, container, row, scrollable, text};
use iced::{Element, Length, Task};
use motcua_app::AppError;
use motcua_app::sync::SyncState;

const HUB: &str = "sync-hub";
const TOKEN: &str = "sync-token";
const CA: &str = "sync-ca";

/// A field of the enrolment form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Hub,
    Token,
    Ca,
}

/// What the screen sends up.
#[derive(Debug, Clone)]
pub enum Message {
    Edited(Input, String),
    Entered(Input),
    SyncNow,
    /// Fetch back from the hub the events the database lost.
    Recover,
    Enroll,
    /// The state read from the register.
    Loaded(Result<Box<SyncState>, AppError>),
    /// A sync or an enrolment ended, in a sentence.
    Done(Result<String, AppError>),
}

/// What the root must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Load,
    SyncNow,
    Recover,
    Enroll {
        hub: String,
        token: String,
        ca: Option<String>,
    },
}

type Step = (Task<Message>, Option<Action>);

/// The screen's state.
#[derive(Debug, Default)]
pub struct Sync {
    state: Option<SyncState>,
    hub: String,
    token: String,
    ca: String,
    working: bool,
    outcome: Option<Result<String, String>>,
}

impl Sync {
    pub fn show(&mut self) -> Step {
        (focus::to(HUB), Some(Action::Load))
    }

    pub fn update(&mut self, m: Message) -> Step {
        match m {
            Message::Edited(i, v) => {
                let v = v.trim().to_string();
                match i {
                    Input::Hub => self.hub = v,
                    Input::Token => self.token = v,
                    Input::Ca => self.ca = v,
                }
                (Task::none(), None)
            }
            Message::Entered(Input::Ca) | Message::Enroll => {
                if self.working || self.hub.is_empty() || self.token.is_empty() {
                    return (Task::none(), None);
                }
                self.working = true;
                (
                    Task::none(),
                    Some(Action::Enroll {
                        hub: self.hub.clone(),
                        token: self.token.clone(),
                        ca: (!self.ca.is_empty()).then(|| self.ca.clone()),
                    }),
                )
            }
            Message::Entered(_) => (focus::next(), None),
            Message::SyncNow => {
                if self.working {
                    return (Task::none(), None);
                }
                self.working = true;
                (Task::none(), Some(Action::SyncNow))
            }
            Message::Recover => {
                let missing = self.state.as_ref().is_some_and(|s| s.missing_events > 0);
                if self.working || !missing {
                    return (Task::none(), None);
                }
                self.working = true;
                (Task::none(), Some(Action::Recover))
            }
            Message::Loaded(r) => {
                match r {
                    Ok(s) => {
                        if self.hub.is_empty()
                            && let Some(url) = &s.hub_url
                        {
                            self.hub = url.clone();
                        }
                        self.state = Some(*s);
                    }
                    Err(e) => self.outcome = Some(Err(e.to_string())),
                }
                (Task::none(), None)
            }
            Message::Done(r) => {
                self.working = false;
                // Not enrolled: how to enrol here, not the command the CLI would run.
                self.outcome = Some(r.map_err(|e| {
                    if e.is_not_enrolled() {
                        T::SyncNeedsEnrolment.vi().to_string()
                    } else {
                        e.to_string()
                    }
                }));
                self.token.clear();
                (Task::none(), Some(Action::Load))
            }
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let mut col = column![heading(T::TabSync.vi())].spacing(space::S);
        col = col.push(slot(self.outcome.as_ref().map(|o| match o {
            Ok(line) => caption(line.as_str()),
            Err(line) => error_text(line.as_str()),
        })));
        if let Some(s) = &self.state {
            col = col.push(state_view(s));
            if s.mark_damaged {
                col = col.push(error_text(i18n::MARK_DAMAGED));
            }
            if s.missing_events > 0 {
                col = col.push(error_text(i18n::missing_events(s.missing_events)));
                col = col.push(
                    button(text(T::RecoverNow.vi()))
                        .style(theme::primary_button)
                        .on_press_maybe((!self.working).then_some(Message::Recover)),
                );
            }
        }
        col = col.push(
            button(text(if self.working {
                T::Syncing.vi()
            } else {
                T::SyncNow.vi()
            }))
            .style(theme::primary_button)
            .on_press_maybe((!self.working).then_some(Message::SyncNow)),
        );
        let enroll = column![
            heading(T::EnrollTitle.vi()),
            caption(T::EnrollHint.vi()),
            field(Input::Hub, HUB, T::HubUrl.vi(), &self.hub)
                .placeholder(T::HubUrlHint.vi())
                .view(),
            field(Input::Token, TOKEN, T::EnrollToken.vi(), &self.token)
                .secure()
                .view(),
            field(Input::Ca, CA, T::CaFile.vi(), &self.ca)
                .placeholder(T::CaFileHint.vi())
                .view(),
            button(text(T::Enroll.vi()))
                .style(theme::secondary_button)
                .on_press_maybe((!self.working).then_some(Message::Enroll)),
        ]
        .spacing(space::S)
        .max_width(width::FORM_BOX);
        scrollable(col.push(enroll).padding([space::S, space::L])).into()
    }
}

fn field<'a>(
    i: Input,
    id: &'static str,
    label: &'static str,
    value: &'a str,
) -> Field<'a, Message> {
    Field::new(
        label,
        id,
        value,
        move |v| Message::Edited(i, v),
        Message::Entered(i),
    )
}

/// What the register says of sync.
fn state_view(s: &SyncState) -> Element<'_, Message> {
    let line = |k: &'static str, v: String| {
        row![
            container(text(k).size(size::LABEL)).width(Length::Fixed(width::LABEL_COLUMN)),
            text(v).size(size::BODY)
        ]
        .spacing(space::S)
    };
    let mut col = column![
        line(
            T::HubUrl.vi(),
            s.hub_url
                .clone()
                .unwrap_or_else(|| T::NotEnrolled.vi().to_string())
        ),
        line(T::Connection.vi(), s.connection_label().to_string()),
        line(
            T::LastSuccess.vi(),
            s.last_success_at
                .as_deref()
                .map_or_else(|| T::Never.vi().to_string(), |at| i18n::moment(at, true))
        ),
        line(T::Pending.vi(), s.pending.to_string()),
        line(T::Quarantined.vi(), s.quarantined.to_string()),
        line(
            T::ClockOffset.vi(),
            s.clock_offset_ms
                .map(|ms| i18n::seconds(ms / 1000))
                .unwrap_or_default()
        ),
    ]
    .spacing(space::XS);
    if s.hub_url.is_none() {
        col = col.push(caption(T::EnrollHowTo.vi()));
    }
    if s.clock_skewed {
        col = col.push(error_text(i18n::clock_skew(
            s.clock_offset_ms.unwrap_or(0) / 60_000,
        )));
    }
    if let Some(e) = &s.last_error {
        col = col.push(error_text(i18n::last_error(e)));
    }
    if !s.quarantine.is_empty() {
        col = col.push(heading(T::QuarantineTitle.vi()));
        for q in &s.quarantine {
            col = col.push(error_text(i18n::quarantined_item(
                q.seq, &q.kind, &q.reason,
            )));
        }
    }
    if !s.conflicts.is_empty() {
        col = col.push(heading(T::ConflictsTitle.vi()));
        for c in &s.conflicts {
            col = col.push(caption(i18n::conflict(&c.dossier_code, &c.detail)));
        }
    }
    col.into()
}
