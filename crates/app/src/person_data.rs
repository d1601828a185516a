//! A person's request to see the data the counter holds about them (Luật Bảo vệ dữ liệu
//! cá nhân 91/2025/QH15; NĐ 356/2025/NĐ-CP: answered within 10 days as the project's
//! domain notes report it, unconfirmed): by their ID number, every dossier that names
//! them (as applicant, owner or authorised person) with its whole record, its journal and
//! the access-log entries that name it, as a JSON file and as a letter (PDF) for them.
//! The answer is itself logged ([`AccessAction::Request`]). For an admin: the office
//! head answers for the unit.

use crate::counter::Counter;
use crate::error::{AppError, Result};
use crate::forms::{Form, Rendered};
use crate::paths::replace_private;
use crate::register::JournalLine;
use chrono::Datelike;
use motcua_core::access::{Access, AccessAction};
use motcua_core::correction::{self, PersonField, Role};
use motcua_core::dossier::Dossier;
use motcua_receipt as receipt;
use motcua_store::{AccessEntry, AccessFilter};
use serde::Serialize;

/// What the register holds about one person: the JSON file given to them.
#[derive(Debug, Clone, Serialize)]
pub struct PersonData {
    /// The ID number asked for.
    pub id_number: String,
    /// When the answer was drawn up (RFC 3339, station clock).
    pub prepared_at: String,
    pub agency_id: String,
    pub agency_name: String,
    /// The admin who answered.
    pub prepared_by: String,
    /// Oldest first.
    pub dossiers: Vec<PersonDossier>,
}

/// One dossier that names the person.
#[derive(Debug, Clone, Serialize)]
pub struct PersonDossier {
    /// Their parts in it (applicant, owner, authorised person).
    pub roles: Vec<Role>,
    /// The whole record, as the register holds it now (corrections applied).
    pub dossier: Dossier,
    /// What was done to it.
    pub journal: Vec<JournalLine>,
    /// Who read, printed or exported it.
    pub accesses: Vec<AccessEntry>,
}

impl PersonData {
    /// The JSON file given to the person (pretty, ending with a line break).
    pub fn json(&self) -> Result<Vec<u8>> {
        let mut json = serde_json::to_vec_pretty(self)
            .map_err(|e| AppError::Refused(format!("không lập được tệp dữ liệu: {e}")))?;
        json.push(b'\n');
        Ok(json)
    }
}

impl Counter {
    /// Everything the register holds about the person with `id_number`; the answer is
    /// logged naming every dossier found and the number masked.
    pub fn person_data(
        &mut self,
        id_number: &str,
        by: &crate::accounts::Reviewer,
    ) -> Result<PersonData> {
        let now = self.now();
        let id = motcua_core::identity::parse_id_number(id_number, now.date_naive())?.number;
        let codes = self.store.dossier_codes_of_person(&id)?;
        // Every entry naming any of them, read once.
        let entries = self.store.access_log(&AccessFilter {
            dossiers: Some(codes.clone()),
            limit: 100_000,
            ..AccessFilter::default()
        })?;
        let mut dossiers = Vec::with_capacity(codes.len());
        for code in &codes {
            let detail = self.detail_after_change(code)?;
            let d = detail.shown.dossier;
            let accesses = (entries.iter())
                .filter(|e| e.access.dossiers.contains(code))
                .cloned()
                .collect();
            dossiers.push(PersonDossier {
                roles: roles_of(&d, &id),
                dossier: d,
                journal: detail.journal,
                accesses,
            });
        }
        dossiers.sort_by_key(|x| x.dossier.received_at);
        self.log_access(Access {
            action: AccessAction::Request,
            what: "Trả lời yêu cầu cung cấp dữ liệu cá nhân của người có dữ liệu".into(),
            dossiers: codes,
            subject: Some(motcua_core::text::mask_id(&id)),
        })?;
        let st = self.station()?;
        Ok(PersonData {
            id_number: id,
            prepared_at: now.to_rfc3339(),
            agency_id: st.agency_id.to_string(),
            agency_name: st.agency_name,
            prepared_by: by.username().to_string(),
            dossiers,
        })
    }

    /// The answer kept in the receipts folder, ready to print (the window): the letter as
    /// `<year>/<yyyymmdd-HHMMSS>-du-lieu-ca-nhan.pdf` and the JSON beside it, both
    /// owner-only. The request is logged as [`Counter::person_data`] logs it.
    pub fn person_letter_kept(
        &mut self,
        id_number: &str,
        by: &crate::accounts::Reviewer,
    ) -> Result<(PersonData, Rendered)> {
        let data = self.person_data(id_number, by)?;
        let drawn = self.person_letter(&data)?;
        let now = self.now();
        let tag = now.format("%Y%m%d-%H%M%S").to_string();
        let set = self.settings()?.form_set;
        let kept = self.keep_as(Form::PersonalData, set, now.year(), tag, drawn)?;
        replace_private(&kept.kept.with_extension("json"), &data.json()?)?;
        Ok((data, kept))
    }

