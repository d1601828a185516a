//! A correction of a person's data on a dossier (họ tên, số định danh, điện thoại, email,
//! địa chỉ of the applicant, the owner or the authorised person), as the personal data law
//! lets the person ask for: journaled as a `data_corrected` event that names each field's
//! old and new value and the reason, never an edit of the past. One definition for the
//! counter that writes it, the register and the check that replay it, and the hub.

use crate::dossier::{ADDRESS_MAX, Dossier, NAME_MAX, PartyKind};
use crate::identity;
use crate::validation::{Field, ValidationError, bounded};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Whose data on the dossier is corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The applicant (người nộp hồ sơ, Ông (Bà)/Tổ chức on the receipt).
    Applicant,
    /// The dossier's owner (chủ hồ sơ) when not the applicant.
    Owner,
    /// The authorised person (người được ủy quyền).
    Proxy,
}

impl Role {
    /// Every role, in the order the forms name them.
    pub const ALL: [Role; 3] = [Role::Applicant, Role::Owner, Role::Proxy];

    /// The Vietnamese name.
    pub fn label(self) -> &'static str {
        match self {
            Role::Applicant => "người nộp hồ sơ",
            Role::Owner => "chủ hồ sơ",
            Role::Proxy => "người được ủy quyền",
        }
    }

    /// The wire and command-line name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Owner => "owner",
            Role::Proxy => "proxy",
        }
    }

    /// Parses [`Role::as_str`].
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A field of a person that can be corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonField {
    FullName,
    IdNumber,
    Phone,
    Email,
    Address,
}

impl PersonField {
    /// Every field, in the order of the receiving form.
    pub const ALL: [PersonField; 5] = [
        PersonField::FullName,
        PersonField::IdNumber,
        PersonField::Phone,
        PersonField::Email,
        PersonField::Address,
    ];

    /// The Vietnamese name, as the forms print it.
    pub fn label(self) -> &'static str {
        match self {
            PersonField::FullName => "Họ và tên",
            PersonField::IdNumber => "Số định danh",
            PersonField::Phone => "Số điện thoại",
            PersonField::Email => "Email",
            PersonField::Address => "Địa chỉ",
        }
    }

    /// Its place in [`PersonField::ALL`] (and in [`values`]).
    pub fn index(self) -> usize {
        match self {
            PersonField::FullName => 0,
            PersonField::IdNumber => 1,
            PersonField::Phone => 2,
            PersonField::Email => 3,
            PersonField::Address => 4,
        }
    }

    /// The form field a rejected value of `role` is reported on.
    pub fn form_field(self, role: Role) -> Field {
        match (role, self) {
            (Role::Applicant, PersonField::FullName) => Field::FullName,
            (Role::Applicant, PersonField::IdNumber) => Field::IdNumber,
            (Role::Applicant, PersonField::Address) => Field::Address,
            (Role::Owner, PersonField::FullName) => Field::OwnerName,
            (Role::Owner, PersonField::IdNumber) => Field::OwnerIdNumber,
            (Role::Owner, PersonField::Address) => Field::OwnerAddress,
            (Role::Proxy, PersonField::FullName) => Field::ProxyName,
            (Role::Proxy, PersonField::IdNumber) => Field::ProxyIdNumber,
            (Role::Proxy, PersonField::Address) => Field::ProxyAddress,
            (Role::Proxy, PersonField::Phone) => Field::ProxyPhone,
            (Role::Proxy, PersonField::Email) => Field::ProxyEmail,
            (_, PersonField::Phone) => Field::Phone,
            (_, PersonField::Email) => Field::Email,
        }
    }
}

/// One field's value before and after; `None` is an empty field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: PersonField,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Payload of a `data_corrected` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub code: String,
    pub role: Role,
    pub changes: Vec<FieldChange>,
    /// Why, as the person's request or the document shown says.
    pub reason: String,
}

/// What the clerk asks to correct: `None` leaves a field as it is, an empty value clears
/// it (never the name).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CorrectionInput {
    pub full_name: Option<String>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

impl CorrectionInput {
    fn get(&self, f: PersonField) -> Option<&str> {
        match f {
            PersonField::FullName => self.full_name.as_deref(),
            PersonField::IdNumber => self.id_number.as_deref(),
            PersonField::Phone => self.phone.as_deref(),
            PersonField::Email => self.email.as_deref(),
            PersonField::Address => self.address.as_deref(),
        }
    }
}

/// Longest accepted reason, in characters.
pub const REASON_MAX: usize = 2000;

