//! UTF-16 strings for the Win32 calls.
#![allow(unsafe_code)]

/// `s` as UTF-16 with a terminating NUL (an inner NUL would cut it: none of ours has one).
pub(crate) fn nul_terminated(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// A path as UTF-16 with a terminating NUL.
pub(crate) fn path(p: &std::path::Path) -> Vec<u16> {
    use std::os::windows::ffi::OsStrExt;
    p.as_os_str()
        .encode_wide()
        .chain(std::iter::once(0))
        .collect()
}

/// The UTF-16 string that `ptr` points at, up to its NUL.
///
/// # Safety
/// `ptr` is null or points at a NUL-terminated UTF-16 string valid for reads.
pub(crate) unsafe fn read(ptr: *const u16) -> String {
    if ptr.is_null() {
        return String::new();
    }
    let mut len = 0;
    // SAFETY: the caller promises a NUL-terminated string: every unit up to the NUL is
    // readable.
    while unsafe { *ptr.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: the `len` units before the NUL were just read.
    String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(ptr, len) })
}