    /// The letter (PDF) that answers the request, from [`Counter::person_data`].
    pub fn person_letter(&self, data: &PersonData) -> Result<receipt::Form> {
        let settings = self.settings()?;
        let issued_at = chrono::DateTime::parse_from_rfc3339(&data.prepared_at)
            .map(|t| t.naive_local())
            .unwrap_or_else(|_| self.now().naive_local());
        let recipient = (data.dossiers.last())
            .and_then(|x| x.roles.first().map(|r| (&x.dossier, *r)))
            .and_then(|(d, r)| correction::values(d, r).ok())
            .and_then(|[name, ..]| name)
            .unwrap_or_default();
        let letter = receipt::PersonalDataLetter {
            header: self.header(&settings)?,
            issued_at,
            recipient,
            id_number: data.id_number.clone(),
            dossiers: data.dossiers.iter().map(letter_dossier).collect(),
            signer_name: self
                .store
                .user(&data.prepared_by)
                .map(|u| u.full_name)
                .unwrap_or_default(),
        };
        Ok(receipt::render_personal_data(&letter)?)
    }
}

/// The person's parts in `d`: each role whose ID number is `id`.
fn roles_of(d: &Dossier, id: &str) -> Vec<Role> {
    let id_of = |r: Role| correction::values(d, r).ok()?[PersonField::IdNumber.index()].clone();
    (Role::ALL.into_iter())
        .filter(|r| id_of(*r).as_deref() == Some(id))
        .collect()
}

/// What one dossier records of the person, for the letter.
fn letter_dossier(x: &PersonDossier) -> receipt::PersonalDataDossier {
    let d = &x.dossier;
    let mut fields = Vec::new();
    for role in &x.roles {
        let Ok(values) = correction::values(d, *role) else {
            continue;
        };
        for (f, v) in PersonField::ALL.into_iter().zip(values) {
            if let Some(v) = v {
                fields.push((f.label().to_string(), v));
            }
        }
    }
    let history = x
        .journal
        .iter()
        .map(|j| {
            let mut line = format!("{}: {} ({})", j.at, j.what, j.who);
            if let Some(n) = &j.note {
                line.push_str(&format!(" — {n}"));
            }
            line
        })
        .collect();
    receipt::PersonalDataDossier {
        code: d.code.to_string(),
        procedure_name: d.procedure.name.clone(),
        role: (x.roles.iter().map(|r| r.label()))
            .collect::<Vec<_>>()
            .join(", "),
        received_at: d.received_at,
        status: d.status.label().to_string(),
        fields,
        history,
        accesses: x.accesses.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use crate::counter::testing::*;
    use motcua_core::access::AccessAction;
    use motcua_core::correction::Role;

    #[test]
    fn a_request_holds_every_dossier_of_that_number_and_nothing_of_another() {
        let mut f = fixture();
        let own = f.counter.receive(&form("Nguyễn Văn An")).unwrap().dossier;
        let mut other = form("Lê Thị Hoa");
        other.input.id_number = Some("038185000001".into());
        // An treats for Hoa: authorised person on her dossier.
        other.input.proxy_name = Some("Nguyễn Văn An".into());
        other.input.proxy_id_number = Some("001099012345".into());
        other.input.proxy_authorisation = Some("Giấy ủy quyền số 12/2026/UQ".into());
        let proxied = f.counter.receive(&other).unwrap().dossier;
        let mut stranger = form("Phạm Văn Bình");
        stranger.input.id_number = Some("038090012345".into());
        let stranger = f.counter.receive(&stranger).unwrap().dossier;
        f.counter.show(&own.code.to_string()).unwrap();

        let lan = f.counter.reviewer("lan").unwrap();
        let e = f.counter.person_data("12345", &lan).unwrap_err();
        assert!(e.to_string().contains("12 chữ số"), "{e}");
        let data = f.counter.person_data("0010 9901 2345", &lan).unwrap();
        let codes: Vec<String> = data
            .dossiers
            .iter()
            .map(|x| x.dossier.code.to_string())
            .collect();
        assert_eq!(codes, [own.code.to_string(), proxied.code.to_string()]);
        assert_eq!(data.dossiers[0].roles, [Role::Applicant]);
        assert_eq!(data.dossiers[1].roles, [Role::Proxy]);
        assert_eq!(data.dossiers[0].journal[0].what, "Tiếp nhận hồ sơ");
        // The view above is among the first dossier's accesses.
        assert!(
            data.dossiers[0]
                .accesses
                .iter()
                .any(|a| a.access.action == AccessAction::View)
        );
        let json = serde_json::to_string(&data).unwrap();
        assert!(!json.contains(&stranger.code.to_string()));
        assert!(!json.contains("Phạm Văn Bình"));

        // The answer is logged, naming both dossiers and the number masked.
        let log = f
            .counter
            .access_log(&crate::access::AccessQuery::default(), &lan)
            .unwrap();
        let entry = &log[0];
        assert_eq!(entry.access.action, AccessAction::Request);
        assert_eq!(entry.access.dossiers, codes);
        assert_eq!(entry.access.subject.as_deref(), Some("001*******45"));

        // The letter names both dossiers and not the stranger's.
        let letter = f.counter.person_letter(&data).unwrap();
        let text: String = (letter.pages.iter().flat_map(|p| &p.items))
            .filter_map(|i| match i {
                motcua_receipt::drawing::DrawItem::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            text.contains("THÔNG BÁO CUNG CẤP DỮ LIỆU CÁ NHÂN"),
            "{text}"
        );
        assert!(text.contains(&own.code.to_string()), "{text}");
        assert!(text.contains(&proxied.code.to_string()), "{text}");
        assert!(!text.contains(&stranger.code.to_string()), "{text}");
        assert!(text.contains("người được ủy quyền"), "{text}");
    }
}
