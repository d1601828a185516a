//! The floor for the window's figures: iced's smallest useful window (one text field), built
//! with the same features, font and renderer as the counter window. `benches/window.sh`
//! measures it beside `motcua`. With `MOTCUA_TRACE=1` it prints the time from process
//! start to its first frame.

use iced::widget::{column, operation, text, text_input};
use iced::{Element, Font, Subscription, Task, window};
use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();
const FONT: Font = Font::with_name("Be Vietnam Pro");

#[derive(Default)]
struct Floor {
    value: String,
    drawn: bool,
}

#[derive(Debug, Clone)]
enum Message {
    Edited(String),
    Frame,
}

impl Floor {
    fn update(&mut self, m: Message) -> Task<Message> {
        match m {
            Message::Edited(v) => self.value = v,
            Message::Frame if !self.drawn => {
                self.drawn = true;
                if let Some(t) = STARTED.get()
                    && std::env::var_os("MOTCUA_TRACE").is_some()
                {
                    eprintln!(
                        "trace first_frame_ms={:.2}",
                        t.elapsed().as_secs_f64() * 1000.0
                    );
                }
            }
            Message::Frame => {}
        }
        Task::none()
    }

    fn view(&self) -> Element<'_, Message> {
        column![
            text("Tiếp nhận hồ sơ"),
            text_input("Họ và tên", &self.value)
                .id("name")
                .on_input(Message::Edited)
        ]
        .padding(20)
        .spacing(10)
        .into()
    }

    fn subscription(&self) -> Subscription<Message> {
        if self.drawn {
            Subscription::none()
        } else {
            window::frames().map(|_| Message::Frame)
        }
    }
}

fn main() -> iced::Result {
    STARTED.get_or_init(Instant::now);
    iced::application(
        || (Floor::default(), operation::focus("name")),
        Floor::update,
        Floor::view,
    )
    .font(include_bytes!("../assets/fonts/ui/BeVietnamPro-Regular.ttf").as_slice())
    .default_font(FONT)
    .subscription(Floor::subscription)
    .window(window::Settings {
        size: iced::Size::new(1240.0, 800.0),
        platform_specific: window::settings::PlatformSpecific {
            application_id: "motcua-floor".into(),
            ..Default::default()
        },
        ..Default::default()
    })
    .run()
}
