//! The dossier (hồ sơ) as received at the counter, and the validation of what the clerk
//! typed. Reception facts belong to the counter; processing status belongs upstream.

use crate::code::DossierCode;
use crate::identity;
use crate::status::Status;
use crate::validation::{Field, ValidationError, bounded, optional};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

mod document;
pub use document::{Document, DocumentInput, DocumentKind, parse_document_arg};

/// Longest accepted personal or organisation name, in characters.
pub const NAME_MAX: usize = 150;
/// Longest accepted address, in characters.
pub const ADDRESS_MAX: usize = 500;
/// Longest accepted document name, in characters. Names are printed whole, as the
/// procedure publishes them: the national records have names of up to 7,632 characters
/// (1.002759), 4,637 of them over 300.
pub const DOCUMENT_NAME_MAX: usize = 10_000;
/// Most documents one dossier may list.
pub const DOCUMENTS_MAX: usize = 100;
/// Longest accepted note, in characters.
pub const NOTE_MAX: usize = 2000;

/// How the dossier reached the counter (`KenhThucHien`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 1 Trực tiếp.
    #[default]
    Direct,
    /// 3 Bưu chính công ích.
    Postal,
}

impl Channel {
    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Direct => "Trực tiếp",
            Channel::Postal => "Bưu chính công ích",
        }
    }
}

/// Where the citizen will receive the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ResultDelivery {
    /// At the counter (Bộ phận tiếp nhận và trả kết quả).
    #[default]
    Counter,
    /// By public postal service to an address.
    Post { address: String },
}

/// Whether a party is a person (ông/bà) or an organisation (tổ chức).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    #[default]
    Person,
    Organisation,
}

impl PartyKind {
    /// The database and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Person => "person",
            PartyKind::Organisation => "organisation",
        }
    }

    /// Parses [`PartyKind::as_str`].
    pub fn parse(s: &str) -> Option<PartyKind> {
        match s {
            "person" => Some(PartyKind::Person),
            "organisation" => Some(PartyKind::Organisation),
            _ => None,
        }
    }

    fn is_person(&self) -> bool {
        *self == PartyKind::Person
    }
}

/// A person or organisation on the dossier. For a person `id_number` is the 12-digit
/// personal identification number (số định danh cá nhân); for an organisation it is its
/// code (mã số doanh nghiệp / mã số thuế), and `representative` names who acts for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Party {
    /// Absent in events written before organisations were supported: a person.
    #[serde(default, skip_serializing_if = "PartyKind::is_person")]
    pub kind: PartyKind,
    pub full_name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    /// The organisation's legal representative (người đại diện theo pháp luật).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<String>,
}

/// The authorised person (người được ủy quyền) who hands the dossier in on the
/// applicant's behalf, with the authorisation document (giấy tờ ủy quyền).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Proxy {
    pub full_name: String,
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The authorisation document as the clerk records it, e.g. "Giấy ủy quyền số
    /// 12/2026/UQ ngày 01/12/2026".
    pub authorisation: String,
}

/// The case (trường hợp) of a procedure a dossier was received under, when the
/// catalogue distinguishes cases with their own terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRef {
    pub code: String,
    pub name: String,
}

/// Where a dossier's term came from, kept on the dossier so the register, the control
/// slip and a later reader know whether the appointment rests on a confirmed published
/// term, on the clerk's reading of the posted listing, or on the clerk's own date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TermSource {
    /// The catalogue's term.
    Catalogue {
        /// Not confirmed from the official text (read from free text, or marked so).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        unconfirmed: bool,
        /// The published statement taken, as the clerk saw it ("Trực tiếp: 10 ngày").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        /// Chosen by the clerk among published terms that disagree.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        chosen: bool,
    },
    /// Typed by the clerk from the posted listing: the catalogue had no confirmed term.
    Typed {
        /// As typed (NFC, trimmed).
        text: String,
    },
    /// The law sets no term ("không quy định"): the appointment is the clerk's.
    Appointment,
}

