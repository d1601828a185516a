//! The station's Ed25519 key pair. The secret key lives in its own file (0600) beside the
//! database, so a copy of the database alone cannot forge the journal head; the public key
//! is stored in the database and, later, registered with the hub.

use crate::{Result, StoreError};
use ed25519_dalek::SigningKey;
use rand_core::OsRng;
use std::io::Write;
use std::path::Path;

/// Generates a new key and writes it to `path` (which must not exist), owner-only.
pub fn generate(path: &Path) -> Result<SigningKey> {
    let key = SigningKey::generate(&mut OsRng);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| StoreError::io(path, e))?;
    f.write_all(hex::encode(key.to_bytes()).as_bytes())
        .and_then(|()| f.sync_all())
        .and_then(|()| motcua_win::fs::sync_dir(path.parent().unwrap_or(Path::new("."))))
        .map_err(|e| StoreError::io(path, e))?;
    Ok(key)
}

/// Reads the key written by [`generate`].
pub fn load(path: &Path) -> Result<SigningKey> {
    let text = std::fs::read_to_string(path).map_err(|e| StoreError::io(path, e))?;
    let bytes = hex::decode(text.trim()).map_err(|_| StoreError::Key("tệp khóa bị hỏng".into()))?;
    let arr: [u8; 32] = bytes
        .try_into()
        .map_err(|_| StoreError::Key("tệp khóa không đúng độ dài".into()))?;
    Ok(SigningKey::from_bytes(&arr))
}

/// The public half, hex-encoded, as stored in the database.
pub fn public_hex(key: &SigningKey) -> String {
    hex::encode(key.verifying_key().to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_round_trips_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k");
        let k = generate(&p).unwrap();
        assert_eq!(load(&p).unwrap().to_bytes(), k.to_bytes());
        assert!(generate(&p).is_err(), "never overwrites a key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&p, "zz").unwrap();
        assert!(load(&p).is_err());
    }
}
