//! The Windows build as a commune counter gets it: the MSI installed with `msiexec /qn`
//! under Wine, the counter window opened from the installed launcher on Xvfb, a station
//! set up in the first-run wizard (its names typed as Unikey types them: the letter, then
//! Backspace and the letter with its marks), a clerk signing in and receiving a dossier by
//! keyboard with a chip-ID-card scan, Ctrl+S printing through the Windows print spooler
//! (Wine's, which hands the GDI job to a CUPS cups-pdf queue), and the printed pages read
//! back: their text, their QR code, every word where the kept PDF has it. Then the MSI of
//! the next version upgrades it in place and the station's data is still there; the
//! uninstall removes the program and leaves the data.
//!
//! Run by `packaging/windows/test-windows.sh`, which builds the Windows binaries and the
//! two MSIs first and passes them in `MOTCUA_WINDOWS_MSI` and `MOTCUA_WINDOWS_MSI_NEXT`;
//! `cargo test` alone lists it as ignored.

mod common;

use common::unikey::{Stroke, strokes};
use common::x11::{Keys, ONE_AT_A_TIME, Xvfb};
use common::{cups_pdf_queue, require_tool};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};
use unicode_normalization::UnicodeNormalization;

const QUEUE: &str = "MotcuaWine";
const PROGRAM: &str = r"C:\Program Files\motcua\bin";

/// One Wine prefix: a fresh Windows with the counter installed in it.
struct Wine {
    prefix: PathBuf,
    display: Option<String>,
}

impl Wine {
    /// A new prefix under target/tmp (the ProcessPrng stand-in put in, see
    /// packaging/windows/wine/).
    fn fresh() -> Wine {
        let prefix = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wine-e2e");
        if prefix.exists() {
            let _ = Command::new("wineserver")
                .arg("-k")
                .env("WINEPREFIX", &prefix)
                .status();
            std::fs::remove_dir_all(&prefix).unwrap();
        }
        let made = Command::new(repo().join("packaging/windows/wine/prefix.sh"))
            .env("WINEPREFIX", &prefix)
            .status()
            .unwrap();
        assert!(made.success(), "the Wine prefix");
        Wine {
            prefix,
            display: None,
        }
    }

    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("MOTCUA_DATA_DIR");
        match &self.display {
            Some(d) => c.env("DISPLAY", d),
            None => c.env_remove("DISPLAY"),
        };
        c
    }

    /// `wine args…`, its standard output (it must succeed).
    fn run(&self, args: &[&str]) -> String {
        let out = self.command("wine").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "wine {args:?}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The installed command line, `motcua.exe args…`.
    fn motcua(&self, args: &[&str]) -> String {
        let exe = format!(r"{PROGRAM}\motcua.exe");
        let mut all = vec![exe.as_str()];
        all.extend(args);
        self.run(&all)
    }

    /// `msiexec /i` or `/x` a package, silently, and waits for Windows Installer.
    fn msiexec(&self, op: &str, msi: &Path) {
        self.run(&["msiexec", op, &windows_path(msi), "/qn"]);
        self.wait();
    }

    /// Until every process of the prefix has ended.
    fn wait(&self) {
        let st = self.command("wineserver").arg("-w").status().unwrap();
        assert!(st.success());
    }

    fn drive_c(&self) -> PathBuf {
        self.prefix.join("drive_c")
    }

    fn installed(&self) -> PathBuf {
        self.drive_c().join("Program Files/motcua/bin")
    }

    /// `%LOCALAPPDATA%\motcua` of the prefix's user, seen from Linux.
    fn data_dir(&self) -> PathBuf {
        let users = self.drive_c().join("users");
        let user = std::fs::read_dir(&users)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n != "Public")
            .expect("the prefix's user");
        users.join(user).join("AppData/Local/motcua")
    }

    /// The DisplayVersion of every installed product of ours (Publisher «… motcua»).
    fn installed_versions(&self) -> Vec<String> {
        let out = self.run(&[
            "reg",
            "query",
            r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall",
            "/s",
        ]);
        let mut versions = Vec::new();
        for entry in out.split("HKEY_").skip(1) {
            let ours = entry
                .lines()
                .any(|l| l.contains("Publisher") && l.contains("motcua"));
            let version = entry.lines().find_map(|l| {
                l.trim()
                    .strip_prefix("DisplayVersion")
                    .and_then(|v| v.split_whitespace().last())
            });
            if let (true, Some(v)) = (ours, version) {
                versions.push(v.to_string());
            }
        }
        versions
    }
}

