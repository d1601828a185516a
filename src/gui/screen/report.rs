//! Reports (F6), for admins: the period's Biểu 06 counts and the index's ratios, the
//! on-time rate week by week as a chart, the dossiers overdue now (how late, who received
//! each; Enter opens one), the procedures received most. Ctrl+P prints Biểu 06, Ctrl+E
//! exports it to Excel; ←/→ step the period, 1–4 choose month, quarter, half, year.

use crate::gui::i18n::{self, T};
use crate::gui::theme::share::overdue as share;
use crate::gui::theme::{self, height, size, space};
use crate::gui::widgets::{caption, error_text, heading, list_row, slot};
use iced::keyboard::{Key, Modifiers, key::Named};
use iced::widget::{Column, canvas, column, container, row, scrollable, text};
use iced::{Element, Length, Point, Rectangle, Renderer, Size, Task, Theme, mouse};
use motcua_app::AppError;
use motcua_app::report::Dashboard;
use motcua_core::report::{Period, PeriodKind, Report, Week};

/// The most overdue dossiers listed at once (the latest first).
pub const OVERDUE_SHOWN: usize = 200;

/// What the screen sends up.
#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Box<Dashboard>, AppError>),
    /// An overdue dossier clicked: select it and open it.
    Clicked(usize),
    /// Biểu 06 printed or exported, in a sentence.
    Done(Result<String, String>),
}

/// What the root must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The dashboard of the period of `kind` holding today.
    Current(PeriodKind),
    /// The dashboard of the period before (-1) or after (1) `from`.
    Step { from: Period, step: i64 },
    /// Print the Biểu 06 on screen (the figures the head sees, not counted again).
    Print(Box<Report>),
    /// Export it to Excel.
    Export(Box<Report>),
    /// Open an overdue dossier.
    Open(String),
}

type Step = (Task<Message>, Option<Action>);

/// The screen's state.
#[derive(Debug)]
pub struct Reports {
    kind: PeriodKind,
    data: Option<Dashboard>,
    selected: usize,
    working: bool,
    outcome: Option<Result<String, String>>,
}

impl Default for Reports {
    fn default() -> Self {
        Reports {
            kind: PeriodKind::Month,
            data: None,
            selected: 0,
            working: false,
            outcome: None,
        }
    }
}

impl Reports {
    /// Shows the screen: the figures are counted again for the period shown (this
    /// period's month the first time).
    pub fn show(&mut self) -> Step {
        let action = match &self.data {
            Some(d) => Action::Step {
                from: d.report.period,
                step: 0,
            },
            None => Action::Current(self.kind),
        };
        (Task::none(), Some(action))
    }

    pub fn update(&mut self, m: Message) -> Step {
        match m {
            Message::Loaded(r) => {
                self.working = false;
                match r {
                    Ok(d) => {
                        self.kind = d.report.period.kind;
                        self.selected = self.selected.min(d.overdue.len().saturating_sub(1));
                        self.data = Some(*d);
                    }
                    Err(e) => self.outcome = Some(Err(e.to_string())),
                }
                (Task::none(), None)
            }
            Message::Clicked(i) => {
                self.selected = i;
                (Task::none(), self.open())
            }
            Message::Done(r) => {
                self.working = false;
                self.outcome = Some(r);
                (Task::none(), None)
            }
        }
    }

    fn open(&self) -> Option<Action> {
        let d = self.data.as_ref()?;
        d.overdue
            .get(self.selected)
            .map(|o| Action::Open(o.code.clone()))
    }

    fn report(&self) -> Option<Box<Report>> {
        self.data.as_ref().map(|d| Box::new(d.report.clone()))
    }

    fn period(&self) -> Option<Period> {
        self.data.as_ref().map(|d| d.report.period)
    }

    /// The screen's keys (it has no field, so every key comes here).
    pub fn key(&mut self, key: &Key, modifiers: Modifiers) -> Step {
        let ctrl = modifiers.command();
        let action = match key.as_ref() {
            Key::Named(Named::ArrowLeft) => {
                self.period().map(|from| Action::Step { from, step: -1 })
            }
            Key::Named(Named::ArrowRight) => {
                self.period().map(|from| Action::Step { from, step: 1 })
            }
            Key::Named(Named::ArrowDown) => {
                let n = self
                    .data
                    .as_ref()
                    .map_or(0, |d| d.overdue.len().min(OVERDUE_SHOWN));
                self.selected = (self.selected + 1).min(n.saturating_sub(1));
                None
            }
            Key::Named(Named::ArrowUp) => {
                self.selected = self.selected.saturating_sub(1);
                None
            }
            Key::Named(Named::Enter) => self.open(),
            Key::Character("p") if ctrl => self.report().map(Action::Print),
            Key::Character("e") if ctrl => self.report().map(Action::Export),
            Key::Character(c) if !ctrl => {
                let kind = match c {
                    "1" => PeriodKind::Month,
                    "2" => PeriodKind::Quarter,
                    "3" => PeriodKind::Half,
                    "4" => PeriodKind::Year,
                    _ => return (Task::none(), None),
                };
                self.kind = kind;
                self.selected = 0;
                Some(Action::Current(kind))
            }
            _ => None,
        };
        if matches!(
            action,
            Some(Action::Print(_) | Action::Export(_) | Action::Current(_) | Action::Step { .. })
        ) {
            if self.working {
                return (Task::none(), None);
            }
            self.working = true;
            self.outcome = None;
        }
        (Task::none(), action)
    }