impl TermSource {
    /// A line for the dossier screen and the control slip (Mẫu 06).
    pub fn label_vi(&self) -> String {
        match self {
            TermSource::Catalogue {
                unconfirmed,
                text,
                chosen,
            } => {
                let mut s = if *unconfirmed {
                    "theo danh mục thủ tục, chưa xác nhận từ văn bản công bố".to_string()
                } else {
                    "theo danh mục thủ tục (đã xác nhận)".to_string()
                };
                if *chosen {
                    s += "; cán bộ chọn trong các thời hạn công bố khác nhau";
                }
                if let Some(t) = text {
                    s += &format!(": {t}");
                }
                s
            }
            TermSource::Typed { text } => {
                format!("do cán bộ ghi theo văn bản niêm yết: «{text}»")
            }
            TermSource::Appointment => {
                "không quy định thời hạn; ngày hẹn do cán bộ tiếp nhận ghi".to_string()
            }
        }
    }
}

/// The procedure as the dossier was received under it (the catalogue version is kept so a
/// later catalogue cannot change what was promised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureRef {
    pub code: String,
    pub name: String,
    pub catalog_version: String,
    /// Statutory term as written in the catalogue (`3wd`, `5d`, `4wh`, `same-day`): the
    /// procedure's, or its case's and channel's when the catalogue has them; `None`
    /// (written empty) when the law sets none.
    #[serde(with = "crate::calendar::term_text")]
    pub term: Option<crate::calendar::Term>,
    /// The case received under, if the procedure has cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseRef>,
    /// Where the term came from (absent on dossiers received before it was kept).
    /// `term` is `None` for [`TermSource::Appointment`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_source: Option<TermSource>,
    /// The field (lĩnh vực) the catalogue lists the procedure under, as it stood at
    /// reception: the periodic reports count by it, and the province hub, which need not
    /// hold the commune's catalogue, reads it here. Absent on dossiers received before
    /// it was kept and where the catalogue names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// A dossier as recorded at the counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    /// UUIDv7, stable across stations and the hub.
    pub id: String,
    pub code: DossierCode,
    /// The citizen's lookup secret (mã tra cứu).
    pub lookup_secret: String,
    /// Whose dossier it is (Ông (Bà)/Tổ chức on the receipt).
    pub applicant: Party,
    /// The dossier's owner (chủ hồ sơ) when not the applicant (the 2018 forms' notion;
    /// new dossiers filed on someone's behalf use `proxy`).
    pub owner: Option<Party>,
    /// The authorised person who handed the dossier in, if not the applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<Proxy>,
    pub procedure: ProcedureRef,
    pub documents: Vec<Document>,
    /// Number of sets (số lượng hồ sơ, bộ).
    pub sets: u32,
    pub channel: Channel,
    pub result_delivery: ResultDelivery,
    /// Fee collected, in đồng.
    pub fee: Option<u64>,
    /// Local Vietnam time.
    pub received_at: NaiveDateTime,
    /// The appointment for the result, local Vietnam time.
    pub due_at: Option<NaiveDateTime>,
    /// Username of the receiving clerk.
    pub clerk: String,
    pub status: Status,
    pub note: Option<String>,
    /// Entry number in the year's ledger book (Sổ theo dõi hồ sơ), given once when the
    /// dossier is received. Dossiers journaled before numbers were stored carry none in
    /// their event; their number was assigned when the database was upgraded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger_entry: Option<u64>,
}

impl Dossier {
    /// Whether the dossier is still pending and past its appointment at `now`. Derived,
    /// never stored: the register shows it, the status machine knows nothing of it.
    pub fn is_overdue(&self, now: NaiveDateTime) -> bool {
        !self.status.is_finished() && self.due_at.is_some_and(|due| now > due)
    }
}