impl Drop for Wine {
    fn drop(&mut self) {
        let _ = self.command("wineserver").arg("-k").status();
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A Linux path as Wine's Z: drive shows it.
fn windows_path(p: &Path) -> String {
    let abs = std::fs::canonicalize(p).unwrap();
    format!("Z:{}", abs.display()).replace('/', "\\")
}

fn msi(var: &str) -> PathBuf {
    let p = std::env::var_os(var).unwrap_or_else(|| {
        panic!("{var} is not set: run packaging/windows/test-windows.sh, which builds the MSIs")
    });
    let p = PathBuf::from(p);
    assert!(p.is_file(), "{}", p.display());
    p
}

/// Where screenshots of this test go: `target/tmp/windows-e2e/`.
fn shots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("windows-e2e");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Types `text` as Unikey sends it.
fn type_unikey(k: &Keys<'_>, text: &str) {
    for s in strokes(text) {
        match s {
            Stroke::Text(t) => k.type_text(&t),
            Stroke::Backspace => k.key("BackSpace"),
        }
    }
}

/// Makes the window Wine's foreground window, which gets the keys. With no window
/// manager the X focus alone does not, and while Wine starts its desktop it takes the
/// focus back once: the focus and a click in the first field (focused already) are
/// repeated until the X focus has stayed on the window for a second.
fn activate(k: &Keys<'_>) {
    let focused = || {
        Command::new("xdotool")
            .arg("getwindowfocus")
            .env("DISPLAY", &k.x.display)
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == k.id)
    };
    let start = Instant::now();
    loop {
        k.xdotool(&["windowfocus", "--sync", &k.id]);
        k.click(640, 195);
        std::thread::sleep(Duration::from_secs(1));
        if focused() {
            std::thread::sleep(Duration::from_secs(1));
            if focused() {
                return;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the window never kept the focus"
        );
    }
}

/// Whether `hay` holds `needle` as UTF-16 (how Windows keeps strings in files).
fn has_utf16(hay: &[u8], needle: &str) -> bool {
    let n: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    hay.windows(n.len()).any(|w| w == n)
}

/// Every `.lnk` under `dir`.
fn shortcuts(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "lnk") {
                found.push(p);
            }
        }
    }
    found
}

