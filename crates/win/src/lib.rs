//! What the counter asks of Windows, and the portable thing elsewhere.
//!
//! - [`fs`]: a rename that survives a power cut, and a folder only its user can read;
//! - [`print`] (Windows): the printers the spooler knows and a form drawn on one with GDI,
//!   so any printer driver prints it, a laser printer that reads no PDF included;
//! - [`seal`]: a secret sealed to the signed-in Windows account (DPAPI), the register's
//!   key on a counter PC;
//! - [`set_app_id`] (Windows): the AppUserModelID the taskbar groups the window by.
//!
//! This is the only crate of the workspace with `unsafe` code: the Win32 calls. Each
//! `unsafe` block says why it is sound; the rest of the workspace forbids `unsafe`.

pub mod fs;
#[cfg(all(windows, feature = "print"))]
pub mod print;
pub mod seal;
#[cfg(windows)]
mod wide;

/// The AppUserModelID of the counter window, as the Start-menu shortcut carries it.
pub const APP_ID: &str = "motcua.motcua";

/// Tells Windows the process's AppUserModelID, so the taskbar groups the running window
/// with the Start-menu shortcut (and shows its icon) instead of under `motcua.exe`.
#[cfg(windows)]
#[allow(unsafe_code)]
pub fn set_app_id(id: &str) -> std::io::Result<()> {
    let id = wide::nul_terminated(id);
    // SAFETY: `id` is a NUL-terminated UTF-16 string that outlives the call; the function
    // copies it.
    let hr = unsafe {
        windows_sys::Win32::UI::Shell::SetCurrentProcessExplicitAppUserModelID(id.as_ptr())
    };
    if hr < 0 {
        Err(std::io::Error::from_raw_os_error(hr))
    } else {
        Ok(())
    }
}

/// The version of Wine this process runs under (`ntdll.dll!wine_get_version`), `None` on
/// Windows itself. Tests use it where Wine does less than Windows (it keeps no access
/// lists on files).
#[cfg(windows)]
#[allow(unsafe_code)]
pub fn wine_version() -> Option<String> {
    use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress};
    let ntdll = wide::nul_terminated("ntdll.dll");
    // SAFETY: ntdll.dll is loaded in every process; the name is NUL-terminated.
    let module = unsafe { GetModuleHandleW(ntdll.as_ptr()) };
    if module.is_null() {
        return None;
    }
    // SAFETY: the name is a NUL-terminated ASCII string.
    let f = unsafe { GetProcAddress(module, c"wine_get_version".as_ptr().cast()) }?;
    // SAFETY: Wine's wine_get_version takes nothing and returns a static NUL-terminated
    // ASCII string.
    let version = unsafe {
        let f: unsafe extern "C" fn() -> *const std::ffi::c_char = std::mem::transmute(f);
        std::ffi::CStr::from_ptr(f())
    };
    Some(version.to_string_lossy().into_owned())
}