/// What the clerk typed, before validation. Every string is raw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DossierInput {
    /// A person or an organisation.
    pub applicant_kind: PartyKind,
    pub applicant_name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub owner_name: Option<String>,
    pub owner_id_number: Option<String>,
    pub owner_address: Option<String>,
    /// An organisation's legal representative.
    pub representative: Option<String>,
    /// The authorised person filing on the applicant's behalf: all empty for none.
    pub proxy_name: Option<String>,
    pub proxy_id_number: Option<String>,
    pub proxy_address: Option<String>,
    pub proxy_phone: Option<String>,
    pub proxy_email: Option<String>,
    pub proxy_authorisation: Option<String>,
    /// The procedure's case (catalogue code), if it has cases.
    pub case_code: Option<String>,
    /// The processing term as the clerk reads it from the posted listing ("5 ngày làm
    /// việc"), for a procedure whose catalogue entry has no confirmed term.
    pub term_typed: Option<String>,
    /// Which of the published terms that disagree the clerk takes (1 = the first the
    /// catalogue offers), as typed.
    pub term_choice: Option<String>,
    /// The appointment the clerk gives when the law sets no term: "20/12/2026",
    /// "20/12/2026 10:00", "2026-12-20T10:00".
    pub appointment: Option<String>,
    /// Documents as given: name and count as typed, kind as chosen.
    pub documents: Vec<DocumentInput>,
    pub sets: i64,
    pub channel: Channel,
    /// `None`: at the counter; `Some(address)`: by post to that address.
    pub post_address: Option<String>,
    pub fee: Option<i64>,
    pub note: Option<String>,
}

/// Validated reception facts, ready to be given a code and stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidInput {
    pub applicant: Party,
    pub owner: Option<Party>,
    pub proxy: Option<Proxy>,
    /// The case code as typed (trimmed); the catalogue checks it.
    pub case_code: Option<String>,
    /// The term the clerk typed (trimmed); checked against the catalogue on receiving.
    pub term_typed: Option<String>,
    pub documents: Vec<Document>,
    pub sets: u32,
    pub channel: Channel,
    pub result_delivery: ResultDelivery,
    pub fee: Option<u64>,
    pub note: Option<String>,
}

impl DossierInput {
    /// Validates and normalises every field. All problems are reported at once, in the
    /// order of the form, so the clerk can fix them in one pass.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidInput, Vec<ValidationError>> {
        let mut errors = Vec::new();

        let full_name = keep(
            &mut errors,
            bounded(&self.applicant_name, Field::FullName, 1, NAME_MAX),
        );
        let id_number = keep(
            &mut errors,
            match self.applicant_kind {
                PartyKind::Person => optional_id(self.id_number.as_deref(), today),
                PartyKind::Organisation => {
                    optional_with(self.id_number.as_deref(), identity::normalize_org_code)
                }
            },
        );
        let representative = keep(
            &mut errors,
            optional(
                self.representative.as_deref(),
                Field::Representative,
                NAME_MAX,
            ),
        );
        if self.applicant_kind == PartyKind::Person && matches!(representative, Some(Some(_))) {
            errors.push(ValidationError::new(
                Field::Representative,
                "chỉ ghi người đại diện khi người nộp là tổ chức",
            ));
        }
        let proxy = keep(&mut errors, self.proxy(today));
        let phone = keep(
            &mut errors,
            optional_with(self.phone.as_deref(), identity::normalize_phone),
        );
        let email = keep(
            &mut errors,
            optional_with(self.email.as_deref(), identity::normalize_email),
        );
        let address = keep(
            &mut errors,
            optional(self.address.as_deref(), Field::Address, ADDRESS_MAX),
        );
        let owner_name = keep(
            &mut errors,
            optional(self.owner_name.as_deref(), Field::OwnerName, NAME_MAX),
        );
        let owner_id = keep(
            &mut errors,
            optional_id(self.owner_id_number.as_deref(), today)
                .map_err(|e| e.about(Field::OwnerIdNumber)),
        );
        let owner_address = keep(
            &mut errors,
            optional(
                self.owner_address.as_deref(),
                Field::OwnerAddress,
                ADDRESS_MAX,
            ),
        );
        let post = keep(
            &mut errors,
            optional(
                self.post_address.as_deref(),
                Field::ReturnAddress,
                ADDRESS_MAX,
            ),
        );
        let note = keep(
            &mut errors,
            crate::validation::optional(self.note.as_deref(), Field::Note, NOTE_MAX),
        );
        let sets = keep(&mut errors, count(self.sets, Field::Sets, 1, 99));
        let fee = keep(
            &mut errors,
            match self.fee {
                None => Ok(None),
                Some(f) if (0..=1_000_000_000).contains(&f) => Ok(Some(f as u64)),
                Some(_) => Err(ValidationError::new(
                    Field::Fee,
                    "phải từ 0 đến 1.000.000.000 đồng",
                )),
            },
        );
        if self.documents.len() > DOCUMENTS_MAX {
            keep(
                &mut errors,
                Err::<(), _>(ValidationError::new(
                    Field::Document,
                    format!("tối đa {DOCUMENTS_MAX} giấy tờ"),
                )),
            );
        }
        let documents: Vec<Option<Document>> = self
            .documents
            .iter()
            .map(|d| {
                let name = keep(
                    &mut errors,
                    bounded(&d.name, Field::Document, 1, DOCUMENT_NAME_MAX),
                )?;
                let count = keep(&mut errors, count(d.copies, Field::DocumentCount, 1, 999))?;
                Some(Document {
                    name,
                    kind: d.kind,
                    count,
                })
            })
            .collect();