    pub fn view(&self) -> Element<'_, Message> {
        let mut col = column![heading(T::TabReports.vi())].spacing(space::S);
        let Some(d) = &self.data else {
            let line: Element<'_, Message> = match &self.outcome {
                Some(Err(e)) => error_text(e.as_str()),
                _ => caption(T::ReportsLoading.vi()),
            };
            return col.push(line).padding([space::S, space::L]).into();
        };
        let r = &d.report;
        let t = &r.total;
        col = col
            .push(text(i18n::report_period(&r.period)).size(size::HEADING))
            .push(caption(i18n::report_kinds(self.kind)))
            .push(caption(i18n::as_of(d.as_of, &r.period)));
        let mut figures = column![
            text(i18n::report_received(
                t.received_total,
                t.carried,
                t.received_online
            ))
            .size(size::BODY),
            text(i18n::report_resolved(
                t.resolved_total,
                t.early,
                t.on_time,
                t.resolved_late
            ))
            .size(size::BODY),
            text(i18n::report_pending(
                t.pending_total,
                t.pending_in_time,
                t.pending_late
            ))
            .size(size::BODY),
        ]
        .spacing(space::XS);
        for ratio in &r.ratios {
            figures = figures.push(
                text(i18n::report_ratio(
                    &ratio.name,
                    ratio.percent.as_deref(),
                    ratio.numerator,
                    ratio.denominator,
                ))
                .size(size::BODY)
                .font(theme::BOLD),
            );
        }
        let mut busiest = column![
            text(T::ReportsBusiest.vi())
                .size(size::BODY)
                .font(theme::BOLD)
        ]
        .spacing(space::XS);
        if d.busiest.is_empty() {
            busiest = busiest.push(caption(T::ReportsNothing.vi()));
        }
        for (k, (name, n)) in d.busiest.iter().enumerate() {
            busiest = busiest.push(text(format!("{}. {name}: {n}", k + 1)).size(size::SMALL));
        }
        col = col.push(
            row![
                container(figures)
                    .padding(space::M)
                    .width(Length::FillPortion(share::FIGURES))
                    .style(theme::panel),
                container(busiest)
                    .padding(space::M)
                    .width(Length::FillPortion(share::BUSIEST))
                    .style(theme::panel),
            ]
            .spacing(space::M),
        );
        col = col.push(
            container(
                column![
                    text(T::ReportsChart.vi())
                        .size(size::BODY)
                        .font(theme::BOLD),
                    canvas(Chart { weeks: &d.weeks })
                        .width(Length::Fill)
                        .height(height::CHART),
                ]
                .spacing(space::XS),
            )
            .padding(space::M)
            .style(theme::panel),
        );
        col = col.push(slot(self.outcome.as_ref().map(|o| match o {
            Ok(line) => caption(line.as_str()),
            Err(line) => error_text(line.as_str()),
        })));
        col = col.push(
            row![
                text(T::ReportsOverdue.vi())
                    .size(size::BODY)
                    .font(theme::BOLD),
                caption(i18n::overdue_count(
                    d.overdue.len(),
                    d.overdue.len().min(OVERDUE_SHOWN)
                )),
            ]
            .spacing(space::M),
        );
        let mut list = Column::new();
        if d.overdue.is_empty() {
            list = list.push(caption(T::ReportsNoOverdue.vi()));
        }
        for (i, o) in d.overdue.iter().take(OVERDUE_SHOWN).enumerate() {
            let line = row![
                container(text(o.code.clone()).size(size::BODY))
                    .width(Length::FillPortion(share::CODE)),
                container(
                    text(o.procedure.clone())
                        .size(size::BODY)
                        .wrapping(text::Wrapping::None)
                )
                .width(Length::FillPortion(share::PROCEDURE))
                .clip(true),
                container(text(i18n::overdue_due(o)).size(size::BODY))
                    .width(Length::FillPortion(share::DUE)),
                container(text(i18n::days_late(o)).size(size::BODY))
                    .width(Length::FillPortion(share::LATE)),
                container(text(o.clerk.clone()).size(size::BODY))
                    .width(Length::FillPortion(share::CLERK)),
            ]
            .spacing(space::S);
            list = list.push(list_row(line, i == self.selected, Message::Clicked(i)));
        }
        col.push(scrollable(list).height(Length::Fill))
            .push(caption(T::ReportsKeys.vi()))
            .padding([space::S, space::L])
            .into()
    }
}

