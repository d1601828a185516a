//! A private X server (Xvfb) and a window on it driven with xdotool: the real-window tests
//! of the Linux build and of the Windows build under Wine.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A private X server on a free display number, stopped when dropped.
pub struct Xvfb {
    child: Child,
    pub display: String,
}

/// One X server at a time: two started together may race for a display number.
pub static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Xvfb {
    pub fn start() -> Xvfb {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let display = format!(":{}", line.trim());
        Xvfb { child, display }
    }
}

impl Xvfb {
    /// The X server's windows as `xwininfo -root -tree` lists them (for a failure's
    /// message).
    pub fn windows(&self) -> String {
        match Command::new("xwininfo")
            .args(["-root", "-tree"])
            .env("DISPLAY", &self.display)
            .output()
        {
            Ok(o) => format!(
                "windows on {}:\n{}",
                self.display,
                String::from_utf8_lossy(&o.stdout)
            ),
            Err(e) => format!("xwininfo: {e}"),
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The keyboard and the screen of one window, found by its X class.
pub struct Keys<'x> {
    pub x: &'x Xvfb,
    pub id: String,
    shots: PathBuf,
}

impl<'x> Keys<'x> {
    /// Waits (up to a minute) for a mapped window of class `class` on `x` and gives it the
    /// focus; screenshots go to `shots`.
    pub fn focus(x: &'x Xvfb, class: &str, shots: PathBuf) -> Keys<'x> {
        Keys::try_focus(x, class, shots, Duration::from_secs(60), || None)
            .unwrap_or_else(|why| panic!("no window of class {class}: {why}"))
    }

    /// As [`Keys::focus`], waiting up to `wait`; `gone` says (with the reason) when the
    /// window's process has ended, so a crashed window is reported at once. The error
    /// describes what the X server showed instead.
    pub fn try_focus(
        x: &'x Xvfb,
        class: &str,
        shots: PathBuf,
        wait: Duration,
        mut gone: impl FnMut() -> Option<String>,
    ) -> Result<Keys<'x>, String> {
        let start = Instant::now();
        let id = loop {
            // Only once it is mapped: a window found before can refuse the focus.
            let out = Command::new("xdotool")
                .args(["search", "--onlyvisible", "--class", class])
                .env("DISPLAY", &x.display)
                .output()
                .unwrap();
            let found = String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .map(str::to_string);
            if let Some(id) = found {
                break id;
            }
            if let Some(why) = gone() {
                return Err(format!("the process ended ({why}); {}", x.windows()));
            }
            if start.elapsed() > wait {
                return Err(format!(
                    "none mapped after {} s; {}",
                    wait.as_secs(),
                    x.windows()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let keys = Keys { x, id, shots };
        // There is no window manager: keyboard input needs an explicit focus. A loaded
        // machine can map the window a moment after it is found: try again for a while.
        let start = Instant::now();
        while !Command::new("xdotool")
            .args(["windowfocus", "--sync", &keys.id])
            .env("DISPLAY", &x.display)
            .status()
            .unwrap()
            .success()
        {
            if start.elapsed() > Duration::from_secs(30) {
                return Err(format!(
                    "window {} never took the focus; {}",
                    keys.id,
                    x.windows()
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        std::thread::sleep(Duration::from_millis(800));
        Ok(keys)
    }

    /// A left click at (`x`, `y`) in the window.
    pub fn click(&self, x: u32, y: u32) {
        let (x, y) = (x.to_string(), y.to_string());
        self.xdotool(&["mousemove", "--window", &self.id, &x, &y, "click", "1"]);
        std::thread::sleep(Duration::from_millis(300));
    }

    pub fn xdotool(&self, args: &[&str]) {
        let st = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.x.display)
            .status()
            .unwrap();
        assert!(st.success(), "xdotool {args:?}");
    }

    /// Types `text` into the focused field, then waits for the window to take it in.
    pub fn type_text(&self, text: &str) {
        // A character the keyboard map lacks (ị, Đ…) is typed by remapping a spare key to
        // it for the moment of the press; a client slow to read the new map (Wine under
        // load) then sees the old one and drops it. So those go one at a time, each given
        // time to be read; runs of plain ASCII go at typing speed.
        let mut ascii = String::new();
        let flush = |run: &mut String| {
            if !run.is_empty() {
                self.xdotool(&["type", "--delay", "40", run.as_str()]);
                run.clear();
            }
        };
        for c in text.chars() {
            if c.is_ascii() {
                ascii.push(c);
                continue;
            }
            flush(&mut ascii);
            self.xdotool(&["type", "--delay", "120", &c.to_string()]);
            std::thread::sleep(Duration::from_millis(120));
        }
        flush(&mut ascii);
        std::thread::sleep(Duration::from_millis(250));
    }

    pub fn key(&self, key: &str) {
        self.xdotool(&["key", key]);
        std::thread::sleep(Duration::from_millis(300));
    }

    /// The whole screen as `<shots>/<name>.png`.
    pub fn screenshot(&self, name: &str) -> PathBuf {
        let file = self.shots.join(format!("{name}.png"));
        let st = Command::new("import")
            .args(["-window", "root"])
            .arg(&file)
            .env("DISPLAY", &self.x.display)
            .status()
            .unwrap();
        assert!(st.success() && file.exists(), "screenshot {name}");
        file
    }

    /// The folder screenshots go to.
    pub fn shots(&self) -> &Path {
        &self.shots
    }
}
