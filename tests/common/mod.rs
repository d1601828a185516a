//! Helpers shared by the end-to-end tests: run the real binary on a real data directory.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The `motcua` binary with `--data-dir dir`.
pub fn motcua(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_motcua"));
    c.arg("--data-dir").arg(dir).env_remove("MOTCUA_DATA_DIR");
    c
}

/// Runs and returns the output, whatever the exit status.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the motcua binary runs")
}

/// Runs, asserting success; returns stdout.
pub fn ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "command failed: {:?}\nstdout: {}\nstderr: {}",
        cmd,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Sets up station `n` of agency 000.17.22.H56 with clerk `lan`.
pub fn station(dir: &Path, n: u8) {
    ok(motcua(dir).args([
        "init",
        "--agency-id",
        "000.17.22.H56",
        "--agency-name",
        "UBND xã Tân Lập",
        "--parent-name",
        "UBND tỉnh Thanh Hóa",
        "--station",
        &n.to_string(),
    ]));
    let mut add = motcua(dir);
    add.args([
        "user",
        "add",
        "lan",
        "--full-name",
        "Trần Thị Lan",
        "--password-stdin",
    ])
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    let mut child = add.spawn().expect("spawn");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all("mật khẩu dài\n".as_bytes())
        .expect("write password");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Whether an external tool is installed. In CI (`CI=true`) a missing tool fails the test
/// loudly instead of skipping it.
pub fn require_tool(tool: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{tool} is required in CI but is not installed");
        }
        eprintln!("SKIPPED: {tool} is not installed");
    }
    found
}

/// splitmix64, for reproducible random choices in tests.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