        if self.post_address.is_some() && matches!(post, Some(None)) {
            errors.push(ValidationError::new(
                Field::ReturnAddress,
                "cần địa chỉ khi nhận kết quả qua bưu chính",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let proxy = proxy.flatten();
        let applicant_id = id_number.flatten();
        if let (Some(p), Some(id)) = (&proxy, &applicant_id)
            && p.id_number.as_ref() == Some(id)
        {
            return Err(vec![ValidationError::new(
                Field::ProxyIdNumber,
                "người được ủy quyền phải là người khác với người có hồ sơ (trùng số định danh)",
            )]);
        }
        let owner = owner_name.flatten().map(|full_name| Party {
            full_name,
            id_number: owner_id.flatten(),
            address: owner_address.flatten(),
            ..Party::default()
        });
        let result_delivery = match post.flatten() {
            Some(address) => ResultDelivery::Post { address },
            None => ResultDelivery::Counter,
        };
        Ok(ValidInput {
            applicant: Party {
                kind: self.applicant_kind,
                full_name: full_name.expect("errors is empty, so every field parsed"),
                id_number: applicant_id,
                phone: phone.flatten(),
                email: email.flatten(),
                address: address.flatten(),
                representative: representative.flatten(),
            },
            owner,
            proxy,
            case_code: self
                .case_code
                .as_deref()
                .map(crate::text::clean)
                .filter(|c| !c.is_empty()),
            term_typed: self
                .term_typed
                .as_deref()
                .map(crate::text::clean)
                .filter(|c| !c.is_empty()),
            documents: documents.into_iter().flatten().collect(),
            sets: sets.expect("errors is empty, so every field parsed"),
            channel: self.channel,
            result_delivery,
            fee: fee.flatten(),
            note: note.flatten(),
        })
    }
}

impl DossierInput {
    /// The authorised person, if any of their fields was typed: a name is then required,
    /// the ID number, phone and e-mail are checked like the applicant's, and the
    /// authorisation document is required unless the law lets a relative file without
    /// one — the clerk then records the relationship there (e.g. "Cha của người được
    /// khai sinh").
    fn proxy(&self, today: NaiveDate) -> Result<Option<Proxy>, ValidationError> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .is_some_and(|s| !crate::text::clean(s).is_empty())
        };
        let fields = [
            &self.proxy_name,
            &self.proxy_id_number,
            &self.proxy_address,
            &self.proxy_phone,
            &self.proxy_email,
            &self.proxy_authorisation,
        ];
        if !fields.iter().any(|f| given(f)) {
            return Ok(None);
        }
        let full_name = bounded(
            self.proxy_name.as_deref().unwrap_or(""),
            Field::ProxyName,
            1,
            NAME_MAX,
        )?;
        let id_number = optional_id(self.proxy_id_number.as_deref(), today)
            .map_err(|e| e.about(Field::ProxyIdNumber))?;
        let address = optional(
            self.proxy_address.as_deref(),
            Field::ProxyAddress,
            ADDRESS_MAX,
        )?;
        let phone = optional_with(self.proxy_phone.as_deref(), identity::normalize_phone)
            .map_err(|e| e.about(Field::ProxyPhone))?;
        let email = optional_with(self.proxy_email.as_deref(), identity::normalize_email)
            .map_err(|e| e.about(Field::ProxyEmail))?;
        let authorisation = bounded(
            self.proxy_authorisation.as_deref().unwrap_or(""),
            Field::ProxyAuthorisation,
            1,
            DOCUMENT_NAME_MAX,
        )
        .map_err(|e| {
            if self
                .proxy_authorisation
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
            {
                ValidationError::new(
                    Field::ProxyAuthorisation,
                    "cần ghi giấy tờ ủy quyền (số, ngày) hoặc quan hệ với người có hồ sơ",
                )
            } else {
                e
            }
        })?;
        Ok(Some(Proxy {
            full_name,
            id_number,
            address,
            phone,
            email,
            authorisation,
        }))
    }
}

