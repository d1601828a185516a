//! Window tests: the real program in iced_test's headless emulator (boot tasks, worker
//! results, subscriptions and widget operations such as focus all run) on a temporary
//! data directory with the real application layer, a fixed clock and a recording printer.
//! Typing goes through the emulator as key events into whatever field has focus, so a
//! test that types into the wrong field fails. What is on screen is checked with
//! iced_test's simulator over the current view, with the app's own font.

mod at_rest;
mod following;
mod privacy;
mod receiving;
mod reporting;
mod typing;

use super::worker::Jobs;
use super::*;
use iced::futures::channel::mpsc;
use iced_test::{Emulator, Instruction, emulator};
use motcua_app::clock::FixedClock;
use motcua_app::print::{Recorded, RecordingPrinter};
use motcua_app::{AccountForm, Counter, StationForm};
use std::sync::Arc;

pub const NOW: &str = "2026-11-25T09:30:00+07:00";
const SIZE: iced::Size = iced::Size::new(1240.0, 800.0);
/// The longest a test waits for the window to settle.
const DEADLINE: Duration = Duration::from_secs(30);

fn settings() -> iced::Settings {
    iced::Settings {
        fonts: vec![theme::FONT_REGULAR.into(), theme::FONT_BOLD_BYTES.into()],
        default_font: theme::FONT,
        ..iced::Settings::default()
    }
}

/// A station set up on a temporary data directory, with admin `lan`.
struct Station {
    dir: tempfile::TempDir,
    paths: Paths,
    clock: Arc<FixedClock>,
    printer: Arc<RecordingPrinter>,
}

impl Station {
    fn empty() -> Station {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path().join("data"));
        Station {
            dir,
            paths,
            clock: Arc::new(FixedClock::parse(NOW)),
            printer: Arc::new(RecordingPrinter::with_printers(&["PDF"])),
        }
    }

    fn new() -> Station {
        let s = Station::empty();
        s.set_up_in(&s.paths);
        s
    }

    /// A station set up with the real commune catalogue `motcua init` ships.
    fn real_catalogue() -> Station {
        let s = Station::empty();
        s.set_up_with(&s.paths, None);
        s
    }

    fn set_up_in(&self, paths: &Paths) {
        self.set_up_with(
            paths,
            Some(&motcua_app::catalog::builtin_2025_07().unwrap()),
        );
    }

    fn set_up_with(&self, paths: &Paths, catalog: Option<&motcua_core::catalog::Catalog>) {
        Counter::set_up_with(
            paths.clone(),
            self.env(),
            &StationForm {
                agency_id: "000.17.22.H56".into(),
                agency_name: "UBND xã Tân Lập".into(),
                parent_name: Some("UBND tỉnh Thanh Hóa".into()),
                station_no: 1,
            },
            Some(&AccountForm {
                username: "lan".into(),
                full_name: "Trần Thị Lan".into(),
                role: Role::Admin,
                password: "mật khẩu dài".into(),
                confirm: None,
            }),
            catalog,
        )
        .unwrap();
    }

    fn env(&self) -> Env {
        Env {
            clock: self.clock.clone(),
            printer: self.printer.clone(),
        }
    }

    fn counter(&self) -> Counter {
        Counter::open(self.paths.clone(), self.env()).unwrap()
    }

    /// Receives a dossier of Xác nhận tình trạng hôn nhân (1.004873, 3 working days) for
    /// `name` by `lan`, with its form alone, the applicant's ID number if given, received
    /// at `at` if given (else now); its code.
    fn receive_marriage_status(
        &self,
        name: &str,
        id_number: Option<&str>,
        at: Option<chrono::NaiveDateTime>,
    ) -> String {
        self.receive_marriage_input(marriage_input(name, id_number), at)
    }

    /// Receives `input` as a dossier of 1.004873 by `lan`; its code.
    fn receive_marriage_input(
        &self,
        input: motcua_core::dossier::DossierInput,
        at: Option<chrono::NaiveDateTime>,
    ) -> String {
        self.counter()
            .receive(&motcua_app::ReceiveForm {
                request_id: None,
                clerk: "lan".into(),
                procedure: "1.004873".into(),
                input,
                received_at: at,
            })
            .unwrap()
            .dossier
            .code
            .to_string()
    }

    fn open(
        &self,
    ) -> Window<impl iced::Program<State = App, Message = Message, Theme = Theme> + use<>> {
        let jobs = Jobs::default();
        Window::open(
            application(
                self.paths.clone(),
                Options {
                    env: self.env(),
                    background_sync: false,
                    trace: false,
                    jobs: jobs.clone(),
                },
            ),
            jobs,
        )
    }
}

/// What a marriage-status dossier of `name` holds: its form alone, the ID number if given.
fn marriage_input(name: &str, id_number: Option<&str>) -> motcua_core::dossier::DossierInput {
    use motcua_core::dossier::{DocumentInput, DocumentKind, DossierInput};
    DossierInput {
        applicant_name: name.into(),
        id_number: id_number.map(String::from),
        documents: vec![DocumentInput::new("Tờ khai", DocumentKind::Original, 1)],
        sets: 1,
        ..DossierInput::default()
    }
}

