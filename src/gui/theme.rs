//! The window's one design system: spacing scale, text roles, colours and widget styles.
//! Views take every size and colour from here; there are no magic numbers in views.

use iced::widget::{button, container, text_input};
use iced::{Background, Border, Color, Font, Theme, font};

/// The bundled UI typeface (Be Vietnam Pro, SIL OFL 1.1, full Vietnamese coverage).
pub const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/ui/BeVietnamPro-Regular.ttf");
/// Its bold face.
pub const FONT_BOLD_BYTES: &[u8] = include_bytes!("../../assets/fonts/ui/BeVietnamPro-Bold.ttf");
/// The family name inside the font files.
pub const FONT: Font = Font::with_name("Be Vietnam Pro");
/// Bold text (headings, the dossier code).
pub const BOLD: Font = Font {
    weight: font::Weight::Bold,
    ..FONT
};

/// Spacing scale, in logical pixels.
pub mod space {
    pub const XS: f32 = 4.0;
    pub const S: f32 = 8.0;
    pub const M: f32 = 12.0;
    pub const L: f32 = 20.0;
    pub const XL: f32 = 32.0;
}

/// Text roles, in logical pixels (the whole window is then scaled by the clerk's zoom).
pub mod size {
    pub const SMALL: f32 = 13.0;
    pub const BODY: f32 = 15.0;
    pub const LABEL: f32 = 13.0;
    pub const HEADING: f32 = 18.0;
    pub const TITLE: f32 = 24.0;
    /// The dossier code and lookup secret the clerk reads out.
    pub const CODE: f32 = 26.0;
}

/// Widths of fixed parts of the layout.
pub mod width {
    pub const NARROW_FIELD: f32 = 140.0;
    /// A document's "số bản" field in the Receive checklist.
    pub const COUNT_FIELD: f32 = NARROW_FIELD / 2.0;
    pub const LOGIN_BOX: f32 = 420.0;
    pub const WIZARD_BOX: f32 = 640.0;
    /// A form of a few fields on a page of its own (enrolling the station on F4).
    pub const FORM_BOX: f32 = 620.0;
    /// The labels of a list of labels and values (the sync state on F4).
    pub const LABEL_COLUMN: f32 = 230.0;
    /// The rule between the columns of a screen.
    pub const RULE: f32 = 1.0;
}

/// Heights of fixed parts of the layout.
pub mod height {
    /// One row of the register's list: fixed, the list is built only where it shows by it.
    pub const REGISTER_ROW: f32 = 30.0;
    /// The register's list before its first viewport is known.
    pub const REGISTER_FIRST_VIEW: f32 = 480.0;
    /// The on-time chart of the reports screen (F6).
    pub const CHART: f32 = 170.0;
}

/// Shares of a row's width (or a column's height) that its parts take, as
/// `Length::FillPortion`.
pub mod share {
    /// The Receive screen's three columns, and the checklist's share of the third.
    pub mod receive {
        pub const APPLICANT: u16 = 3;
        pub const DETAILS: u16 = 3;
        pub const OUTCOME: u16 = 4;
        pub const CHECKLIST: u16 = 3;
    }

    /// The register's columns (its header and its rows), and its search field beside
    /// the three short filters.
    pub mod register {
        pub const CODE: u16 = 8;
        pub const RECEIVED: u16 = 5;
        pub const APPLICANT: u16 = 6;
        /// The masked ID number, whole (`038*******45`).
        pub const ID_NUMBER: u16 = 4;
        pub const PROCEDURE: u16 = 5;
        pub const STATUS: u16 = 5;
        pub const DUE: u16 = 5;
        pub const SEARCH: u16 = 4;
        pub const FILTER: u16 = 1;
    }

    /// The reports screen (F6): its figures beside the busiest procedures, and the
    /// columns of its overdue list.
    pub mod overdue {
        pub const FIGURES: u16 = 3;
        pub const BUSIEST: u16 = 2;
        pub const CODE: u16 = 3;
        pub const PROCEDURE: u16 = 5;
        pub const DUE: u16 = 3;
        pub const LATE: u16 = 2;
        pub const CLERK: u16 = 2;
    }

    /// The columns of the dossiers waiting to be handed back (F3).
    pub mod returns {
        pub const CODE: u16 = 3;
        pub const RECEIVED: u16 = 2;
        pub const APPLICANT: u16 = 3;
        pub const ID_NUMBER: u16 = 2;
        pub const PROCEDURE: u16 = 3;
    }

    /// The access log (F7).
    pub mod access {
        pub const AT: u16 = 3;
        pub const CLERK: u16 = 2;
        pub const WHAT: u16 = 12;
    }
}

/// Zoom steps for Ctrl+= / Ctrl+- (percent of the normal size).
pub mod zoom {
    pub const MIN: u32 = 60;
    pub const MAX: u32 = 200;
    pub const STEP: u32 = 10;
}

/// Colours with a meaning; the high-contrast theme has its own set.
#[derive(Debug, Clone, Copy)]
pub struct Colors {
    pub background: Color,
    pub surface: Color,
    pub text: Color,
    pub muted: Color,
    pub accent: Color,
    /// The focus ring of the field being typed in.
    pub focus: Color,
    pub error: Color,
    pub overdue: Color,
    pub due_soon: Color,
    pub ok: Color,
    pub pending: Color,
    pub quarantined: Color,
}

const fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color::from_rgb8(r, g, b)
}

