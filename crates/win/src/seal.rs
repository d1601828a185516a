//! Sealing a small secret to the signed-in Windows account (DPAPI, `CryptProtectData`):
//! what the register's key is kept under on a counter PC, so the window and the
//! background sync open the register without a password, and a disk taken to another
//! machine or read by another account gives the key to nobody.
//!
//! Elsewhere there is no such service: [`seal`] and [`unseal`] say `Unsupported`.

use std::io;

/// The secret sealed to the current account. `purpose` is mixed in (DPAPI's optional
/// entropy), so a blob sealed for one purpose does not open for another.
pub fn seal(secret: &[u8], purpose: &str) -> io::Result<Vec<u8>> {
    imp::seal(secret, purpose)
}

/// The secret back from [`seal`]'s blob, for the same account and purpose.
pub fn unseal(blob: &[u8], purpose: &str) -> io::Result<Vec<u8>> {
    imp::unseal(blob, purpose)
}

/// Whether this system can seal to the account.
pub fn available() -> bool {
    cfg!(windows)
}

#[cfg(not(windows))]
mod imp {
    use std::io;

    fn unsupported() -> io::Error {
        io::Error::new(
            io::ErrorKind::Unsupported,
            "sealing to the account (DPAPI) exists on Windows only",
        )
    }

    pub(super) fn seal(_: &[u8], _: &str) -> io::Result<Vec<u8>> {
        Err(unsupported())
    }

    pub(super) fn unseal(_: &[u8], _: &str) -> io::Result<Vec<u8>> {
        Err(unsupported())
    }
}

#[cfg(windows)]
#[allow(unsafe_code)]
mod imp {
    use std::io;
    use std::ptr::{null, null_mut};
    use windows_sys::Win32::Foundation::LocalFree;
    use windows_sys::Win32::Security::Cryptography::{
        CRYPT_INTEGER_BLOB, CRYPTPROTECT_UI_FORBIDDEN, CryptProtectData, CryptUnprotectData,
    };

    fn blob(data: &[u8]) -> io::Result<CRYPT_INTEGER_BLOB> {
        Ok(CRYPT_INTEGER_BLOB {
            cbData: u32::try_from(data.len())
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "too large to seal"))?,
            // The functions only read their input blobs.
            pbData: data.as_ptr().cast_mut(),
        })
    }

    /// Copies DPAPI's output and frees it with `LocalFree`, as the functions require.
    fn take(out: CRYPT_INTEGER_BLOB) -> Vec<u8> {
        if out.pbData.is_null() {
            return Vec::new();
        }
        // SAFETY: on success the function set `pbData` to a buffer of `cbData` bytes it
        // allocated with LocalAlloc; it is read once here, then freed once.
        let bytes = unsafe { std::slice::from_raw_parts(out.pbData, out.cbData as usize) }.to_vec();
        // SAFETY: the buffer came from LocalAlloc and is not used after this.
        unsafe { LocalFree(out.pbData.cast()) };
        bytes
    }

    pub(super) fn seal(secret: &[u8], purpose: &str) -> io::Result<Vec<u8>> {
        let input = blob(secret)?;
        let entropy = blob(purpose.as_bytes())?;
        let mut out = CRYPT_INTEGER_BLOB {
            cbData: 0,
            pbData: null_mut(),
        };
        // SAFETY: the input and entropy blobs point into slices alive for the call; the
        // description, reserved and prompt pointers may be null; `out` is written by the
        // function and freed by `take`.
        let ok = unsafe {
            CryptProtectData(
                &input,
                null(),
                &entropy,
                null(),
                null(),
                CRYPTPROTECT_UI_FORBIDDEN,
                &mut out,
            )
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(take(out))
    }

    pub(super) fn unseal(sealed: &[u8], purpose: &str) -> io::Result<Vec<u8>> {
        let input = blob(sealed)?;
        let entropy = blob(purpose.as_bytes())?;
        let mut out = CRYPT_INTEGER_BLOB {
            cbData: 0,
            pbData: null_mut(),
        };
        // SAFETY: as in `seal`; the description out-pointer is null (not wanted).
        let ok = unsafe {
            CryptUnprotectData(
                &input,
                null_mut(),
                &entropy,
                null(),
                null(),
                CRYPTPROTECT_UI_FORBIDDEN,
                &mut out,
            )
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(take(out))
    }
}

#[cfg(all(test, windows))]
mod tests {
    #[test]
    fn a_sealed_secret_opens_for_its_purpose_only() {
        let blob = super::seal(b"0123456789abcdef", "motcua register").unwrap();
        assert!(!blob.windows(16).any(|w| w == b"0123456789abcdef"));
        assert_eq!(
            super::unseal(&blob, "motcua register").unwrap(),
            b"0123456789abcdef"
        );
        assert!(super::unseal(&blob, "another purpose").is_err());
    }
}