/// The program running in the emulator.
struct Window<P: iced::Program + 'static> {
    program: P,
    emulator: Emulator<P>,
    events: mpsc::Receiver<emulator::Event<P>>,
    /// The window's jobs under way.
    jobs: Jobs,
}

impl<P: iced::Program<State = App, Message = Message, Theme = Theme> + 'static> Window<P> {
    fn open(program: P, jobs: Jobs) -> Self {
        let (sender, events) = mpsc::channel(16);
        let emulator = Emulator::new(sender, &program, iced_test::emulator::Mode::Zen, SIZE);
        let mut w = Window {
            program,
            emulator,
            events,
            jobs,
        };
        w.wait_ready();
        w.settle();
        w
    }

    fn handle(&mut self, event: emulator::Event<P>) -> bool {
        match event {
            emulator::Event::Action(a) => {
                self.emulator.perform(&self.program, a);
                false
            }
            emulator::Event::Failed(i) => panic!("instruction failed: {i}"),
            emulator::Event::Ready => true,
        }
    }

    /// Until the emulator says the last instruction and its tasks are done.
    fn wait_ready(&mut self) {
        let start = Instant::now();
        loop {
            assert!(start.elapsed() < DEADLINE, "the window never got ready");
            match self.events.try_recv() {
                Ok(e) => {
                    if self.handle(e) {
                        return;
                    }
                }
                Err(mpsc::TryRecvError::Closed) => panic!("the emulator stopped"),
                Err(_) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    }

    /// Until no job of the window is under way and nothing has happened for a while
    /// (worker results arriving after an update, and the tasks they start).
    fn settle(&mut self) {
        let start = Instant::now();
        let mut quiet = Instant::now();
        loop {
            // A job's guard is dropped when its future completes, a moment before its
            // result reaches the window as a message: the quiet time counts from then.
            if self.jobs.in_flight() > 0 {
                quiet = Instant::now();
            } else if quiet.elapsed() >= Duration::from_millis(150) {
                break;
            }
            assert!(start.elapsed() < DEADLINE, "the window never settled");
            match self.events.try_recv() {
                Ok(e) => {
                    self.handle(e);
                    quiet = Instant::now();
                }
                Err(mpsc::TryRecvError::Closed) => panic!("the emulator stopped"),
                Err(_) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    }

    /// One instruction of the `.ice` language (`type "…"`, `type enter`, `click "…"`).
    fn ice(&mut self, line: &str) {
        let i = Instruction::parse(line).unwrap_or_else(|e| panic!("{line}: {e:?}"));
        self.emulator.run(&self.program, i);
        self.wait_ready();
        self.settle();
    }

    fn type_text(&mut self, s: &str) {
        self.ice(&format!("type {}", serde_json::to_string(s).unwrap()));
    }

    fn enter(&mut self) {
        self.ice("type enter");
    }

    /// A message as the window's own listeners would send it.
    fn send(&mut self, m: Message) {
        self.emulator.update(&self.program, m);
        self.settle();
    }

    /// A shortcut (Ctrl+`c`), as the window's key listener reports an unused key.
    fn ctrl(&mut self, c: &str) {
        self.send(Message::Input(Input::Key {
            key: Key::Character(c.into()),
            modifiers: Modifiers::CTRL,
            captured: false,
        }));
    }

    fn key(&mut self, named: Named) {
        self.press(Key::Named(named));
    }

    /// A key no field used, as the window's key listener reports it.
    fn press(&mut self, key: Key) {
        self.send(Message::Input(Input::Key {
            key,
            modifiers: Modifiers::empty(),
            captured: false,
        }));
    }

    /// Whether the window shows `text` (a text, or a field's value).
    fn shows(&self, text: &str) -> bool {
        let mut ui =
            iced_test::Simulator::with_size(settings(), SIZE, self.emulator.view(&self.program));
        ui.find(text).is_ok()
    }

    fn sign_in(&mut self) {
        self.type_text("lan");
        self.enter();
        self.type_text("mật khẩu dài");
        self.enter();
        assert!(self.shows("F1 Tiếp nhận"), "signed in");
    }

    fn state(self) -> App {
        self.emulator.into_state().0
    }
}

/// Types a procedure and takes it with Enter. Where the procedure goes straight to its
/// document marks, Enter once more passes them (none marked) to the applicant's name.
fn choose<P: iced::Program<State = App, Message = Message, Theme = Theme>>(
    w: &mut Window<P>,
    query: &str,
) {
    w.type_text(query);
    w.enter();
    let asks = [
        T::CaseField,
        T::TermChoiceField,
        T::TermField,
        T::AppointmentField,
    ]
    .iter()
    .any(|t| w.shows(t.vi()));
    if w.shows(T::MarksField.vi()) && !asks {
        w.enter();
    }
}
