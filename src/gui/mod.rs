//! The counter window (iced, software rendering). The root here holds the screens and
//! dispatches: each message goes to one named method; screens send `Action`s up, which
//! become application-layer calls on the worker thread, whose results come back as
//! past-tense messages. Nothing here opens SQL or builds a form.

pub mod background;
pub mod focus;
pub mod guard;
pub mod i18n;
mod keys;
mod run;
pub mod screen;
pub mod status_bar;
mod tab;
pub mod theme;
pub mod widgets;
pub mod worker;

#[cfg(test)]
mod tests;

use crate::gui::i18n::T;
use crate::gui::screen::{
    access, login, receive, register, report, returns, settings, setup, soon, sync,
};
use crate::gui::status_bar::Status;
pub use crate::gui::tab::Tab;
use crate::gui::worker::Worker;
use chrono::NaiveDateTime;
use iced::keyboard::{Key, Modifiers, key::Named};
use iced::widget::{button, column, container, row, text};
use iced::{Element, Event, Length, Subscription, Task, Theme, event, keyboard, mouse, window};
use motcua_app::forms::PrintRequest;
use motcua_app::settings::{Key as Setting, Settings};
use motcua_app::sync::SyncState;
use motcua_app::{AppError, Env, Paths, Role, SetupReport, StationInfo, User};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How often the window looks at the clock (status bar minute, idle lock, due preview).
const TICK: Duration = Duration::from_secs(15);

/// When the process started (for the start-up figures printed with `MOTCUA_TRACE=1`).
static STARTED: OnceLock<Instant> = OnceLock::new();

/// Notes the process start; call first thing in `main`.
pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
}

/// How the window runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// The clock and printer of the counter.
    pub env: Env,
    /// Run the sync loop in the background (off in tests).
    pub background_sync: bool,
    /// Print timings of start-up, login, suggestions and save to stderr.
    pub trace: bool,
    /// The window's jobs under way (tests wait for none).
    pub jobs: worker::Jobs,
}

impl Options {
    /// The machine's clock and printers, background sync on; `MOTCUA_TRACE=1` for timings.
    pub fn system() -> Options {
        Options {
            env: Env::system(),
            background_sync: true,
            trace: std::env::var_os("MOTCUA_TRACE").is_some_and(|v| v == "1"),
            jobs: worker::Jobs::default(),
        }
    }
}

/// Opens the window on the station in `paths` and runs until it is closed.
pub fn run(paths: Paths) -> iced::Result {
    // The taskbar groups the window with the Start-menu shortcut, which carries this id.
    #[cfg(windows)]
    let _ = motcua_win::set_app_id(motcua_win::APP_ID);
    application(paths, Options::system()).run()
}

/// The window as an iced program (also what the end-to-end scripts run).
pub fn application(
    paths: Paths,
    options: Options,
) -> iced::Application<impl iced::Program<State = App, Message = Message, Theme = Theme>> {
    iced::application(
        move || App::boot(paths.clone(), options.clone()),
        App::update,
        App::view,
    )
    .title(App::title)
    .font(theme::FONT_REGULAR)
    .font(theme::FONT_BOLD_BYTES)
    .default_font(theme::FONT)
    .subscription(App::subscription)
    .theme(|app: &App| app.theme.clone())
    .scale_factor(|app: &App| app.zoom as f32 / 100.0)
    .window(window::Settings {
        // Fits a 1366×768 office screen; a window manager opens it maximised.
        size: iced::Size::new(1240.0, 720.0),
        min_size: Some(iced::Size::new(960.0, 600.0)),
        maximized: true,
        icon: window_icon(),
        // Wayland and X11 group the window by this id (the .desktop file's name).
        #[cfg(target_os = "linux")]
        platform_specific: window::settings::PlatformSpecific {
            application_id: "motcua".into(),
            ..Default::default()
        },
        ..Default::default()
    })
}

