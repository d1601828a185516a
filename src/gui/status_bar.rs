//! The status bar: who is signed in, the time (updated once a minute), today's count and
//! the sync state, with the quarantined count highlighted.

use crate::gui::i18n::{self, T};
use crate::gui::theme::{self, size, space};
use chrono::NaiveDateTime;
use iced::widget::{container, row, text};
use iced::{Element, Length};
use motcua_app::sync::SyncState;

/// What the bar shows.
#[derive(Debug, Clone, Default)]
pub struct Status {
    pub clerk: Option<String>,
    pub now: Option<NaiveDateTime>,
    pub today: Option<u64>,
    pub sync: Option<SyncState>,
    /// The background sync stopped on an error it does not retry.
    pub sync_problem: Option<String>,
    /// Dossiers the province withdrew or stopped whose Mẫu 05 is kept and not printed
    /// from the window yet.
    pub stop_notices: Vec<String>,
}

fn colored<'a, M: 'a>(s: String, pick: fn(&theme::Colors) -> iced::Color) -> Element<'a, M> {
    text(s)
        .size(size::SMALL)
        .style(move |t: &iced::Theme| text::Style {
            color: Some(pick(&theme::colors(t))),
        })
        .into()
}

impl Status {
    /// The bar.
    pub fn view<'a, M: 'a>(&'a self) -> Element<'a, M> {
        let small = |s: String| -> Element<'a, M> { text(s).size(size::SMALL).into() };
        let mut bar = row![].spacing(space::L);
        if let Some(c) = &self.clerk {
            bar = bar.push(small(i18n::clerk(c)));
        }
        if let Some(t) = self.now {
            bar = bar.push(small(i18n::clock(t)));
        }
        if let Some(n) = self.today {
            bar = bar.push(small(i18n::today_count(n)));
        }
        match &self.sync {
            Some(s) if s.hub_url.is_some() => {
                let ok = s.went_through();
                let words = i18n::sync_state(s.connection_label(), ok);
                bar = bar.push(if ok {
                    colored(words, |c| c.ok)
                } else {
                    colored(words, |c| c.due_soon)
                });
                if let Some(at) = &s.last_success_at {
                    bar = bar.push(small(i18n::last_sync(&i18n::moment(at, false))));
                }
                bar = bar.push(colored(i18n::pending(s.pending), |c| c.pending));
                if s.quarantined > 0 {
                    bar = bar.push(colored(i18n::quarantined(s.quarantined), |c| c.quarantined));
                }
                if s.clock_skewed {
                    let minutes = s.clock_offset_ms.unwrap_or(0) / 60_000;
                    bar = bar.push(colored(i18n::clock_skew(minutes), |c| c.error));
                }
            }
            Some(s) => {
                bar = bar.push(small(T::SyncNotEnrolled.vi().to_string()));
                bar = bar.push(colored(i18n::pending(s.pending), |c| c.pending));
            }
            None => {}
        }
        if !self.stop_notices.is_empty() {
            bar = bar.push(colored(i18n::stop_notices(&self.stop_notices), |c| {
                c.due_soon
            }));
        }
        if let Some(p) = &self.sync_problem {
            bar = bar.push(colored(p.clone(), |c| c.error));
        }
        container(bar.align_y(iced::Alignment::Center))
            .padding([space::XS, space::M])
            .width(Length::Fill)
            .style(theme::status_bar)
            .into()
    }
}
