//! Files that survive a power cut, in a folder only the app's user can read.

use std::io;
use std::path::Path;

/// Puts `from` in the place of `to` (replacing it) so that the new name survives a power
/// cut once this returns: on Windows `MoveFileExW` with `MOVEFILE_REPLACE_EXISTING |
/// MOVEFILE_WRITE_THROUGH` (the rename is flushed to the disk before the call returns);
/// elsewhere `rename(2)` and an `fsync` of the folder. `from`'s data must already be
/// flushed (`File::sync_all`).
pub fn replace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(windows)]
    {
        windows::replace(from, to)
    }
    #[cfg(not(windows))]
    {
        std::fs::rename(from, to)?;
        sync_dir(to.parent().unwrap_or(Path::new(".")))
    }
}

/// Flushes a folder's entries (a new, renamed or removed file in it) to the disk: an
/// `fsync` of the folder on Unix. On Windows the renames here are written through
/// ([`replace`]) and NTFS journals its folders: nothing to do.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Makes a folder readable and writable by the user running the app only, and what is
/// created in it: mode 0700 on Unix; on Windows a protected access list that grants the
/// current user full control and nobody else anything (no inherited entries for
/// Administrators, SYSTEM or Users), inherited by the files and folders made in it.
pub fn make_private_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
    }
    #[cfg(windows)]
    {
        windows::owner_only(dir)
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Who may read `path` other than its owner, as the system says: `None` when nobody
/// else can; otherwise a description (Unix: the mode; Windows: how many access entries
/// there are and whether it inherits any). For tests and support tools.
pub fn others_access(path: &Path) -> io::Result<Option<String>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        Ok((mode & 0o077 != 0).then(|| format!("mode {mode:o}")))
    }
    #[cfg(windows)]
    {
        windows::others_access(path)
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = path;
        Ok(None)
    }
}

#[cfg(windows)]
#[allow(unsafe_code)]
mod windows {
    use crate::wide;
    use std::io;
    use std::path::Path;
    use std::ptr::{null, null_mut};
    use windows_sys::Win32::Foundation::{
        CloseHandle, ERROR_SUCCESS, GENERIC_ALL, HANDLE, LocalFree,
    };
    use windows_sys::Win32::Security::Authorization::{
        EXPLICIT_ACCESS_W, GetNamedSecurityInfoW, NO_MULTIPLE_TRUSTEE, SE_FILE_OBJECT, SET_ACCESS,
        SetEntriesInAclW, SetNamedSecurityInfoW, TRUSTEE_IS_SID, TRUSTEE_IS_USER, TRUSTEE_W,
    };
    use windows_sys::Win32::Security::{
        ACL, ACL_SIZE_INFORMATION, AclSizeInformation, DACL_SECURITY_INFORMATION,
        GetAclInformation, GetSecurityDescriptorControl, GetTokenInformation,
        PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, SE_DACL_PROTECTED,
        SUB_CONTAINERS_AND_OBJECTS_INHERIT, TOKEN_QUERY, TOKEN_USER, TokenUser,
    };
    use windows_sys::Win32::Storage::FileSystem::{
        MOVEFILE_REPLACE_EXISTING, MOVEFILE_WRITE_THROUGH, MoveFileExW,
    };
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

    pub(super) fn replace(from: &Path, to: &Path) -> io::Result<()> {
        let (from, to) = (wide::path(from), wide::path(to));
        // SAFETY: both are NUL-terminated UTF-16 paths alive for the call.
        let ok = unsafe {
            MoveFileExW(
                from.as_ptr(),
                to.as_ptr(),
                MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH,
            )
        };
        if ok == 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    }