/// Which published term the clerk chose, as typed ("2"): `None` for nothing typed.
pub fn parse_term_choice(raw: Option<&str>) -> Result<Option<usize>, ValidationError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .map(Some)
            .ok_or_else(|| {
                ValidationError::new(
                    Field::Term,
                    format!(
                        "chọn thời hạn bằng số thứ tự của nó (1, 2, …), nhận được «{}»",
                        t.chars().take(20).collect::<String>()
                    ),
                )
            }),
    }
}

/// An appointment as a clerk writes it: "20/12/2026", "20/12/2026 10:00", "10:00
/// 20/12/2026", "2026-12-20", "2026-12-20T10:00".
pub fn parse_appointment(
    raw: &str,
) -> Result<(NaiveDate, Option<chrono::NaiveTime>), ValidationError> {
    let s = raw.trim().replace('T', " ");
    let bad = || {
        ValidationError::new(
            Field::Appointment,
            format!(
                "«{}» không phải ngày giờ hẹn; ghi như «20/12/2026» hoặc «20/12/2026 10:00»",
                raw.trim().chars().take(40).collect::<String>()
            ),
        )
    };
    let words: Vec<&str> = s.split_whitespace().collect();
    let (date, time) = match words.as_slice() {
        [d] => (*d, None),
        [a, b] if a.contains(':') => (*b, Some(*a)),
        [a, b] => (*a, Some(*b)),
        _ => return Err(bad()),
    };
    let date = crate::calendar::parse_date(date).map_err(|_| bad())?;
    let time = time
        .map(|t| {
            chrono::NaiveTime::parse_from_str(t, "%H:%M")
                .or_else(|_| chrono::NaiveTime::parse_from_str(t, "%Hh%M"))
                .map_err(|_| bad())
        })
        .transpose()?;
    Ok((date, time))
}

/// Keeps a value, or records its error and gives `None`.
fn keep<T>(errors: &mut Vec<ValidationError>, r: Result<T, ValidationError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

fn optional_id(raw: Option<&str>, today: NaiveDate) -> Result<Option<String>, ValidationError> {
    optional_with(raw, |s| {
        identity::parse_id_number(s, today).map(|id| id.number)
    })
}

fn optional_with(
    raw: Option<&str>,
    parse: impl Fn(&str) -> Result<String, ValidationError>,
) -> Result<Option<String>, ValidationError> {
    match raw.map(crate::text::clean) {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => parse(&s).map(Some),
    }
}

fn count(n: i64, field: Field, min: i64, max: i64) -> Result<u32, ValidationError> {
    if (min..=max).contains(&n) {
        Ok(n as u32)
    } else {
        Err(ValidationError::new(
            field,
            format!("phải từ {min} đến {max}"),
        ))
    }
}

#[cfg(test)]
mod tests;