/// The everyday palette.
pub const NORMAL: Colors = Colors {
    background: rgb(0xF6, 0xF7, 0xF9),
    surface: rgb(0xFF, 0xFF, 0xFF),
    text: rgb(0x1B, 0x1F, 0x24),
    muted: rgb(0x55, 0x5E, 0x69),
    accent: rgb(0x0B, 0x57, 0xA4),
    focus: rgb(0xE0, 0x8A, 0x00),
    error: rgb(0xB3, 0x1B, 0x1B),
    overdue: rgb(0xB3, 0x1B, 0x1B),
    due_soon: rgb(0xA8, 0x5E, 0x00),
    ok: rgb(0x1E, 0x7B, 0x34),
    pending: rgb(0x0B, 0x57, 0xA4),
    quarantined: rgb(0xB3, 0x1B, 0x1B),
};

/// High contrast: white on black, yellow focus.
pub const HIGH_CONTRAST: Colors = Colors {
    background: rgb(0x00, 0x00, 0x00),
    surface: rgb(0x10, 0x10, 0x10),
    text: rgb(0xFF, 0xFF, 0xFF),
    muted: rgb(0xE0, 0xE0, 0xE0),
    accent: rgb(0x5C, 0xC8, 0xFF),
    focus: rgb(0xFF, 0xE6, 0x00),
    error: rgb(0xFF, 0x6B, 0x6B),
    overdue: rgb(0xFF, 0x6B, 0x6B),
    due_soon: rgb(0xFF, 0xC1, 0x4D),
    ok: rgb(0x6B, 0xFF, 0x8E),
    pending: rgb(0x5C, 0xC8, 0xFF),
    quarantined: rgb(0xFF, 0x6B, 0x6B),
};

/// The palette of a theme built by [`theme`].
pub fn colors(theme: &Theme) -> Colors {
    if theme.palette().background == HIGH_CONTRAST.background {
        HIGH_CONTRAST
    } else {
        NORMAL
    }
}

/// The iced theme for the chosen palette.
pub fn theme(high_contrast: bool) -> Theme {
    let c = if high_contrast { HIGH_CONTRAST } else { NORMAL };
    Theme::custom(
        if high_contrast {
            "motcua tương phản cao"
        } else {
            "motcua"
        },
        iced::theme::Palette {
            background: c.background,
            text: c.text,
            primary: c.accent,
            success: c.ok,
            warning: c.due_soon,
            danger: c.error,
        },
    )
}

/// A text field: a thick focus ring (the clerk must always see where she types), a red
/// border when the field was refused.
pub fn input(invalid: bool) -> impl Fn(&Theme, text_input::Status) -> text_input::Style {
    move |theme, status| {
        let c = colors(theme);
        let mut style = text_input::default(theme, status);
        style.background = Background::Color(c.surface);
        style.value = c.text;
        style.placeholder = c.muted;
        style.border = match status {
            text_input::Status::Focused { .. } => Border {
                width: 3.0,
                color: c.focus,
                radius: 3.0.into(),
            },
            _ if invalid => Border {
                width: 2.0,
                color: c.error,
                radius: 3.0.into(),
            },
            _ => Border {
                width: 1.0,
                color: c.muted,
                radius: 3.0.into(),
            },
        };
        style
    }
}

/// A panel on the page background.
pub fn panel(theme: &Theme) -> container::Style {
    let c = colors(theme);
    container::Style {
        background: Some(Background::Color(c.surface)),
        border: Border {
            width: 1.0,
            color: c.muted.scale_alpha(0.35),
            radius: 4.0.into(),
        },
        text_color: Some(c.text),
        ..container::Style::default()
    }
}

/// The banner that shows the last dossier saved (code read out to the citizen).
pub fn saved_banner(theme: &Theme) -> container::Style {
    let c = colors(theme);
    container::Style {
        background: Some(Background::Color(c.ok.scale_alpha(0.12))),
        border: Border {
            width: 2.0,
            color: c.ok,
            radius: 4.0.into(),
        },
        text_color: Some(c.text),
        ..container::Style::default()
    }
}

/// A banner for a failure that is not about one field.
pub fn error_banner(theme: &Theme) -> container::Style {
    let c = colors(theme);
    container::Style {
        background: Some(Background::Color(c.error.scale_alpha(0.12))),
        border: Border {
            width: 2.0,
            color: c.error,
            radius: 4.0.into(),
        },
        text_color: Some(c.text),
        ..container::Style::default()
    }
}

/// The status bar at the bottom.
pub fn status_bar(theme: &Theme) -> container::Style {
    let c = colors(theme);
    container::Style {
        background: Some(Background::Color(c.surface)),
        border: Border {
            width: 1.0,
            color: c.muted.scale_alpha(0.5),
            radius: 0.0.into(),
        },
        text_color: Some(c.text),
        ..container::Style::default()
    }
}

/// The highlighted row of a list (the procedure suggestion Enter would take).
pub fn selected_row(theme: &Theme) -> container::Style {
    let c = colors(theme);
    container::Style {
        background: Some(Background::Color(c.accent)),
        text_color: Some(c.surface),
        ..container::Style::default()
    }
}

/// The main action of a screen.
pub fn primary_button(theme: &Theme, status: button::Status) -> button::Style {
    button::primary(theme, status)
}

/// Other actions.
pub fn secondary_button(theme: &Theme, status: button::Status) -> button::Style {
    button::secondary(theme, status)
}

/// The tab of the screen being shown.
pub fn tab(active: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |theme, status| {
        if active {
            button::primary(theme, status)
        } else {
            button::text(theme, status)
        }
    }
}