/// The app's icon (64 px) for the window's title bar and the taskbar, decoded from the
/// PNG the Linux package installs.
fn window_icon() -> Option<window::Icon> {
    let png = include_bytes!("../../packaging/linux/icons/motcua-64.png");
    let mut reader = png::Decoder::new(std::io::Cursor::new(&png[..]))
        .read_info()
        .ok()?;
    let mut rgba = vec![0; reader.output_buffer_size()?];
    let frame = reader.next_frame(&mut rgba).ok()?;
    if frame.color_type != png::ColorType::Rgba || frame.bit_depth != png::BitDepth::Eight {
        return None;
    }
    rgba.truncate(frame.buffer_size());
    window::icon::from_rgba(rgba, frame.width, frame.height).ok()
}

/// Where the window is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading the station.
    Loading,
    /// No station yet: the wizard.
    Setup,
    Login,
    /// Locked for the signed-in clerk; the draft stays.
    Locked,
    Main,
}

/// What the window learns at start.
#[derive(Debug, Clone)]
pub struct Boot {
    pub station: StationInfo,
    pub settings: Settings,
    /// Whether the station has an account anyone can sign in with: a first-run setup cut
    /// short (a power cut after the station was recorded) has none, and goes back to the
    /// wizard, which finishes it.
    pub has_accounts: bool,
}

/// What the window reads of the station at start (or once an encrypted register is open).
fn read_boot(c: &mut motcua_app::Counter) -> Result<Box<Boot>, AppError> {
    Ok(Box::new(Boot {
        station: c.station()?,
        settings: c.settings()?,
        has_accounts: c.users()?.iter().any(|u| u.active),
    }))
}

/// A key press or click anywhere in the window.
#[derive(Debug, Clone)]
pub enum Input {
    Key {
        key: Key,
        modifiers: Modifiers,
        /// A field already used it (typed it, or Enter submitted it).
        captured: bool,
    },
    Pointer,
}

/// The root's messages.
#[derive(Debug, Clone)]
pub enum Message {
    /// The station was read (or there is none: `NotSetUp`).
    Booted(Result<Box<Boot>, AppError>),
    Setup(setup::Message),
    Login(login::Message),
    Receive(receive::Message),
    Register(register::Message),
    Returns(returns::Message),
    SyncScreen(sync::Message),
    Settings(settings::Message),
    Reports(report::Message),
    Access(access::Message),
    /// A dossier asked for from the register was read.
    Opened(Box<Result<motcua_app::register::Detail, AppError>>),
    /// The station's settings were read again (after one changed).
    SettingsApplied(Result<Box<Settings>, AppError>),
    /// A key or click, seen by the window (shortcuts, idle lock).
    Input(Input),
    /// A tab clicked.
    Tab(Tab),
    /// The clock moved on.
    Tick,
    /// The background sync loop reported.
    Sync(background::Event),
    SetUpDone(Result<SetupReport, AppError>),
    SignedIn(Result<User, AppError>),
    /// An encrypted register was opened by a sign-in, and the station read.
    Unlocked(Result<(User, Box<Boot>), AppError>),
    StatusLoaded(Result<(u64, SyncState), AppError>),
    /// A setting was stored (zoom, contrast).
    Stored(Result<String, AppError>),
    /// The first frame was drawn (start-up figure).
    FirstFrame,
    /// The access log's gathered search was written (or kept for the next try).
    AccessSettled(Result<(), AppError>),
}

/// Timings for benchmarks, printed to stderr when enabled (never personal data).
#[derive(Debug, Default)]
struct Trace {
    enabled: bool,
    first_frame: bool,
    search: Option<Instant>,
    save: Option<Instant>,
    login: Option<Instant>,
    list: Option<Instant>,
    scroll: Option<Instant>,
    open: Option<Instant>,
}

impl Trace {
    fn done(&self, what: &str, since: Option<Instant>) {
        if let (true, Some(t)) = (self.enabled, since) {
            eprintln!("trace {what}_ms={:.2}", t.elapsed().as_secs_f64() * 1000.0);
        }
    }
}

/// The window's state.
pub struct App {
    paths: Paths,
    worker: Worker,
    options: Options,
    phase: Phase,
    station: Option<StationInfo>,
    user: Option<User>,
    tab: Tab,
    setup: setup::Setup,
    login: login::Login,
    receive: receive::Receive,
    register: register::Register,
    returns: returns::Returns,
    sync_screen: sync::Sync,
    settings_screen: settings::Settings,
    reports: report::Reports,
    access_log: access::AccessLog,
    status: Status,
    boot_error: Option<String>,
    /// The register is encrypted and no key is open yet: the sign-in opens it.
    register_locked: bool,
    zoom: u32,
    high_contrast: bool,
    theme: Theme,
    lock_after: chrono::Duration,
    /// The last key or click, on the counter's clock (idle lock).
    last_input: NaiveDateTime,
    trace: Trace,
}

