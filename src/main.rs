//! motcua: the one-stop counter app. The command line serves setup, scripting, support
//! and tests; the counter window calls the same application layer (`motcua_app`).

mod cli;
mod gui;
mod paths;

use crate::cli::out::{errln, outln};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Command line of the counter app.
#[derive(Debug, Parser)]
#[command(
    name = "motcua",
    version,
    about = "Phần mềm tiếp nhận hồ sơ một cửa cấp xã",
    after_help = "Mã thoát: 0 thành công (kể cả khi chương trình đọc kết quả đóng đầu ra sớm, ví dụ «| head -1»); \
1 lỗi, xem thông báo trên stderr (verify: phát hiện can thiệp); 2 sai cú pháp lệnh; \
3 lệnh đã làm xong (hồ sơ đã lưu) nhưng không ghi được kết quả ra đầu ra chuẩn: đừng chạy lại."
)]
struct Cli {
    /// Data directory (database, station key, receipts).
    #[arg(long, global = true, env = "MOTCUA_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// The account acting: what it reads, prints or exports is logged under it; for what
    /// only an admin may do (settings, accounts, catalogue, backup, the access log) it is
    /// refused unless it is an active admin. Without it, the command acts as the
    /// operating-system account that owns the data directory.
    #[arg(long = "as", global = true, env = "MOTCUA_AS", value_name = "USERNAME")]
    acting: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// First-run setup of this station.
    Init(cli::station::InitArgs),
    /// Clerk accounts.
    #[command(subcommand)]
    User(cli::user::UserCmd),
    /// Receive a dossier.
    Receive(Box<cli::dossier::ReceiveArgs>),
    /// List or search dossiers.
    List(cli::dossier::ListArgs),
    /// Show one dossier.
    Show {
        code: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a dossier's status.
    Transition {
        code: String,
        status: String,
        #[arg(long)]
        clerk: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Check the journal and the register for tampering.
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Write an online backup copy of the database.
    Backup {
        /// Where to write the copy (a new file; see --force).
        #[arg(short = 'o', long)]
        output: PathBuf,
        /// Replace the file if it exists. A symbolic link is never written through, not
        /// even with --force: it is refused and neither it nor its target is touched.
        #[arg(long)]
        force: bool,
    },
    /// Fetch back from the hub the events the database lost (after an old backup was
    /// restored, a deleted -wal file, ...); the counter refuses to issue codes until then.
    Recover {
        /// Accept that the events nobody holds (not even the hub) are lost: the codes and
        /// ledger numbers they may have used are skipped, never issued again.
        #[arg(long)]
        accept_loss: bool,
    },
    /// Replace the database with a backup copy (close the app first).
    Restore { file: PathBuf },
    /// Read the QR of a chip ID card (as a scanner types it) into form fields.
    CardQr {
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// Mẫu 01: the receipt and appointment slip of a dossier, as PDF.
    Receipt {
        code: String,
        /// Where to write the PDF (a new file; see --force).
        #[arg(short = 'o', long)]
        output: PathBuf,
        /// Replace the file if it exists. A symbolic link is never written through, not
        /// even with --force: it is refused and neither it nor its target is touched.
        #[arg(long)]
        force: bool,

        /// a4x2 (two A4 pages) or a5x2 (two A5 halves of one A4 sheet).
        #[arg(long)]
        layout: Option<String>,
    },
    /// The other official forms of a dossier (Mẫu 02 to 06 of the 2025 set), as PDF.
    #[command(subcommand)]
    Form(cli::forms::FormCmd),
    /// Sổ theo dõi hồ sơ (Mẫu 07) for a date range, as PDF.
    Ledger {
        #[arg(long, value_parser = crate::cli::date_arg)]
        from: chrono::NaiveDate,
        #[arg(long, value_parser = crate::cli::date_arg)]
        to: chrono::NaiveDate,
        /// Where to write the PDF (a new file; see --force).
        #[arg(short = 'o', long)]
        output: PathBuf,
        /// Replace the file if it exists. A symbolic link is never written through, not
        /// even with --force: it is refused and neither it nor its target is touched.
        #[arg(long)]
        force: bool,
    },
    /// Periodic reports: Biểu 06 and the national index's ratios.
    #[command(subcommand)]
    Report(cli::report::ReportCmd),
    /// Print a dossier's receipt.
    Print {
        code: String,
        #[arg(long)]
        printer: Option<String>,
        /// Copies (default: the station's copies setting, 1).
        #[arg(long)]
        copies: Option<u32>,
    },
    /// List the printers.
    Printers,
    /// Local settings (lookup URL, layout, printer, ledger book).
    #[command(subcommand)]
    Config(cli::config::ConfigCmd),
    /// The procedure catalogue.
    #[command(subcommand)]
    Catalog(cli::catalog::CatalogCmd),
    /// Lunar calendar, holidays and appointment dates.
    #[command(subcommand)]
    Calendar(cli::calendar::CalendarCmd),
    /// Sync with the province hub (enroll, --once, run, status).
    Sync(cli::sync::SyncArgs),
    /// Who read, printed or exported citizens' data (the access log), for an admin or the
    /// office head.
    AccessLog(cli::privacy::AccessLogArgs),
    /// Correct a person's data on a dossier at their request (name, ID number, phone,
    /// e-mail, address), journaled with the old values and the reason.
    Correct(cli::privacy::CorrectArgs),
    /// Answer a person's request to see their data (admin or office head): every dossier naming their ID
    /// number, as a letter (PDF) and JSON; the answer is logged.
    PersonData(cli::privacy::PersonDataArgs),
    /// Encrypt the register at rest (admin, with `--as`), its backups, or say who can open
    /// it (`--status`).
    Encrypt(cli::at_rest::EncryptArgs),
    /// Tools for benchmarks and tests.
    #[command(subcommand, hide = true)]
    Dev(cli::dev::DevCmd),
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let paths = paths::resolve(cli.data_dir)?;
    let acting = cli.acting;
    let _ = cli::ACTING.set(acting.clone());
    // An encrypted register is opened with the secret in MOTCUA_PASSWORD_FILE, if set.
    motcua_app::at_rest::unlock_from_env(&paths)?;
    let Some(command) = cli.command else {
        return window_or_summary(paths);
    };
    match command {
        Command::Init(args) => cli::station::init(args, &paths),
        Command::User(cmd) => cli::user::run(cmd, acting, &paths),
        Command::Receive(args) => cli::dossier::receive(*args, &paths),
        Command::List(args) => cli::dossier::list(args, &paths),
        Command::Show { code, json } => cli::dossier::show(&code, json, &paths),
        Command::Transition {
            code,
            status,
            clerk,
            note,
        } => cli::dossier::transition(&code, &status, &clerk, note.as_deref(), &paths),
        Command::Verify { json } => cli::admin::verify(json, &paths),
        Command::Backup { output, force } => cli::admin::backup(&output, force, acting, &paths),
        Command::Restore { file } => cli::admin::restore(&file, &paths),
        Command::Recover { accept_loss } => cli::recover::recover(accept_loss, &paths),
        Command::CardQr { text, json } => cli::dossier::card_qr(&text, json),
        Command::Receipt {
            code,
            output,
            force,
            layout,
        } => cli::forms::receipt_cmd(&code, &output, force, layout.as_deref(), &paths),
        Command::Form(cmd) => cli::forms::form_cmd(cmd, &paths),
        Command::Ledger {
            from,
            to,
            output,
            force,
        } => cli::forms::ledger_cmd(from, to, &output, force, &paths),
        Command::Print {
            code,
            printer,
            copies,
        } => cli::forms::print_cmd(&code, printer, copies, &paths),
        Command::Printers => cli::forms::printers_cmd(),
        Command::Report(cmd) => cli::report::run(cmd, &paths),
        Command::Config(cmd) => cli::config::run(cmd, acting, &paths),
        Command::Catalog(cmd) => cli::catalog::run(cmd, acting, &paths),
        Command::Calendar(cmd) => cli::calendar::run(cmd, &paths),
        Command::Sync(args) => cli::sync::run(args, &paths),
        Command::AccessLog(args) => cli::privacy::access_log(args, acting, &paths),
        Command::Correct(args) => cli::privacy::correct(args, &paths),
        Command::PersonData(args) => cli::privacy::person_data(args, acting, &paths),
        Command::Encrypt(args) => cli::at_rest::encrypt(args, acting, &paths),
        Command::Dev(cmd) => cli::dev::run(cmd, &paths),
    }
}

/// Why no window can be opened on this machine, if it cannot.
fn no_display() -> Option<&'static str> {
    let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    if cfg!(all(unix, not(target_os = "macos"))) && !set("DISPLAY") && !set("WAYLAND_DISPLAY") {
        Some("không có màn hình: biến DISPLAY và WAYLAND_DISPLAY đều chưa đặt")
    } else {
        None
    }
}

/// `motcua` alone: the counter window, or, with no display to open it on, the text
/// summary and why.
fn window_or_summary(paths: paths::Paths) -> anyhow::Result<()> {
    if let Some(reason) = no_display() {
        outln!("{}", gui::i18n::no_window(reason))?;
        return cli::station::welcome(&paths);
    }
    // The windowing library panics when the display named in DISPLAY cannot be opened
    // (a dead X forwarding, a closed session): catch that and fall back to the summary.
    let panicked = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let seen = panicked.clone();
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        if let Ok(mut slot) = seen.lock() {
            *slot = Some(msg);
        }
    }));
    let outcome =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| gui::run(paths.clone())));
    std::panic::set_hook(default_hook);
    let failure = match outcome {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(e)) => e.to_string(),
        Err(_) => panicked
            .lock()
            .ok()
            .and_then(|m| m.clone())
            .unwrap_or_else(|| "lỗi không rõ".to_string()),
    };
    outln!("{}", gui::i18n::no_window(&failure))?;
    cli::station::welcome(&paths)
}

