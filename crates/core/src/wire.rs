//! Wire types of the counter <-> hub sync API (JSON bodies). Shared by the hub and the
//! counter's sync client so the two cannot drift apart.

use crate::journal::Event;
use serde::{Deserialize, Serialize};

/// Header carrying the idempotency key of a push batch.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// Header on every hub answer: the hub's clock, RFC 3339 with milliseconds.
pub const HUB_TIME_HEADER: &str = "x-motcua-hub-time";

/// `POST /api/v1/enroll`: a station registers its public key with a one-time token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollRequest {
    /// The one-time token printed by `motcua-hub station add`.
    pub token: String,
    /// `<agency id>#<station number>`, must match the token.
    pub station_id: String,
    /// Ed25519 public key (hex) that signs the station's journal head.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{64}$"))]
    pub public_key: String,
}

/// Answer to an enrolment: the station's bearer credential, shown once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollResponse {
    pub station_id: String,
    /// Bearer token for every later request.
    pub credential: String,
    /// The hub's public citizen lookup page (`https://…/tra-cuu`), which the station's
    /// receipts point their QR to; absent when the hub was given no public address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_url: Option<String>,
}

/// The signed head of a station's journal, as sent with a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedHead {
    pub seq: u64,
    pub hash: String,
    /// Ed25519 signature (hex) over `journal::head_message`.
    pub signature: String,
}

/// `POST /api/v1/push` body (gzip-compressed JSON): events in station-sequence order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub station_id: String,
    pub head: SignedHead,
    /// Journal events (see `motcua_core::journal::Event`).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub events: Vec<Event>,
}

/// What the hub did with one pushed event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemOutcome {
    /// Stored now.
    Accepted,
    /// Already stored with the same hash.
    Duplicate,
    /// Refused for good; the reason says why. The counter quarantines it.
    Rejected,
    /// Not processed because an earlier event is missing at the hub; send again from
    /// `PushResponse::expected_seq`.
    Gap,
}

/// Per-item answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemResult {
    pub seq: u64,
    pub outcome: ItemOutcome,
    /// Plain Vietnamese reason when rejected or out of order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Answer to a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<ItemResult>,
    /// The next sequence the hub expects from this station.
    pub expected_seq: u64,
}

/// One change in the feed a counter pulls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Change {
    /// Upstream set a dossier's processing status.
    Status {
        code: String,
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        status: crate::status::Status,
        note: Option<String>,
        /// When upstream set it (hub clock, RFC 3339).
        at: String,
    },
    /// A new procedure catalogue version (the catalogue JSON file).
    Catalog { version: String, body: String },
    /// A yearly holiday schedule (JSON file).
    Holidays { year: i32, body: String },
}

/// One numbered change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeItem {
    /// Position in the hub's feed; the cursor is the last one applied.
    pub id: u64,
    #[serde(flatten)]
    pub change: Change,
}

/// `GET /api/v1/changes?since=N` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangesResponse {
    pub changes: Vec<ChangeItem>,
    /// The cursor to ask from next time.
    pub cursor: u64,
    /// The hub's public citizen lookup page, as at enrolment (so a hub that moves or is
    /// given its address later reaches every station); absent when it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_url: Option<String>,
}

/// `POST /api/v1/dossiers/{code}/status` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusRequest {
    /// received | processing | supplement_requested | financial_obligation | result_ready |
    /// returned | refused | withdrawn | stopped
    #[cfg_attr(
        feature = "openapi",
        schema(
            value_type = String,
            pattern = "^(received|processing|supplement_requested|financial_obligation|result_ready|returned|refused|withdrawn|stopped)$"
        )
    )]
    pub status: crate::status::Status,
    #[serde(default)]
    pub note: Option<String>,
}

/// `GET /api/v1/journal?since=N` answer: the calling station's own events as the hub
/// stored them, for a counter that lost part of its journal (an old backup restored, a
/// deleted `-wal`, a replacement PC). The counter trusts none of it blindly: it checks
/// the chain from its own head and a head signed by its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalResponse {
    /// Events after `since`, in sequence order (at most `limit`).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub events: Vec<Event>,
    /// Heads the station signed and pushed, for the sequences of `events`.
    pub heads: Vec<SignedHead>,
    /// The next sequence the hub expects from the station (one past the last it holds).
    pub next_seq: u64,
}

/// Error body of every non-2xx hub answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Plain Vietnamese message.
    pub error: String,
}