impl App {
    /// The window for the station in `paths`; the station is read on the worker.
    pub fn boot(paths: Paths, options: Options) -> (App, Task<Message>) {
        let worker = Worker::start(paths.clone(), options.env.clone(), options.jobs.clone());
        let started = options.env.clock.now().naive_local();
        let read = worker.call(read_boot);
        let app = App {
            paths,
            worker,
            trace: Trace {
                enabled: options.trace,
                ..Trace::default()
            },
            options,
            phase: Phase::Loading,
            station: None,
            user: None,
            tab: Tab::Receive,
            setup: setup::Setup::default(),
            login: login::Login::new(String::new()),
            receive: receive::Receive::default(),
            register: register::Register::default(),
            returns: returns::Returns::default(),
            sync_screen: sync::Sync::default(),
            settings_screen: settings::Settings::default(),
            reports: report::Reports::default(),
            access_log: access::AccessLog::default(),
            status: Status::default(),
            boot_error: None,
            register_locked: false,
            zoom: 100,
            high_contrast: false,
            theme: theme::theme(false),
            lock_after: chrono::Duration::minutes(10),
            last_input: started,
        };
        (app, Task::perform(read, Message::Booted))
    }

    /// The window title.
    pub fn title(&self) -> String {
        match &self.station {
            Some(s) => format!("{} — {}", T::WindowTitle.vi(), s.agency_name),
            None => T::WindowTitle.vi().to_string(),
        }
    }