/// The newest PDF of the cups-pdf queue whose name starts with `prefix`, written after
/// `since`, once it is complete.
fn printed_pdf(folders: &[PathBuf], prefix: &str, since: SystemTime) -> PathBuf {
    let t = Instant::now();
    loop {
        let hit = folders
            .iter()
            .filter_map(|f| std::fs::read_dir(f).ok())
            .flatten()
            .flatten()
            .find(|e| {
                e.file_name().to_string_lossy().starts_with(prefix)
                    && e.metadata()
                        .and_then(|m| m.modified())
                        .is_ok_and(|m| m >= since)
            });
        if let Some(e) = hit {
            // cups-pdf writes the file in place; wait until it is complete.
            std::thread::sleep(Duration::from_millis(800));
            return e.path();
        }
        assert!(
            t.elapsed() < Duration::from_secs(90),
            "nothing named {prefix}… came out of the {QUEUE} queue in {folders:?}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

fn tool_output(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{tool} {args:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The words of page 1 with their left and top edges (`pdftotext -bbox`).
fn words(pdf: &Path) -> Vec<(String, f64, f64)> {
    let html = tool_output(
        "pdftotext",
        &["-bbox", "-f", "1", "-l", "1", &pdf.to_string_lossy(), "-"],
    );
    html.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("<word xMin=\"")?;
            let (x, rest) = rest.split_once('"')?;
            let rest = rest.strip_prefix(" yMin=\"")?;
            let (y, rest) = rest.split_once('"')?;
            let word = rest.split_once('>')?.1.strip_suffix("</word>")?;
            Some((word.to_string(), x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

#[test]
#[ignore = "run by packaging/windows/test-windows.sh, which builds the MSIs first"]
fn installed_from_the_msi_a_counter_is_set_up_receives_prints_and_survives_an_upgrade() {
    for tool in [
        "wine",
        "wineserver",
        "Xvfb",
        "xdotool",
        "import",
        "pdftotext",
        "pdftoppm",
        "pdfinfo",
        "zbarimg",
        "cupsd",
    ] {
        assert!(require_tool(tool), "{tool} is needed");
    }
    let (first, next) = (msi("MOTCUA_WINDOWS_MSI"), msi("MOTCUA_WINDOWS_MSI_NEXT"));
    let folders = cups_pdf_queue(QUEUE);
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let mut wine = Wine::fresh();

    // Installed per machine, silently.
    wine.msiexec("/i", &first);
    for f in ["motcua.exe", "motcuaw.exe"] {
        assert!(wine.installed().join(f).is_file(), "{f} installed");
    }
    assert!(
        wine.drive_c()
            .join("Program Files/motcua/doc/LiberationSerif-OFL.txt")
            .is_file()
    );
    // The executable carries its icon and version information.
    let exe = std::fs::read(wine.installed().join("motcua.exe")).unwrap();
    assert!(has_utf16(&exe, "VS_VERSION_INFO"), "version resource");
    assert!(
        has_utf16(&exe, "Một cửa — Tiếp nhận hồ sơ"),
        "its description"
    );
    // The Start-menu shortcut has the Vietnamese name and starts the launcher.
    let links = shortcuts(&wine.drive_c());
    let link = links
        .iter()
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .nfc()
                .collect::<String>()
                == "Một cửa — Tiếp nhận hồ sơ.lnk"
        })
        .unwrap_or_else(|| panic!("the Start-menu shortcut, among {links:?}"));
    let lnk = std::fs::read(link).unwrap();
    assert!(
        has_utf16(&lnk, "motcuaw.exe") || lnk.windows(11).any(|w| w == b"motcuaw.exe"),
        "the shortcut runs motcuaw.exe"
    );
    // The command line is on the PATH of a new console.
    let version = wine.run(&["cmd", "/c", "motcua --version"]);
    assert!(version.contains(env!("CARGO_PKG_VERSION")), "{version}");
    // The spooler knows the CUPS queue.
    let printers = wine.motcua(&["printers"]);
    assert!(printers.contains(QUEUE), "{printers}");

    // The window, from the launcher the shortcut runs: the first-run wizard.
    let x = Xvfb::start();
    wine.display = Some(x.display.clone());
    let launched = wine
        .command("wine")
        .arg(format!(r"{PROGRAM}\motcuaw.exe"))
        .status()
        .unwrap();
    assert!(
        launched.success(),
        "the launcher starts the app and returns"
    );
    let k = Keys::focus(&x, "motcua.exe", shots());
    activate(&k);
    k.screenshot("wizard");
    // Names typed through the input method (xdotool's remapped keys are unreliable for
    // Latin-1 letters such as â or ã, so these names do without them).
    for (value, unikey) in [
        ("000.31.11.H31", false),
        ("UBND phường Lục Ngạn", true),
        ("UBND tỉnh Bắc Ninh", true),
        ("1", false),
        ("quay", false),
        ("Đặng Thị Thư", true),
        ("quay-mot-cua-2026", false),
        ("quay-mot-cua-2026", false),
    ] {
        if unikey {
            type_unikey(&k, value);
        } else {
            k.type_text(value);
        }
        k.key("Return");
    }
    std::thread::sleep(Duration::from_millis(1500));
    k.screenshot("login");
    let data = wine.data_dir();
    assert!(
        data.join("motcua.sqlite").is_file(),
        "the station is in %LOCALAPPDATA%\\motcua ({})",
        data.display()
    );
    let station = rusqlite::Connection::open(data.join("motcua.sqlite"))
        .unwrap()
        .query_row(
            "SELECT agency_name || '|' || coalesce(parent_name, '') FROM station",
            [],
            |r| r.get::<_, String>(0),
        )
        .unwrap();
    assert_eq!(station, "UBND phường Lục Ngạn|UBND tỉnh Bắc Ninh");
    wine.motcua(&["config", "set", "printer", QUEUE]);

    k.type_text("quay");
    k.key("Return");
    k.type_text("quay-mot-cua-2026");
    k.key("Return");
    std::thread::sleep(Duration::from_millis(1500));
    // 1.001193 (birth registration): the birth certificate (4) and the declaration (7)
    // handed in; the card scanned; Ctrl+S.
    k.type_text("1.001193");
    k.key("Return");
    k.type_text("47");
    k.type_text("001199012345|123456789|Đặng Thị Thư|02021999|Nữ|Thượng Đức, Lục Ngạn|15082021");
    k.key("Return");
    k.screenshot("receive");
    let since = SystemTime::now() - Duration::from_secs(2);
    k.key("ctrl+s");
    let started = Instant::now();
    let code = loop {
        let list: Value = serde_json::from_str(&wine.motcua(&["list", "--json"])).unwrap();
        if let Some(c) = list[0]["code"].as_str() {
            break c.to_string();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "nothing saved");
        std::thread::sleep(Duration::from_millis(300));
    };
    let shown: Value = serde_json::from_str(&wine.motcua(&["show", &code, "--json"])).unwrap();
    assert_eq!(shown["applicant"]["full_name"], "Đặng Thị Thư");
    assert_eq!(shown["applicant"]["address"], "Thượng Đức, Lục Ngạn");
    assert_eq!(shown["procedure"]["code"], "1.001193");

    // The printed pages, read back from the cups-pdf queue.
    let printed = printed_pdf(&folders, &format!("GiayTiepNhan-{code}"), since);
    k.screenshot("saved");
    let pdf = printed.to_string_lossy().into_owned();
    let info = tool_output("pdfinfo", &[&pdf]);
    assert!(info.contains("Pages:           2"), "Liên 1 and 2:\n{info}");
    assert!(info.contains("595 x 842"), "A4 portrait:\n{info}");
    let text = tool_output("pdftotext", &["-layout", &pdf, "-"]);
    for line in [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        &format!("Mã hồ sơ: {code}"),
        "(Liên 1: Lưu)",
        "(Liên 2: Giao người nộp)",
        "Đặng Thị Thư",
        "1. Giấy chứng sinh",
        "2. Tờ khai đăng ký khai sinh",
        "UBND PHƯỜNG LỤC NGẠN",
    ] {
        assert!(text.contains(line), "«{line}» not printed:\n{text}");
    }
    let raster = shots().join("printed");
    let png = raster.with_extension("png");
    let made = Command::new("pdftoppm")
        .args([
            "-png",
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            &pdf,
        ])
        .arg(&raster)
        .status()
        .unwrap();
    assert!(made.success());
    let qr = tool_output("zbarimg", &["-q", "--raw", &png.to_string_lossy()]);
    // Not enrolled and no lookup page set: the QR carries the two codes as text.
    assert!(
        qr.starts_with(&format!("Mã hồ sơ: {code}\nMã tra cứu: ")),
        "the printed QR: {qr}"
    );
    // Every word where the kept PDF has it (x within a point; the printed glyphs are
    // Ghostscript's, whose boxes sit a little differently in height).
    let kept = data
        .join("receipts")
        .join(format!("20{}", &code[code.len() - 11..code.len() - 9]))
        .join(format!("{code}-mau01.pdf"));
    let (a, b) = (words(&printed), words(&kept));
    assert_eq!(
        a.iter().map(|w| &w.0).collect::<Vec<_>>(),
        b.iter().map(|w| &w.0).collect::<Vec<_>>(),
        "the same words in the same order"
    );
    for (p, k) in a.iter().zip(&b) {
        assert!(
            (p.1 - k.1).abs() <= 1.0 && (p.2 - k.2).abs() <= 4.0,
            "«{}» printed at ({:.1}, {:.1}), kept at ({:.1}, {:.1})",
            p.0,
            p.1,
            p.2,
            k.1,
            k.2
        );
    }
    drop(k);
    let _ = wine.command("wineserver").arg("-k").status();
    drop(x);
    wine.display = None;

    // The next version over it: the same data, one version installed.
    wine.msiexec("/i", &next);
    assert!(wine.installed().join("motcua.exe").is_file());
    let versions = wine.installed_versions();
    assert!(
        versions.len() == 1 && versions[0] != env!("CARGO_PKG_VERSION"),
        "only the new version is installed: {versions:?}"
    );
    let shown: Value = serde_json::from_str(&wine.motcua(&["show", &code, "--json"])).unwrap();
    assert_eq!(shown["applicant"]["full_name"], "Đặng Thị Thư");
    wine.motcua(&["verify"]);

    // Encrypted at rest, its key sealed to this Windows account (DPAPI): afterwards the
    // command line opens the register with no password, and its file names nobody.
    let mut child = wine
        .command("wine")
        .arg(format!(r"{PROGRAM}\motcua.exe"))
        .args(["--as", "quay", "encrypt", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"quay-mot-cua-2026\n").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("tài khoản Windows"),
        "sealed to the account: {said}"
    );
    let name = "Đặng Thị Thư".as_bytes();
    for file in ["motcua.sqlite", "motcua.sqlite.keys"] {
        let raw = std::fs::read(data.join(file)).unwrap();
        assert!(
            !raw.windows(name.len()).any(|w| w == name),
            "{file} names her"
        );
    }
    let shown: Value = serde_json::from_str(&wine.motcua(&["show", &code, "--json"])).unwrap();
    assert_eq!(shown["applicant"]["full_name"], "Đặng Thị Thư");
    assert!(
        wine.motcua(&["encrypt", "--status"])
            .contains("tài khoản Windows")
    );
    wine.motcua(&["verify"]);

    // Uninstalled: the program goes, the station's data stays.
    wine.msiexec("/x", &next);
    assert!(!wine.installed().join("motcua.exe").exists(), "removed");
    assert!(wine.installed_versions().is_empty());
    assert!(data.join("motcua.sqlite").is_file(), "the data stays");
    assert!(kept.is_file(), "the kept receipts stay");
}