impl Correction {
    /// The correction of `role`'s data on `d` that `input` asks for, each new value checked
    /// as at the counter: the fields whose value changes, with the old one. Refused when
    /// the dossier has no such person, nothing changes, or the reason is missing.
    pub fn between(
        d: &Dossier,
        role: Role,
        input: &CorrectionInput,
        reason: &str,
        today: NaiveDate,
    ) -> Result<Correction, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let reason = bounded(reason, Field::Note, 2, REASON_MAX)
            .map_err(|e| {
                if reason.trim().is_empty() {
                    ValidationError::new(Field::Note, "cần ghi lý do đính chính")
                } else {
                    e
                }
            })
            .map_err(|e| errors.push(e))
            .ok();
        let mut changes = Vec::new();
        let current = values(d, role);
        for field in PersonField::ALL {
            let Some(raw) = input.get(field) else {
                continue;
            };
            let form_field = field.form_field(role);
            let to = match normalize(d, role, field, raw, today) {
                Ok(to) => to,
                Err(e) => {
                    errors.push(e.about(form_field));
                    continue;
                }
            };
            let from = match &current {
                Ok(v) => v[field.index()].clone(),
                Err(why) => {
                    errors.push(ValidationError::new(form_field, why.clone()));
                    continue;
                }
            };
            if from != to {
                changes.push(FieldChange { field, from, to });
            }
        }
        if errors.is_empty() && changes.is_empty() {
            errors.push(ValidationError::new(
                Field::FullName,
                "không có thông tin nào khác với hồ sơ để đính chính",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Correction {
            code: d.code.to_string(),
            role,
            changes,
            reason: reason.expect("errors is empty"),
        })
    }

    /// Applies the correction to `d`: every field must still hold its old value (a
    /// correction is replayed on exactly the data it was made on).
    pub fn apply(&self, d: &mut Dossier) -> Result<(), String> {
        if self.code != d.code.to_string() {
            return Err(format!("đính chính cho hồ sơ {} khác", self.code));
        }
        if self.changes.is_empty() {
            return Err("đính chính không có thay đổi nào".into());
        }
        let current = values(d, self.role)?;
        if let Some(c) = (self.changes.iter()).find(|c| current[c.field.index()] != c.from) {
            return Err(format!(
                "{} của {} không còn là giá trị trước khi đính chính",
                c.field.label(),
                self.role.label()
            ));
        }
        for c in &self.changes {
            set(d, self.role, c.field, c.to.clone())?;
        }
        Ok(())
    }

    /// One line per field for the dossier's timeline, e.g. «Họ và tên: Nguyễn Văn Anh →
    /// Nguyễn Văn An».
    pub fn lines(&self) -> Vec<String> {
        let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(trống)".into());
        self.changes
            .iter()
            .map(|c| format!("{}: {} → {}", c.field.label(), shown(&c.from), shown(&c.to)))
            .collect()
    }

    /// The applicant's new name, when the correction gives one (the hub's register and
    /// lookup page carry it).
    pub fn applicant_name(&self) -> Option<&str> {
        (self.role == Role::Applicant)
            .then(|| {
                self.changes
                    .iter()
                    .find(|c| c.field == PersonField::FullName)
                    .and_then(|c| c.to.as_deref())
            })
            .flatten()
    }
}

/// The new value of `field`, checked as the receiving form checks it.
fn normalize(
    d: &Dossier,
    role: Role,
    field: PersonField,
    raw: &str,
    today: NaiveDate,
) -> Result<Option<String>, ValidationError> {
    let f = field.form_field(role);
    let value = crate::text::clean(raw);
    if value.is_empty() {
        return match field {
            PersonField::FullName => Err(ValidationError::new(f, "không được để trống")),
            _ => Ok(None),
        };
    }
    let organisation = role == Role::Applicant && d.applicant.kind == PartyKind::Organisation;
    match field {
        PersonField::FullName => bounded(&value, f, 1, NAME_MAX),
        PersonField::IdNumber if organisation => identity::normalize_org_code(&value),
        PersonField::IdNumber => identity::parse_id_number(&value, today).map(|id| id.number),
        PersonField::Phone => identity::normalize_phone(&value),
        PersonField::Email => identity::normalize_email(&value),
        PersonField::Address => bounded(&value, f, 1, ADDRESS_MAX),
    }
    .map(Some)
}

/// What `d` records of `role`, in the order of [`PersonField::ALL`] (`None` for an empty
/// field); refused when the dossier names no such person.
pub fn values(d: &Dossier, role: Role) -> Result<[Option<String>; 5], String> {
    let (name, id, phone, email, address) = match role {
        Role::Applicant => {
            let p = &d.applicant;
            (&p.full_name, &p.id_number, &p.phone, &p.email, &p.address)
        }
        Role::Owner => {
            let p = d.owner.as_ref().ok_or_else(|| missing(role))?;
            (&p.full_name, &p.id_number, &p.phone, &p.email, &p.address)
        }
        Role::Proxy => {
            let p = d.proxy.as_ref().ok_or_else(|| missing(role))?;
            (&p.full_name, &p.id_number, &p.phone, &p.email, &p.address)
        }
    };
    Ok([
        Some(name.clone()),
        id.clone(),
        phone.clone(),
        email.clone(),
        address.clone(),
    ])
}

fn set(d: &mut Dossier, role: Role, field: PersonField, to: Option<String>) -> Result<(), String> {
    let (name, id, phone, email, address) = match role {
        Role::Applicant => {
            let p = &mut d.applicant;
            (
                &mut p.full_name,
                &mut p.id_number,
                &mut p.phone,
                &mut p.email,
                &mut p.address,
            )
        }
        Role::Owner => {
            let p = d.owner.as_mut().ok_or_else(|| missing(role))?;
            (
                &mut p.full_name,
                &mut p.id_number,
                &mut p.phone,
                &mut p.email,
                &mut p.address,
            )
        }
        Role::Proxy => {
            let p = d.proxy.as_mut().ok_or_else(|| missing(role))?;
            (
                &mut p.full_name,
                &mut p.id_number,
                &mut p.phone,
                &mut p.email,
                &mut p.address,
            )
        }
    };
    match field {
        PersonField::FullName => {
            *name = to.ok_or_else(|| "họ và tên không được để trống".to_string())?
        }
        PersonField::IdNumber => *id = to,
        PersonField::Phone => *phone = to,
        PersonField::Email => *email = to,
        PersonField::Address => *address = to,
    }
    Ok(())
}

fn missing(role: Role) -> String {
    format!("hồ sơ không ghi {}", role.label())
}

#[cfg(test)]
mod tests;