    /// Dispatches one message.
    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Booted(r) => self.booted(r),
            Message::Setup(m) => self.on_setup(m),
            Message::Login(m) => self.on_login(m),
            Message::Receive(m) => self.on_receive(m),
            Message::Register(m) => self.on_register(m),
            Message::Returns(m) => self.on_returns(m),
            Message::SyncScreen(m) => self.on_sync_screen(m),
            Message::Settings(m) => self.on_settings(m),
            Message::Reports(m) => self.on_reports(m),
            Message::Access(m) => self.on_access(m),
            Message::Opened(r) => {
                let started = self.trace.open.take();
                self.trace.done("open", started);
                self.register.opened(*r);
                Task::none()
            }
            Message::SettingsApplied(r) => {
                if let Ok(s) = r {
                    self.apply_settings(&s);
                }
                Task::none()
            }
            Message::Input(i) => self.input(i),
            Message::Tab(t) => self.show(t),
            Message::Tick => self.tick(),
            Message::Sync(e) => self.synced(e),
            Message::SetUpDone(r) => self.set_up_done(r),
            Message::SignedIn(r) => self.signed_in(r),
            Message::Unlocked(r) => self.unlocked(r),
            Message::StatusLoaded(r) => {
                if let Ok((today, sync)) = r {
                    self.status.today = Some(today);
                    self.status.sync = Some(sync);
                }
                Task::none()
            }
            Message::Stored(r) => {
                if let Err(e) = r {
                    // A preference not kept is not worth a banner; say it where IT looks.
                    eprintln!("motcua: không lưu được thiết lập: {}", e.log_line());
                }
                Task::none()
            }
            Message::AccessSettled(r) => {
                if let Err(e) = r {
                    // Kept in memory and tried again at the next tick; said where IT looks.
                    eprintln!("motcua: {}", e.log_line());
                }
                Task::none()
            }
            Message::FirstFrame => {
                if !self.trace.first_frame {
                    self.trace.first_frame = true;
                    self.trace.done("first_frame", STARTED.get().copied());
                }
                Task::none()
            }
        }
    }

    fn now(&self) -> NaiveDateTime {
        self.options.env.clock.now().naive_local()
    }

    fn apply_settings(&mut self, s: &Settings) {
        self.zoom = s.text_scale.clamp(theme::zoom::MIN, theme::zoom::MAX);
        self.high_contrast = s.high_contrast;
        self.theme = theme::theme(s.high_contrast);
        self.lock_after = chrono::Duration::minutes(i64::from(s.lock_minutes.max(1)));
    }

    fn booted(&mut self, r: Result<Box<Boot>, AppError>) -> Task<Message> {
        match r {
            Ok(boot) if !boot.has_accounts => {
                self.apply_settings(&boot.settings);
                self.phase = Phase::Setup;
                setup::Setup::focus().map(Message::Setup)
            }
            Ok(boot) => {
                self.apply_settings(&boot.settings);
                self.login.subtitle =
                    i18n::station_line(&boot.station.agency_name, boot.station.station_no.get());
                self.station = Some(boot.station);
                self.phase = Phase::Login;
                self.login.focus().map(Message::Login)
            }
            Err(AppError::NotSetUp(_)) => {
                self.phase = Phase::Setup;
                setup::Setup::focus().map(Message::Setup)
            }
            Err(e) if e.is_locked() => self.register_is_locked(),
            Err(e) => {
                self.boot_error = Some(e.to_string());
                Task::none()
            }
        }
    }

    fn on_setup(&mut self, m: setup::Message) -> Task<Message> {
        let (task, action) = self.setup.update(m);
        let task = task.map(Message::Setup);
        match action {
            Some(setup::Action::SetUp(station, admin)) => Task::batch([
                task,
                Task::perform(self.worker.set_up(station, admin), Message::SetUpDone),
            ]),
            None => task,
        }
    }

    fn set_up_done(&mut self, r: Result<SetupReport, AppError>) -> Task<Message> {
        match r {
            Ok(report) => {
                let st = &report.station;
                self.login.subtitle = i18n::station_line(&st.agency_name, st.station_no.get());
                self.login.notice = Some(i18n::set_up(&st.agency_name, st.station_no.get()));
                self.station = Some(report.station);
                self.phase = Phase::Login;
                self.login.focus().map(Message::Login)
            }
            Err(e) => self.setup.failed(&e).map(Message::Setup),
        }
    }

    fn on_login(&mut self, m: login::Message) -> Task<Message> {
        let (task, action) = self.login.update(m);
        let task = task.map(Message::Login);
        match action {
            Some(login::Action::SignIn { username, password }) if self.register_locked => {
                Task::batch([task, self.open_register(username, password)])
            }
            Some(login::Action::SignIn { username, password }) => {
                self.trace.login = Some(Instant::now());
                let check = self.worker.call(move |c| c.login(&username, &password));
                Task::batch([task, Task::perform(check, Message::SignedIn)])
            }
            None => task,
        }
    }

    fn signed_in(&mut self, r: Result<User, AppError>) -> Task<Message> {
        let started = self.trace.login.take();
        self.trace.done("login", started);
        match r {
            Ok(user) => {
                self.status.clerk = Some(user.full_name.clone());
                self.user = Some(user);
                self.login.reset();
                self.phase = Phase::Main;
                self.last_input = self.now();
                self.receive.today = Some(self.now().date());
                self.status.now = Some(self.now());
                Task::batch([
                    self.focus_tab(),
                    self.refresh_status(),
                    self.preview_again(),
                ])
            }
            Err(e) => self.login.failed(&e).map(Message::Login),
        }
    }

    fn refresh_status(&self) -> Task<Message> {
        Task::perform(
            self.worker
                .call(|c| Ok((c.received_today()?, c.sync_state()?))),
            Message::StatusLoaded,
        )
    }

    fn preview_again(&mut self) -> Task<Message> {
        match self.receive.preview_again() {
            Some(a) => self.receive_action(a),
            None => Task::none(),
        }
    }

    fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Admin)
    }

    /// An admin or the office head: the reports and the access log.
    fn may_review(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| matches!(u.role, Role::Admin | Role::Head))
    }

    /// Shows the current tab: its focus, and what it reads afresh.
    fn focus_tab(&mut self) -> Task<Message> {
        match self.tab {
            Tab::Receive => {
                let load = match self.receive.start() {
                    Some(a) => self.receive_action(a),
                    None => Task::none(),
                };
                Task::batch([receive::Receive::focus().map(Message::Receive), load])
            }
            Tab::Register => {
                self.register.today = Some(self.now().date());
                let step = self.register.show();
                self.register_step(step)
            }
            Tab::Returns => {
                let (task, action) = self.returns.show();
                self.returns_step(task, action)
            }
            Tab::Sync => {
                let (task, action) = self.sync_screen.show();
                self.sync_step(task, action)
            }
            Tab::Settings if self.is_admin() => {
                let (task, action) = self.settings_screen.show();
                self.settings_step(task, action)
            }
            Tab::Settings => Task::none(),
            Tab::Reports if self.may_review() => {
                let step = self.reports.show();
                self.reports_step(step)
            }
            Tab::Reports => Task::none(),
            Tab::Access if self.may_review() => {
                let step = self.access_log.show();
                self.access_step(step)
            }
            Tab::Access => Task::none(),
        }
    }

    fn show(&mut self, tab: Tab) -> Task<Message> {
        if self.phase != Phase::Main {
            return Task::none();
        }
        self.tab = tab;
        self.focus_tab()
    }

    fn username(&self) -> String {
        self.user
            .as_ref()
            .map(|u| u.username.clone())
            .unwrap_or_default()
    }

    fn lock(&mut self) -> Task<Message> {
        let Some(user) = &self.user else {
            return Task::none();
        };
        if self.phase != Phase::Main {
            return Task::none();
        }
        self.phase = Phase::Locked;
        let (username, name) = (user.username.clone(), user.full_name.clone());
        self.login.lock(username, name).map(Message::Login)
    }

    fn tick(&mut self) -> Task<Message> {
        let now = self.now();
        let minute = now.format("%Y%m%d%H%M").to_string();
        let changed = self
            .status
            .now
            .is_none_or(|t| t.format("%Y%m%d%H%M").to_string() != minute);
        if self.phase == Phase::Main && now - self.last_input >= self.lock_after {
            let settle = self.settle_access();
            return Task::batch([settle, self.lock()]);
        }
        if self.user.is_none() {
            return Task::none();
        }
        let settle = self.settle_access();
        if !changed {
            return settle;
        }
        self.status.now = Some(now);
        self.receive.today = Some(now.date());
        let register = match (self.tab, self.register.refresh()) {
            (Tab::Register, Some(a)) => self.register_action(a),
            _ => Task::none(),
        };
        Task::batch([
            settle,
            self.refresh_status(),
            self.preview_again(),
            register,
        ])
    }

    /// Writes the search the access log gathered, once it has settled (`access.rs`); a
    /// failure goes to stderr and the search is tried again at the next tick.
    fn settle_access(&self) -> Task<Message> {
        Task::perform(
            self.worker.call(|c| c.settle_access()),
            Message::AccessSettled,
        )
    }

    fn synced(&mut self, e: background::Event) -> Task<Message> {
        match e {
            background::Event::Round { stopped } => {
                self.status.sync_problem = None;
                for code in stopped {
                    if !self.status.stop_notices.contains(&code) {
                        self.status.stop_notices.push(code);
                    }
                }
                if self.station.is_some() && self.user.is_some() {
                    return self.refresh_status();
                }
                Task::none()
            }
            background::Event::NotEnrolled => {
                self.status.sync_problem = None;
                if self.station.is_some() && self.user.is_some() {
                    return self.refresh_status();
                }
                Task::none()
            }
            background::Event::Stopped(e) => {
                self.status.sync_problem = Some(i18n::sync_stopped(&e.to_string()));
                Task::none()
            }
        }
    }

    fn store_setting(&self, key: Setting, value: String) -> Task<Message> {
        if self.station.is_none() {
            return Task::none();
        }
        Task::perform(
            self.worker.call(move |c| c.set_preference(key, &value)),
            Message::Stored,
        )
    }

    fn zoom_by(&mut self, step: i64) -> Task<Message> {
        let z = if step == 0 {
            100
        } else {
            (i64::from(self.zoom) + step * i64::from(theme::zoom::STEP))
                .clamp(i64::from(theme::zoom::MIN), i64::from(theme::zoom::MAX)) as u32
        };
        self.zoom = z;
        self.store_setting(Setting::TextScale, z.to_string())
    }

    fn toggle_contrast(&mut self) -> Task<Message> {
        self.high_contrast = !self.high_contrast;
        self.theme = theme::theme(self.high_contrast);
        let v = if self.high_contrast { "on" } else { "off" };
        self.store_setting(Setting::HighContrast, v.to_string())
    }

    /// What the window listens to.
    pub fn subscription(&self) -> Subscription<Message> {
        let mut subs = vec![
            event::listen_with(|event, status, _window| match event {
                Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. }) => {
                    Some(Message::Input(Input::Key {
                        key,
                        modifiers,
                        captured: status == event::Status::Captured,
                    }))
                }
                Event::Mouse(mouse::Event::ButtonPressed(_)) => {
                    Some(Message::Input(Input::Pointer))
                }
                _ => None,
            }),
            iced::time::every(TICK).map(|_| Message::Tick),
        ];
        if self.options.background_sync && self.station.is_some() {
            subs.push(background::subscription(self.paths.clone()).map(Message::Sync));
        }
        if self.trace.enabled && !self.trace.first_frame {
            subs.push(window::frames().map(|_| Message::FirstFrame));
        }
        Subscription::batch(subs)
    }

    /// The window.
    pub fn view(&self) -> Element<'_, Message> {
        let body: Element<'_, Message> = if let Some(e) = &self.boot_error {
            container(widgets::error_text(e.as_str()))
                .center(Length::Fill)
                .into()
        } else {
            match self.phase {
                Phase::Loading => container(text(T::Loading.vi())).center(Length::Fill).into(),
                Phase::Setup => self.setup.view().map(Message::Setup),
                Phase::Login | Phase::Locked => self.login.view().map(Message::Login),
                Phase::Main => self.main_view(),
            }
        };
        let page = column![container(body).height(Length::Fill), self.status.view()];
        // The page background is the theme's, cleared by the renderer itself: a styled
        // container as large as the window would be painted again on every redraw.
        guard::ctrl_guard(container(page).width(Length::Fill).height(Length::Fill)).into()
    }

    fn main_view(&self) -> Element<'_, Message> {
        let admin = self.is_admin();
        let review = self.may_review();
        let tabs = Tab::ALL
            .into_iter()
            .fold(row![].spacing(theme::space::XS), |r, t| {
                r.push(
                    button(text(t.title()).size(theme::size::BODY))
                        .padding([theme::space::XS, theme::space::M])
                        .style(theme::tab(t == self.tab))
                        .on_press(Message::Tab(t)),
                )
            });
        let body = match self.tab {
            Tab::Receive => self.receive.view().map(Message::Receive),
            Tab::Register => self.register.view().map(Message::Register),
            Tab::Returns => self.returns.view().map(Message::Returns),
            Tab::Sync => self.sync_screen.view().map(Message::SyncScreen),
            Tab::Settings if admin => self.settings_screen.view().map(Message::Settings),
            Tab::Settings => soon::view(Tab::Settings.title(), true),
            Tab::Reports if review => self.reports.view().map(Message::Reports),
            Tab::Reports => soon::page(Tab::Reports.title(), T::ReportsAdminOnly.vi()),
            Tab::Access if review => self.access_log.view().map(Message::Access),
            Tab::Access => soon::page(Tab::Access.title(), T::AccessAdminOnly.vi()),
        };
        let header = row![
            tabs,
            iced::widget::space::horizontal(),
            widgets::caption(T::Shortcuts.vi())
        ]
        .align_y(iced::Alignment::Center);
        column![
            container(header)
                .padding([theme::space::S, theme::space::L])
                .width(Length::Fill),
            body
        ]
        .into()
    }
}

/// Refuses a register job of a generation the clerk has already typed past (its answer
/// would be dropped anyway).
fn stale(latest: &std::sync::atomic::AtomicU64, generation: u64) -> Result<(), AppError> {
    if latest.load(std::sync::atomic::Ordering::Relaxed) == generation {
        Ok(())
    } else {
        Err(AppError::Superseded)
    }
}

/// The window prints to the configured printer, else the system default, else opens the
/// PDF in the viewer.
fn viewer_fallback() -> PrintRequest {
    PrintRequest {
        viewer_fallback: true,
        ..PrintRequest::default()
    }
}
