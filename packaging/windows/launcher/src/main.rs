//! `motcuaw.exe`: what the Start-menu shortcut of the counter app runs on Windows.
//!
//! `motcua.exe` is one console-subsystem program for both the window and the command line,
//! so that `motcua verify`, `motcua backup -o …` and every other command print to the
//! console they are typed in and `cmd`/PowerShell wait for their exit codes. Started from
//! Explorer, a console program gets a new console window beside its own. This launcher is
//! a GUI-subsystem program (no console of its own) that starts `motcua.exe` beside it with
//! `CREATE_NO_WINDOW`: the app then gets a console that is never shown, opens its window,
//! and the tools it runs (printing) inherit that hidden console instead of flashing one.
//! Everything goes through the standard library's safe process API: no `unsafe`.
//!
//! Arguments are passed on (`motcuaw.exe --data-dir D:\motcua`). What the app writes to
//! stdout and stderr (the reason a window could not be opened, for one) goes to
//! `%LOCALAPPDATA%\motcua\motcuaw.log`, the newest run only, for support staff.

#![cfg_attr(windows, windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

/// The app's executable, beside this one.
fn app_path() -> Option<PathBuf> {
    let me = std::env::current_exe().ok()?;
    let name = if cfg!(windows) {
        "motcua.exe"
    } else {
        "motcua"
    };
    Some(me.with_file_name(name))
}

/// Where the app's output goes (the newest run), when that file can be made.
fn log_file() -> Option<std::fs::File> {
    let base = std::env::var_os("LOCALAPPDATA")?;
    let dir = PathBuf::from(base).join("motcua");
    std::fs::create_dir_all(&dir).ok()?;
    std::fs::File::create(dir.join("motcuaw.log")).ok()
}

fn main() -> ExitCode {
    let Some(app) = app_path() else {
        return ExitCode::FAILURE;
    };
    let mut command = Command::new(app);
    command
        .args(std::env::args_os().skip(1))
        .stdin(Stdio::null());
    match log_file().and_then(|f| Some((f.try_clone().ok()?, f))) {
        Some((out, err)) => command.stdout(out).stderr(err),
        None => command.stdout(Stdio::null()).stderr(Stdio::null()),
    };
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        /// The child gets a console (it is a console program) that is never shown.
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        command.creation_flags(CREATE_NO_WINDOW);
    }
    // The app outlives this process: start it and leave.
    match command.spawn() {
        Ok(_) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
