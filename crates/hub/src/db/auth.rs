//! Who may talk to the hub: one-time enrolment tokens, station and processor credentials
//! (stored as SHA-256 only), revocation, and the bearer check of every request.

use super::{Principal, t};
use crate::error::{HubError, Result};
use crate::sql::Conn;
use ed25519_dalek::VerifyingKey;
use motcua_core::code::AgencyId;
use motcua_core::journal::GENESIS_HASH;
use motcua_core::wire::{EnrollRequest, EnrollResponse};
use sha2::{Digest, Sha256};

/// A random bearer token (256 bits, hex).
pub fn new_token() -> String {
    use rand_core::RngCore;
    let mut b = [0u8; 32];
    rand_core::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// SHA-256 (hex) of a token, as stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The station id `<agency>#<n>` an enrolment token is for, checked before any write.
pub(super) fn station_for(agency_id: &str, station_no: u8) -> Result<(AgencyId, String)> {
    let agency: AgencyId = agency_id
        .parse()
        .map_err(|e: motcua_core::ValidationError| HubError::BadRequest(e.to_string()))?;
    if !(1..=9).contains(&station_no) {
        return Err(HubError::BadRequest("số quầy phải từ 1 đến 9".into()));
    }
    let station = format!("{agency}#{station_no}");
    Ok((agency, station))
}

/// Stores the hash of a new enrolment token.
pub(super) fn add_enrol_token(
    c: &mut dyn Conn,
    agency: &AgencyId,
    station_id: &str,
    token: &str,
    now: &str,
) -> Result<()> {
    c.exec(
        "INSERT INTO enrol_tokens(token_hash, agency_id, station_id, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        &[
            t(&token_hash(token)),
            t(agency.as_str()),
            t(station_id),
            t(now),
        ],
    )?;
    Ok(())
}

/// Whether `hex` is a usable Ed25519 public key.
fn is_public_key(hex_key: &str) -> bool {
    hex::decode(hex_key)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|k| VerifyingKey::from_bytes(&k).ok())
        .is_some()
}

/// Redeems an enrolment token: registers the station's key (a re-enrolment replaces it)
/// and stores the new credential's hash.
pub(super) fn enroll(
    c: &mut dyn Conn,
    req: &EnrollRequest,
    credential: &str,
    now: &str,
) -> Result<EnrollResponse> {
    let row = c.row(
        "SELECT agency_id, station_id FROM enrol_tokens
         WHERE token_hash = ?1 AND used_at IS NULL",
        &[t(&token_hash(&req.token))],
    )?;
    let Some(row) = row else {
        return Err(HubError::Unauthorized);
    };
    let (agency, station) = (row[0].text(), row[1].text());
    if station != req.station_id {
        return Err(HubError::Forbidden);
    }
    // Checked after the token, so guessing tokens learns nothing; a bad key does not use
    // the token up (the transaction rolls back).
    if !is_public_key(&req.public_key) {
        return Err(HubError::BadRequest("khóa công khai không hợp lệ".into()));
    }
    c.exec(
        "UPDATE enrol_tokens SET used_at = ?2 WHERE token_hash = ?1",
        &[t(&token_hash(&req.token)), t(now)],
    )?;
    c.exec(
        "INSERT INTO stations(station_id, agency_id, public_key, next_seq, last_hash,
                              enrolled_at)
         VALUES (?1, ?2, ?3, 1, ?4, ?5)
         ON CONFLICT(station_id) DO UPDATE SET public_key = excluded.public_key",
        &[
            t(&station),
            t(&agency),
            t(&req.public_key),
            t(GENESIS_HASH),
            t(now),
        ],
    )?;
    c.exec(
        "INSERT INTO credentials(token_hash, kind, subject, created_at)
         VALUES (?1, 'station', ?2, ?3)",
        &[t(&token_hash(credential)), t(&station), t(now)],
    )?;
    Ok(EnrollResponse {
        station_id: station,
        credential: credential.to_string(),
        lookup_url: None,
    })
}

/// Stores the hash of a processing system's credential.
pub(super) fn add_processor(c: &mut dyn Conn, name: &str, token: &str, now: &str) -> Result<()> {
    c.exec(
        "INSERT INTO credentials(token_hash, kind, subject, created_at)
         VALUES (?1, 'processor', ?2, ?3)",
        &[t(&token_hash(token)), t(name), t(now)],
    )?;
    Ok(())
}

/// Revokes every live credential of a station; how many.
pub(super) fn revoke_station(c: &mut dyn Conn, station_id: &str, now: &str) -> Result<u64> {
    c.exec(
        "UPDATE credentials SET revoked_at = ?2
         WHERE kind = 'station' AND subject = ?1 AND revoked_at IS NULL",
        &[t(station_id), t(now)],
    )
}

/// Who holds a bearer token (revoked or unknown: Unauthorized).
pub(super) fn authenticate(c: &mut dyn Conn, token: &str) -> Result<Principal> {
    let row = c.row(
        "SELECT c.kind, c.subject, s.agency_id FROM credentials c
         LEFT JOIN stations s ON c.kind = 'station' AND s.station_id = c.subject
         WHERE c.token_hash = ?1 AND c.revoked_at IS NULL",
        &[t(&token_hash(token))],
    )?;
    let Some(row) = row else {
        return Err(HubError::Unauthorized);
    };
    match (row[0].text().as_str(), row[2].opt_text()) {
        ("station", Some(agency)) => Ok(Principal::Station {
            station_id: row[1].text(),
            agency_id: agency,
        }),
        ("processor", _) => Ok(Principal::Processor(row[1].text())),
        _ => Err(HubError::Unauthorized),
    }
}
