//! On Windows, links the executable's resources into `motcua.exe`: the icon Explorer and
//! the taskbar show, and the version information of its Properties → Details tab. Nothing
//! on other systems.
//!
//! The resource script is written here (the version comes from Cargo.toml) and compiled
//! with the toolchain's resource compiler: `windres` (or `$WINDRES`) for the GNU target
//! (`x86_64-w64-mingw32-windres` when cross-compiling from Debian), `rc.exe` for MSVC.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=packaging/windows/motcua.ico");
    println!("cargo:rerun-if-env-changed=WINDRES");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let script = out.join("motcua.rc");
    std::fs::write(
        &script,
        resource_script(&root.join("packaging/windows/motcua.ico")),
    )
    .expect("write the resource script");
    let msvc = std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("msvc");
    let compiled = if msvc {
        let res = out.join("motcua.res");
        run(Command::new("rc.exe")
            .args(["/nologo", "/c65001", "/fo"])
            .arg(&res)
            .arg(&script));
        res
    } else {
        let obj = out.join("motcua-res.o");
        run(Command::new(windres())
            .args([
                "--codepage=65001",
                "--input-format=rc",
                "--output-format=coff",
                "-i",
            ])
            .arg(&script)
            .arg("-o")
            .arg(&obj));
        obj
    };
    println!("cargo:rustc-link-arg-bin=motcua={}", compiled.display());
}

/// The resource compiler of the GNU toolchain.
fn windres() -> String {
    if let Ok(w) = std::env::var("WINDRES") {
        return w;
    }
    let host = std::env::var("HOST").unwrap_or_default();
    let target = std::env::var("TARGET").unwrap_or_default();
    if host.contains("windows") {
        "windres".into()
    } else if target.starts_with("x86_64") {
        "x86_64-w64-mingw32-windres".into()
    } else {
        "i686-w64-mingw32-windres".into()
    }
}

fn run(cmd: &mut Command) {
    let status = cmd.status().unwrap_or_else(|e| {
        panic!(
            "cannot run {:?} (install the resource compiler): {e}",
            cmd.get_program()
        )
    });
    assert!(status.success(), "{cmd:?} failed");
}

/// The icon and the version information, in UTF-8 (code page 65001).
fn resource_script(icon: &Path) -> String {
    let version = std::env::var("CARGO_PKG_VERSION").expect("version");
    let mut n: Vec<u16> = version
        .split(['.', '-', '+'])
        .take(3)
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    n.resize(4, 0);
    let numbers = format!("{},{},{},{}", n[0], n[1], n[2], n[3]);
    let icon = icon.display().to_string().replace('\\', "/");
    format!(
        r#"#pragma code_page(65001)
1 ICON "{icon}"
1 VERSIONINFO
FILEVERSION {numbers}
PRODUCTVERSION {numbers}
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "042A04B0"
    BEGIN
      VALUE "CompanyName", "Nhóm phát triển motcua"
      VALUE "FileDescription", "Một cửa — Tiếp nhận hồ sơ"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "motcua"
      VALUE "LegalCopyright", "MIT OR Apache-2.0"
      VALUE "OriginalFilename", "motcua.exe"
      VALUE "ProductName", "Một cửa — Tiếp nhận hồ sơ"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x042A, 1200
  END
END
"#
    )
}