/// The command line, or the exit after clap said what is wrong with it. A value our own
/// parsers refused (a date that does not exist) is said in Vietnamese only; clap's other
/// messages (an unknown option, `--help`) are its own.
fn parse_cli() -> std::result::Result<Cli, ExitCode> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    match Cli::try_parse() {
        Ok(cli) => Ok(cli),
        Err(e) if e.kind() == ErrorKind::ValueValidation => {
            let arg = match e.get(ContextKind::InvalidArg) {
                Some(ContextValue::String(a)) => {
                    a.split_whitespace().next().unwrap_or("").to_string()
                }
                _ => String::new(),
            };
            let reason = std::error::Error::source(&e)
                .map(ToString::to_string)
                .unwrap_or_default();
            errln!("Lỗi: {arg}: {reason}");
            Err(ExitCode::from(2))
        }
        Err(e) => e.exit(),
    }
}

fn main() -> ExitCode {
    gui::mark_start();
    let cli = match parse_cli() {
        Ok(c) => c,
        Err(code) => return code,
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(o) = e.downcast_ref::<cli::out::OutputFailed>() {
                return output_failed(o);
            }
            errln!("Lỗi: {e}");
            for cause in e.chain().skip(1) {
                errln!("  do: {cause}");
            }
            if e.chain().any(|c| {
                c.downcast_ref::<motcua_app::AppError>()
                    .is_some_and(motcua_app::AppError::is_locked)
            }) {
                errln!(
                    "Trên dòng lệnh: đặt biến {} là đường dẫn tới một tệp (chỉ chủ sở hữu đọc được) chứa mật khẩu hoặc mã khôi phục.",
                    motcua_app::at_rest::PASSWORD_FILE_VAR
                );
            }
            ExitCode::FAILURE
        }
    }
}

/// stdout failed after the command did its work: a closed pipe (`| head -1`) ends quietly
/// with success; anything else says on stderr what was saved and exits with
/// [`cli::out::EXIT_OUTPUT_FAILED`], so a wrapper does not retry a saved dossier.
fn output_failed(o: &cli::out::OutputFailed) -> ExitCode {
    if o.is_broken_pipe() {
        return ExitCode::SUCCESS;
    }
    errln!("Lỗi: {o}.");
    if let Some(saved) = o.saved() {
        errln!("{saved}; ĐỪNG chạy lại lệnh (sẽ ghi trùng).");
    }
    ExitCode::from(cli::out::EXIT_OUTPUT_FAILED)
}