    /// The current user's token information (`TOKEN_USER` and the SID it points into),
    /// in a buffer aligned for it.
    fn token_user() -> io::Result<Vec<u64>> {
        let mut token: HANDLE = null_mut();
        // SAFETY: the pseudo-handle of the current process needs no closing; `token`
        // receives a handle we close below.
        if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
            return Err(io::Error::last_os_error());
        }
        let mut len = 0u32;
        // SAFETY: a null buffer of size 0 asks for the size needed, written to `len`.
        unsafe { GetTokenInformation(token, TokenUser, null_mut(), 0, &mut len) };
        let mut buf = vec![0u64; (len as usize).div_ceil(8).max(1)];
        // SAFETY: `buf` holds at least `len` bytes, 8-aligned as TOKEN_USER needs.
        let ok = unsafe {
            GetTokenInformation(token, TokenUser, buf.as_mut_ptr().cast(), len, &mut len)
        };
        let err = io::Error::last_os_error();
        // SAFETY: `token` is the handle opened above, closed once.
        unsafe { CloseHandle(token) };
        if ok == 0 { Err(err) } else { Ok(buf) }
    }

    /// An access list made by `SetEntriesInAclW`, freed when dropped.
    pub(super) struct OwnedAcl(*mut ACL);

    impl Drop for OwnedAcl {
        fn drop(&mut self) {
            // SAFETY: the list was allocated by SetEntriesInAclW and is freed once.
            unsafe { LocalFree(self.0.cast()) };
        }
    }

    /// The access list of a private folder: one entry, the current user (whose token
    /// information is returned beside it) with full control, inherited by the files and
    /// folders made in it.
    pub(super) fn owner_only_acl() -> io::Result<(OwnedAcl, Vec<u64>)> {
        let user = token_user()?;
        // SAFETY: `user` holds a TOKEN_USER written by GetTokenInformation; its SID
        // points inside `user`, which is returned with the list.
        let sid = unsafe { (*user.as_ptr().cast::<TOKEN_USER>()).User.Sid };
        let entry = EXPLICIT_ACCESS_W {
            grfAccessPermissions: GENERIC_ALL,
            grfAccessMode: SET_ACCESS,
            grfInheritance: SUB_CONTAINERS_AND_OBJECTS_INHERIT,
            Trustee: TRUSTEE_W {
                pMultipleTrustee: null_mut(),
                MultipleTrusteeOperation: NO_MULTIPLE_TRUSTEE,
                TrusteeForm: TRUSTEE_IS_SID,
                TrusteeType: TRUSTEE_IS_USER,
                ptstrName: sid.cast(),
            },
        };
        let mut acl: *mut ACL = null_mut();
        // SAFETY: one entry read from `entry`; no old list; the new list is allocated by
        // the system into `acl` (copying the SID) and freed by OwnedAcl.
        let rc = unsafe { SetEntriesInAclW(1, &entry, null(), &mut acl) };
        if rc != ERROR_SUCCESS {
            return Err(io::Error::from_raw_os_error(rc as i32));
        }
        Ok((OwnedAcl(acl), user))
    }

    pub(super) fn owner_only(dir: &Path) -> io::Result<()> {
        let (acl, _user) = owner_only_acl()?;
        let path = wide::path(dir);
        // SAFETY: `path` is a NUL-terminated path; `acl` is the valid list made above;
        // owner, group and system list are left as they are (null). PROTECTED: no entry
        // is inherited from the parent folder.
        let rc = unsafe {
            SetNamedSecurityInfoW(
                path.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                null_mut(),
                null_mut(),
                acl.0,
                null(),
            )
        };
        if rc != ERROR_SUCCESS {
            return Err(io::Error::from_raw_os_error(rc as i32));
        }
        Ok(())
    }

    /// The entries of `acl` as (type, flags, mask, is the SID of `user`'s token).
    #[cfg(test)]
    pub(super) fn entries(acl: &OwnedAcl, user: &[u64]) -> Vec<(u8, u8, u32, bool)> {
        use windows_sys::Win32::Security::{ACCESS_ALLOWED_ACE, EqualSid, GetAce};
        let mut info = ACL_SIZE_INFORMATION {
            AceCount: 0,
            AclBytesInUse: 0,
            AclBytesFree: 0,
        };
        // SAFETY: `acl` is a valid list; `info` is the structure the class asks for.
        let ok = unsafe {
            GetAclInformation(
                acl.0,
                (&raw mut info).cast(),
                size_of::<ACL_SIZE_INFORMATION>() as u32,
                AclSizeInformation,
            )
        };
        assert_ne!(ok, 0, "GetAclInformation");
        // SAFETY: `user` holds the TOKEN_USER its SID points into.
        let sid = unsafe { (*user.as_ptr().cast::<TOKEN_USER>()).User.Sid };
        (0..info.AceCount)
            .map(|i| {
                let mut ace = null_mut();
                // SAFETY: `i` is below the list's entry count; `ace` then points into the
                // list, which outlives this read. Every entry SetEntriesInAclW makes for
                // SET_ACCESS is an ACCESS_ALLOWED_ACE, whose SID starts at SidStart.
                unsafe {
                    assert_ne!(GetAce(acl.0, i, &mut ace), 0, "GetAce");
                    let ace = ace.cast::<ACCESS_ALLOWED_ACE>();
                    let same = EqualSid((&raw mut (*ace).SidStart).cast(), sid) != 0;
                    (
                        (*ace).Header.AceType,
                        (*ace).Header.AceFlags,
                        (*ace).Mask,
                        same,
                    )
                }
            })
            .collect()
    }

    pub(super) fn others_access(path: &Path) -> io::Result<Option<String>> {
        let wide_path = wide::path(path);
        let mut acl: *mut ACL = null_mut();
        let mut sd: PSECURITY_DESCRIPTOR = null_mut();
        // SAFETY: `wide_path` is NUL-terminated; the system allocates the descriptor
        // into `sd` (freed below) and points `acl` into it.
        let rc = unsafe {
            GetNamedSecurityInfoW(
                wide_path.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION,
                null_mut(),
                null_mut(),
                &mut acl,
                null_mut(),
                &mut sd,
            )
        };
        if rc != ERROR_SUCCESS {
            return Err(io::Error::from_raw_os_error(rc as i32));
        }
        let mut control = 0u16;
        let mut revision = 0u32;
        let mut info = ACL_SIZE_INFORMATION {
            AceCount: 0,
            AclBytesInUse: 0,
            AclBytesFree: 0,
        };
        // SAFETY: `sd` is the descriptor just read; `acl` points into it or is null (no
        // list: everyone has access, reported below).
        let (ok_control, ok_info) = unsafe {
            (
                GetSecurityDescriptorControl(sd, &mut control, &mut revision),
                if acl.is_null() {
                    0
                } else {
                    GetAclInformation(
                        acl,
                        (&mut info as *mut ACL_SIZE_INFORMATION).cast(),
                        std::mem::size_of::<ACL_SIZE_INFORMATION>() as u32,
                        AclSizeInformation,
                    )
                },
            )
        };
        let null_acl = acl.is_null();
        // SAFETY: `sd` was allocated by GetNamedSecurityInfoW and is freed once.
        unsafe { LocalFree(sd) };
        if null_acl {
            return Ok(Some("no access list: everyone may read".into()));
        }
        if ok_control == 0 || ok_info == 0 {
            return Err(io::Error::last_os_error());
        }
        let protected = control & SE_DACL_PROTECTED != 0;
        if protected && info.AceCount == 1 {
            Ok(None)
        } else {
            Ok(Some(format!(
                "{} access entries{}",
                info.AceCount,
                if protected {
                    ""
                } else {
                    ", inherited ones allowed"
                }
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_file_has_the_new_content_and_the_old_name() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a.tmp"), d.path().join("b"));
        std::fs::write(&b, "cũ").unwrap();
        std::fs::write(&a, "mới").unwrap();
        replace(&a, &b).unwrap();
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "mới");
        assert!(!a.exists());
        // Also into a name that does not exist yet.
        std::fs::write(&a, "thêm").unwrap();
        replace(&a, &d.path().join("c")).unwrap();
        assert_eq!(std::fs::read_to_string(d.path().join("c")).unwrap(), "thêm");
    }

    #[test]
    fn a_private_folder_lets_nobody_else_in() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("data");
        std::fs::create_dir(&dir).unwrap();
        make_private_dir(&dir).unwrap();
        #[cfg(windows)]
        if let Some(wine) = crate::wine_version() {
            // Wine accepts the access list but keeps none: it reports one made from the
            // Unix mode bits (SYSTEM, the user, Everyone reading). What can be checked
            // there is the list this crate builds; a Windows PC checks the folder itself.
            eprintln!("Wine {wine}: checking the access list, not the folder's");
            let (acl, user) = windows::owner_only_acl().unwrap();
            // One entry: allowed (type 0), inherited by files and folders (OI|CI = 3),
            // full control, for the user running the app.
            assert_eq!(
                windows::entries(&acl, &user),
                vec![(0, 3, windows_sys::Win32::Foundation::GENERIC_ALL, true)]
            );
            return;
        }
        assert_eq!(others_access(&dir).unwrap(), None);
        // What is made in it inherits that.
        std::fs::write(dir.join("f"), "x").unwrap();
        #[cfg(windows)]
        assert_eq!(others_access(&dir.join("f")).unwrap(), None);
    }
}