/// The average advance of a label's glyph (digits, "/", "%"), in ems.
const GLYPH: f32 = 0.6;

/// Where a label stands from its anchor.
#[derive(Clone, Copy)]
enum Align {
    Centre,
    Right,
}

/// The on-time rate week by week: one bar per week (its height the percent), the
/// percent above it, the week's first day under it, lines at 0, 50 and 100 %.
struct Chart<'a> {
    weeks: &'a [Week],
}

impl<M> canvas::Program<M> for Chart<'_> {
    type State = ();

    fn draw(
        &self,
        _state: &(),
        renderer: &Renderer,
        theme: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<canvas::Geometry> {
        let c = theme::colors(theme);
        let mut frame = canvas::Frame::new(renderer, bounds.size());
        let label = size::SMALL;
        // Room for the percent above the bars and the dates under them, the scale left.
        let (left, top, bottom) = (label * 3.0, label * 1.6, label * 1.8);
        let plot_h = (bounds.height - top - bottom).max(1.0);
        let plot_w = (bounds.width - left).max(1.0);
        let y_of = |percent: f64| top + plot_h * (1.0 - (percent as f32 / 100.0));
        // Labels are drawn from their top left corner, where their estimated width and
        // line height put them: the software renderer repaints a changed canvas text only
        // right of and below its anchor, so text centred or aligned right or on its middle
        // would leave its old pixels behind when the chart changes.
        let small = |content: String, anchor: Point, color, align: Align| {
            let width = content.chars().count() as f32 * label * GLYPH;
            let x = match align {
                Align::Centre => anchor.x - width / 2.0,
                Align::Right => anchor.x - width,
            };
            canvas::Text {
                content,
                // The line (1.3 ems) centred on the anchor.
                position: Point::new(x, anchor.y - label * 0.65),
                max_width: width * 2.0,
                color,
                size: label.into(),
                font: theme::FONT,
                ..canvas::Text::default()
            }
        };
        for p in [0.0, 50.0, 100.0] {
            let y = y_of(p);
            frame.fill_rectangle(
                Point::new(left, y),
                Size::new(plot_w, theme::width::RULE),
                c.muted.scale_alpha(0.4),
            );
            frame.fill_text(small(
                format!("{p:.0}%"),
                Point::new(left - space::XS, y),
                c.muted,
                Align::Right,
            ));
        }
        if self.weeks.iter().all(|w| w.counted == 0) {
            frame.fill_text(small(
                T::ReportsChartEmpty.vi().to_string(),
                Point::new(left + plot_w / 2.0, top + plot_h / 2.0),
                c.muted,
                Align::Centre,
            ));
            return vec![frame.into_geometry()];
        }
        let n = self.weeks.len().max(1) as f32;
        let slot_w = plot_w / n;
        let bar_w = (slot_w * 0.6).max(2.0);
        // Dates under the bars, thinned so they never overlap.
        let every = ((label * 4.0) / slot_w).ceil().max(1.0) as usize;
        for (k, w) in self.weeks.iter().enumerate() {
            let x = left + slot_w * k as f32 + (slot_w - bar_w) / 2.0;
            let centre = x + bar_w / 2.0;
            if let Some(p) = w.percent() {
                // A week at 0 % still shows a stub: it had dossiers, none on time.
                let y = y_of(p).min(top + plot_h - space::XS);
                frame.fill_rectangle(
                    Point::new(x, y),
                    Size::new(bar_w, top + plot_h - y),
                    if p >= 90.0 { c.ok } else { c.overdue },
                );
                if slot_w >= label * 2.2 {
                    frame.fill_text(small(
                        format!("{p:.0}"),
                        Point::new(centre, y - label * 0.7),
                        c.text,
                        Align::Centre,
                    ));
                }
            }
            if k % every == 0 {
                frame.fill_text(small(
                    w.from.format("%d/%m").to_string(),
                    Point::new(centre, top + plot_h + label),
                    c.muted,
                    Align::Centre,
                ));
            }
        }
        vec![frame.into_geometry()]
    }
}
