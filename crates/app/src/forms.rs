//! The official forms from the register: each dossier record is mapped onto the pure
//! renderer's input, rendered in the station's form set (the 2025 set of TT 03/2025/TT-VPCP
//! unless `form-set` says 2018), and a copy kept under `receipts/<year>/` for reprint.
//! Printing sends the kept copy.

mod control;

use crate::counter::Counter;
use crate::error::{AppError, Result};
use crate::paths::{create_private_dir, replace_private};
use crate::print::Job;
use crate::settings::{FormSet, ReceiptLayout, Settings};
use chrono::{Datelike, NaiveDate};
use motcua_core::dossier::{Channel, Dossier, PartyKind, ResultDelivery};
use motcua_core::status::Status;
use motcua_receipt as receipt;
use std::path::PathBuf;

/// One of the dossier forms, numbered as in the 2025 set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
    Receipt,
    /// Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
    Supplement,
    /// Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ.
    Refusal,
    /// Mẫu 04: Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết (2018: … và hẹn lại
    /// ngày trả kết quả; motcua called it Mẫu 05 before, wrongly under both sets).
    Apology,
    /// Mẫu 05 (2025 only): Thông báo dừng giải quyết hồ sơ.
    Stop,
    /// Mẫu 06 (2025; Mẫu 05 of 2018): Phiếu kiểm soát quá trình giải quyết hồ sơ.
    Control,
    /// Mẫu 07: Sổ theo dõi hồ sơ of a date range.
    Ledger,
    /// Biểu 06: the period's report on receiving and resolving dossiers.
    Report,
    /// The answer to a person's request to see their data (no official form).
    PersonalData,
}

impl Form {
    /// The file name part of the kept copy.
    pub fn file_tag(self) -> &'static str {
        match self {
            Form::Receipt => "mau01",
            Form::Supplement => "mau02",
            Form::Refusal => "mau03",
            Form::Apology => "mau04",
            Form::Stop => "mau05",
            Form::Control => "mau06",
            Form::Ledger => "so-theo-doi",
            Form::Report => "bieu06",
            Form::PersonalData => "du-lieu-ca-nhan",
        }
    }

    /// The print job's title (no marks: some printer queues mangle them).
    pub fn job_title(self) -> &'static str {
        match self {
            Form::Receipt => "GiayTiepNhan",
            Form::Supplement => "PhieuBoSung",
            Form::Refusal => "PhieuTuChoi",
            Form::Apology => "PhieuXinLoi",
            Form::Stop => "ThongBaoDung",
            Form::Control => "PhieuKiemSoat",
            Form::Ledger => "SoTheoDoi",
            Form::Report => "BaoCao06",
            Form::PersonalData => "ThongBaoDuLieuCaNhan",
        }
    }

    /// The form's name in a sentence ("Đã tạo … cho hồ sơ …"), as `set` titles it.
    pub fn title_vi(self, set: FormSet) -> &'static str {
        match (self, set) {
            (Form::Receipt, _) => "giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            (Form::Supplement, _) => "phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            (Form::Refusal, _) => "phiếu từ chối tiếp nhận giải quyết hồ sơ",
            (Form::Apology, FormSet::Tt03_2025) => {
                "phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết"
            }
            (Form::Apology, FormSet::Tt01_2018) => "phiếu xin lỗi và hẹn lại ngày trả kết quả",
            (Form::Stop, _) => "thông báo dừng giải quyết hồ sơ",
            (Form::Control, _) => "phiếu kiểm soát quá trình giải quyết hồ sơ",
            (Form::Ledger, _) => "sổ theo dõi hồ sơ",
            (Form::Report, _) => "biểu tình hình, kết quả giải quyết thủ tục hành chính",
            (Form::PersonalData, _) => "thông báo cung cấp dữ liệu cá nhân",
        }
    }
}

/// A rendered form: the PDF and where its copy is kept.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub form: Form,
    /// The set it was printed in.
    pub set: FormSet,
    pub code: String,
    pub bytes: Vec<u8>,
    /// The same pages as drawing operations, for a printer that draws (Windows).
    pub pages: Vec<receipt::drawing::DrawnPage>,
    /// `receipts/<year>/<code>-<form>.pdf`, owner-only.
    pub kept: PathBuf,
}

/// A rendered ledger (not kept: it is printed for a date range on demand).
#[derive(Debug, Clone)]
pub struct Ledger {
    pub form: receipt::Form,
    pub rows: usize,
    /// The set it was printed in.
    pub set: FormSet,
}

/// How a receipt reached paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// Sent to a printer.
    Printed { job: Job, copies: u32 },
    /// No printer anywhere: opened in the system's PDF viewer instead.
    Opened,
}

/// A receipt sent to paper.
#[derive(Debug, Clone)]
pub struct Printed {
    pub code: String,
    pub kept: PathBuf,
    pub delivered: Delivered,
}

/// Which printer and how many copies; `None` means the station's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintRequest {
    pub printer: Option<String>,
    pub copies: Option<u32>,
    /// With no printer set and no system default, open the PDF in the viewer instead of
    /// failing (the window does; the command line reports the missing printer).
    pub viewer_fallback: bool,
}

/// The kinds of local unit an agency name may open with after "Ủy ban nhân dân".
const LOCAL_UNITS: [&str; 4] = ["xã", "phường", "thị trấn", "đặc khu"];

/// `rest` without `prefix` when it starts with it (marks and case ignored).
fn strip_prefix<'a>(rest: &'a str, prefix: &str) -> Option<&'a str> {
    let folded = motcua_core::text::fold(rest);
    if !folded.starts_with(&motcua_core::text::fold(prefix)) {
        return None;
    }
    // Folding keeps one character per character (marks go with their letter, đ → d).
    let chars = prefix.chars().count();
    let at = rest
        .char_indices()
        .nth(chars)
        .map_or(rest.len(), |(i, _)| i);
    Some(rest[at..].trim_start())
}

/// The agency name without "Ủy ban nhân dân"/"UBND": "UBND xã Tân Lập" → "xã Tân Lập".
fn local_name(agency_name: &str) -> &str {
    let name = agency_name.trim();
    ["Ủy ban nhân dân", "Uỷ ban nhân dân", "UBND"]
        .iter()
        .find_map(|p| strip_prefix(name, p))
        .unwrap_or(name)
}

/// The place name of the date line from an agency name: "UBND xã Tân Lập" → "Tân Lập".
fn place_from(agency_name: &str) -> String {
    let local = local_name(agency_name);
    let rest = LOCAL_UNITS
        .iter()
        .find_map(|u| strip_prefix(local, u))
        .unwrap_or(local);
    if rest.is_empty() {
        agency_name.trim().to_string()
    } else {
        rest.to_string()
    }
}

/// The commune's one-stop unit when the station names none: "UBND xã Tân Lập" →
/// "Trung tâm Phục vụ hành chính công xã Tân Lập" (TT 03/2025: the Trung tâm Phục vụ hành
/// chính công cấp xã of NĐ 118/2025 Điều 7.3; the exact name per commune is [U]).
pub fn unit_from(agency_name: &str) -> String {
    let local = local_name(agency_name);
    let named = LOCAL_UNITS.iter().find_map(|u| {
        strip_prefix(local, u)
            .filter(|r| !r.is_empty())
            .map(|r| format!("{u} {r}"))
    });
    format!(
        "Trung tâm Phục vụ hành chính công {}",
        named.unwrap_or_else(|| local.to_string())
    )
}

/// Where the term of a dossier came from, for the control slip (a sentence; `None` for
/// dossiers received before it was kept).
pub fn term_basis(p: &motcua_core::dossier::ProcedureRef) -> Option<String> {
    let source = p.term_source.as_ref()?;
    let label = source.label_vi();
    let mut chars = label.chars();
    Some(match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => label,
    })
}

/// "03 ngày làm việc", "trong ngày", … as the receipt's line 3 wants it; where the law
/// sets no term, that it sets none and the appointment is the clerk's.
fn statutory_time(p: &motcua_core::dossier::ProcedureRef) -> String {
    use motcua_core::calendar::Term;
    use motcua_core::dossier::TermSource;
    if matches!(p.term_source, Some(TermSource::Appointment)) {
        return "không quy định thời hạn (ngày hẹn trả kết quả do người tiếp nhận hồ sơ ghi)"
            .to_string();
    }
    match p.term {
        Some(Term::WorkingDays(n)) => format!("{n:02} ngày làm việc"),
        Some(Term::WorkingHours(n)) => format!("{n:02} giờ làm việc"),
        Some(Term::CalendarDays(n)) => format!("{n:02} ngày"),
        Some(Term::SameDay) => "trong ngày".to_string(),
        Some(Term::ClockHours(n)) => format!("{n:02} giờ"),
        Some(Term::Months(n)) => format!("{n:02} tháng"),
        None => String::new(),
    }
}

/// "Đăng ký nhận kết quả tại": the counter (the 2025 set names the one-stop unit) or the
/// postal address.
fn delivery(d: &Dossier, header: &receipt::AgencyHeader, set: FormSet) -> String {
    match (&d.result_delivery, set) {
        (ResultDelivery::Counter, FormSet::Tt03_2025) => header.unit.clone(),
        (ResultDelivery::Counter, FormSet::Tt01_2018) => {
            format!("Bộ phận tiếp nhận và trả kết quả, {}", header.name)
        }
        (ResultDelivery::Post { address }, _) => {
            format!("Qua dịch vụ bưu chính công ích, địa chỉ: {address}")
        }
    }
}

/// "Nội dung yêu cầu giải quyết": the procedure, with its case in brackets when it was
/// received under one that says more than the procedure's name (a procedure's only case
/// often repeats it).
fn procedure_text(d: &Dossier) -> String {
    let name = &d.procedure.name;
    match &d.procedure.case {
        Some(c) if !motcua_core::text::fold(name).contains(&motcua_core::text::fold(&c.name)) => {
            format!("{name} ({})", c.name.trim())
        }
        _ => name.clone(),
    }
}

/// Who signs as NGƯỜI NỘP HỒ SƠ: the authorised person when one filed, else an
/// organisation's representative, else the applicant in person (empty: by hand).
fn submitter(d: &Dossier) -> String {
    if let Some(p) = &d.proxy {
        return p.full_name.clone();
    }
    match (&d.applicant.representative, d.applicant.kind) {
        (Some(r), _) => r.clone(),
        (None, PartyKind::Person) => d.applicant.full_name.clone(),
        (None, PartyKind::Organisation) => String::new(),
    }
}

fn party_kind(kind: PartyKind) -> receipt::PartyKind {
    match kind {
        PartyKind::Person => receipt::PartyKind::Person,
        PartyKind::Organisation => receipt::PartyKind::Organisation,
    }
}

/// What the receipt's QR carries, no personal data in it: the lookup page set at this
/// station, else the hub's public page (told at enrolment and with every pull), each with
/// the code and secret added; with neither (a station not yet enrolled with a hub that has
/// a public address) the two codes as plain text, which a phone shows as they are rather
/// than opening a page that has never heard of the dossier.
fn lookup_url(settings: &Settings, d: &Dossier) -> String {
    let base = match settings.lookup_url.trim() {
        "" => settings.hub_lookup_url.as_deref().unwrap_or(""),
        own => own,
    };
    if base.is_empty() {
        return format!("Mã hồ sơ: {}\nMã tra cứu: {}", d.code, d.lookup_secret);
    }
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}ma={}&mk={}", d.code, d.lookup_secret)
}

fn ledger_book(settings: &Settings, year: i32) -> String {
    settings.ledger_book.replace("{năm}", &year.to_string())
}

impl Counter {
    /// The header every form starts with.
    pub(crate) fn header(&self, settings: &Settings) -> Result<receipt::AgencyHeader> {
        let st = self.station()?;
        let place = if settings.place.is_empty() {
            place_from(&st.agency_name)
        } else {
            settings.place.clone()
        };
        let unit = if settings.receiving_unit.is_empty() {
            unit_from(&st.agency_name)
        } else {
            settings.receiving_unit.clone()
        };
        Ok(receipt::AgencyHeader {
            parent_name: st.parent_name.unwrap_or_default(),
            name: st.agency_name,
            place,
            unit,
        })
    }

    /// The clerk's full name for a signature block (the username if the account is gone).
    fn clerk_name(&self, username: &str) -> String {
        self.store
            .user(username)
            .map(|u| u.full_name)
            .unwrap_or_else(|_| username.to_string())
    }

    /// Mẫu 01's data for a dossier.
    fn receipt_data(&self, d: &Dossier, settings: &Settings) -> Result<receipt::ReceiptData> {
        let header = self.header(settings)?;
        let entry = d.ledger_entry.ok_or_else(|| {
            AppError::Refused(format!(
                "hồ sơ {} chưa có số thứ tự trong sổ theo dõi",
                d.code
            ))
        })?;
        Ok(receipt::ReceiptData {
            // The counter keeps no numbering of receipts apart from the ledger's: no
            // "Số:" line (docs/forms.md §1).
            number: None,
            code: d.code.to_string(),
            lookup_secret: d.lookup_secret.clone(),
            lookup_url: lookup_url(settings, d),
            applicant_name: d.applicant.full_name.clone(),
            applicant_kind: party_kind(d.applicant.kind),
            representative: d.applicant.representative.clone(),
            owner_name: d.owner.as_ref().map(|o| o.full_name.clone()),
            id_number: d.applicant.id_number.clone(),
            proxy: d.proxy.as_ref().map(|p| receipt::Proxy {
                name: p.full_name.clone(),
                id_number: p.id_number.clone().unwrap_or_default(),
                address: p.address.clone().unwrap_or_default(),
                phone: p.phone.clone().unwrap_or_default(),
                email: p.email.clone().unwrap_or_default(),
                authorisation: p.authorisation.clone(),
            }),
            address: d.applicant.address.clone().unwrap_or_default(),
            phone: d.applicant.phone.clone().unwrap_or_default(),
            email: d.applicant.email.clone().unwrap_or_default(),
            procedure_name: match settings.form_set {
                FormSet::Tt03_2025 => procedure_text(d),
                FormSet::Tt01_2018 => d.procedure.name.clone(),
            },
            documents: d
                .documents
                .iter()
                .map(|doc| receipt::DocumentLine {
                    name: doc.name.clone(),
                    kind: doc.kind.label().to_string(),
                    count: doc.count,
                })
                .collect(),
            sets: d.sets,
            statutory_time: statutory_time(&d.procedure),
            received_at: d.received_at,
            due_at: d.due_at,
            result_delivery: delivery(d, &header, settings.form_set),
            ledger_book: ledger_book(settings, d.received_at.year()),
            ledger_entry: format!("{entry:04}"),
            clerk_name: self.clerk_name(&d.clerk),
            header,
        })
    }

    /// Keeps a copy of a rendered form for reprint.
    fn keep(
        &self,
        form: Form,
        set: FormSet,
        d: &Dossier,
        drawn: receipt::Form,
    ) -> Result<Rendered> {
        self.keep_as(form, set, d.received_at.year(), d.code.to_string(), drawn)
    }

    /// Keeps a copy of a rendered form under `receipts/<year>/<code>-<form>.pdf`.
    pub(crate) fn keep_as(
        &self,
        form: Form,
        set: FormSet,
        year: i32,
        code: String,
        drawn: receipt::Form,
    ) -> Result<Rendered> {
        let receipt::Form { pdf: bytes, pages } = drawn;
        let kept = self.paths.kept_form(year, &code, form.file_tag());
        create_private_dir(&self.paths.receipts)?;
        if let Some(dir) = kept.parent() {
            create_private_dir(dir)?;
        }
        replace_private(&kept, &bytes)?;
        Ok(Rendered {
            form,
            set,
            code,
            bytes,
            pages,
            kept,
        })
    }

    /// Mẫu 01 of a dossier, in the station's layout unless one is given; a copy is kept.
    pub fn receipt(&self, code: &str, layout: Option<ReceiptLayout>) -> Result<Rendered> {
        let d = self.dossier(code)?;
        self.receipt_of(&d, layout)
    }

    pub(crate) fn receipt_of(
        &self,
        d: &Dossier,
        layout: Option<ReceiptLayout>,
    ) -> Result<Rendered> {
        let settings = self.settings()?;
        let data = self.receipt_data(d, &settings)?;
        let layout = layout.unwrap_or(settings.receipt_layout);
        let set = settings.form_set;
        let bytes = receipt::render_receipt(&data, layout.for_renderer(), set.for_renderer())?;
        self.keep(Form::Receipt, set, d, bytes)
    }

    /// Mẫu 02 asking for `items` (what to add or correct); a copy is kept.
    pub fn supplement_form(
        &self,
        code: &str,
        items: &[String],
        reason: Option<&str>,
    ) -> Result<Rendered> {
        if items.iter().all(|i| i.trim().is_empty()) {
            return Err(AppError::field(
                motcua_core::Field::Document,
                "cần nêu ít nhất một nội dung phải bổ sung",
            ));
        }
        let d = self.dossier(code)?;
        let settings = self.settings()?;
        let clerk = self.clerk_name(&d.clerk);
        let data = receipt::SupplementData {
            header: self.header(&settings)?,
            number: None,
            code: Some(d.code.to_string()),
            issued_on: self.now().date_naive(),
            applicant_name: d.applicant.full_name.clone(),
            procedure_name: d.procedure.name.clone(),
            address: d.applicant.address.clone().unwrap_or_default(),
            phone: d.applicant.phone.clone().unwrap_or_default(),
            email: d.applicant.email.clone().unwrap_or_default(),
            items: items.to_vec(),
            reason: reason.unwrap_or_default().to_string(),
            contact_name: clerk.clone(),
            contact_phone: settings.office_phone.clone(),
            guide_name: clerk,
        };
        let set = settings.form_set;
        let bytes = receipt::render_supplement(&data, set.for_renderer())?;
        self.keep(Form::Supplement, set, &d, bytes)
    }

    /// Mẫu 03 with the reason for refusing; a copy is kept.
    pub fn refusal_form(&self, code: &str, reason: &str) -> Result<Rendered> {
        let d = self.dossier(code)?;
        let settings = self.settings()?;
        let data = receipt::RefusalData {
            header: self.header(&settings)?,
            number: None,
            issued_on: self.now().date_naive(),
            applicant_name: d.applicant.full_name.clone(),
            id_number: d.applicant.id_number.clone(),
            code: Some(d.code.to_string()),
            submitter_name: submitter(&d),
            address: d.applicant.address.clone().unwrap_or_default(),
            phone: d.applicant.phone.clone().unwrap_or_default(),
            email: d.applicant.email.clone().unwrap_or_default(),
            procedure_name: d.procedure.name.clone(),
            reason: reason.to_string(),
            clerk_name: self.clerk_name(&d.clerk),
        };
        let set = settings.form_set;
        let bytes = receipt::render_refusal(&data, set.for_renderer())?;
        self.keep(Form::Refusal, set, &d, bytes)
    }

    /// Mẫu 04: the apology with the new appointment recorded for the dossier (its last
    /// extension, see [`crate::change::Change::Extend`]); a copy is kept.
    pub fn apology_form(&self, code: &str) -> Result<Rendered> {
        let d = self.dossier(code)?;
        let Some(ext) = self.store.extensions_of(&d.id)?.pop() else {
            return Err(AppError::Refused(format!(
                "hồ sơ {} chưa được hẹn lại ngày trả nên chưa có phiếu xin lỗi và hẹn lại",
                d.code
            )));
        };
        let (original_due, new_due, reason) = (ext.from, ext.to, ext.reason.as_str());
        let settings = self.settings()?;
        let header = self.header(&settings)?;
        let set = settings.form_set;
        let data = receipt::ApologyData {
            number: None,
            issued_on: self.now().date_naive(),
            recipient: d.applicant.full_name.clone(),
            applicant_name: d.applicant.full_name.clone(),
            id_number: d.applicant.id_number.clone(),
            received_at: d.received_at,
            procedure_name: d.procedure.name.clone(),
            code: d.code.to_string(),
            original_due,
            reason: reason.to_string(),
            new_due,
            // 2025: the form's own "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ".
            signer_title: match set {
                FormSet::Tt03_2025 => String::new(),
                FormSet::Tt01_2018 => format!("TM. {}", header.name.to_uppercase()),
            },
            signer_name: String::new(),
            header,
        };
        let bytes = receipt::render_apology(&data, set.for_renderer())?;
        self.keep(Form::Apology, set, &d, bytes)
    }

    /// Mẫu 05 (2025): the notice that handling stops, for a dossier withdrawn at the
    /// applicant's request or stopped. `reason` stands in for the note of the change; a
    /// copy is kept. The form's body is unconfirmed (docs/forms.md §6).
    pub fn stop_form(&self, code: &str, reason: Option<&str>) -> Result<Rendered> {
        let d = self.dossier(code)?;
        if !matches!(d.status, Status::Withdrawn | Status::Stopped) {
            return Err(AppError::Refused(format!(
                "hồ sơ {} không bị rút hay dừng xử lý (đang «{}»): chưa lập thông báo dừng giải quyết",
                d.code,
                d.status.label()
            )));
        }
        let settings = self.settings()?;
        let stop = self.stop_event(&d)?;
        let request = (d.status == Status::Withdrawn).then(|| receipt::StopRequest {
            on: stop
                .as_ref()
                .map_or(self.now().date_naive(), |e| e.at.date()),
            // A withdrawal recorded at the counter came in person, unless the dossier
            // itself came by post [an assumption: the register keeps no channel for it].
            channel: match d.channel {
                Channel::Direct => "trực tiếp".to_string(),
                Channel::Postal => "qua dịch vụ bưu chính".to_string(),
            },
        });
        let note = stop.as_ref().and_then(|e| e.note.clone());
        let signer = stop
            .as_ref()
            .filter(|e| !e.upstream)
            .map(|e| self.clerk_name(&e.clerk))
            .unwrap_or_default();
        let data = receipt::StopData {
            header: self.header(&settings)?,
            number: None,
            issued_on: self.now().date_naive(),
            recipient: d.applicant.full_name.clone(),
            applicant_name: d.applicant.full_name.clone(),
            id_number: d.applicant.id_number.clone(),
            address: d.applicant.address.clone().unwrap_or_default(),
            phone: d.applicant.phone.clone().unwrap_or_default(),
            email: d.applicant.email.clone().unwrap_or_default(),
            code: d.code.to_string(),
            procedure_name: procedure_text(&d),
            received_at: d.received_at,
            request,
            reason: reason.map(str::to_string).or(note).unwrap_or_default(),
            disposition: String::new(),
            signer_name: signer,
        };
        let bytes = receipt::render_stop(&data)?;
        self.keep(Form::Stop, FormSet::Tt03_2025, &d, bytes)
    }

    /// Mẫu 06 (2025): the control slip, filled with what the register knows (the
    /// handovers its journal implies, with times and clerks) and blank blocks after them
    /// for hand entry; a copy is kept. The 2018 set had the same slip as its Mẫu 05, never
    /// printed by motcua: it prints the 2025 layout in either set.
    pub fn control_form(&self, code: &str) -> Result<Rendered> {
        let d = self.dossier(code)?;
        let settings = self.settings()?;
        let header = self.header(&settings)?;
        let steps = self.control_steps(&d, &header)?;
        let first_due_at = self.store.extensions_of(&d.id)?.first().map(|x| x.from);
        let data = receipt::ControlData {
            first_due_at,
            number: None,
            code: d.code.to_string(),
            handling_agency: header.name.clone(),
            cooperating_agencies: String::new(),
            received_at: d.received_at,
            due_at: d.due_at,
            term_basis: term_basis(&d.procedure),
            blank_steps: control::blank_blocks(steps.len(), d.status),
            steps,
            header,
        };
        let bytes = receipt::render_control(&data)?;
        self.keep(Form::Control, settings.form_set, &d, bytes)
    }

    /// The ledger (Sổ theo dõi hồ sơ) of the dossiers received `from ..= to`.
    pub fn ledger(&self, from: NaiveDate, to: NaiveDate) -> Result<Ledger> {
        if to < from {
            return Err(AppError::Refused(format!(
                "ngày kết thúc {to} trước ngày bắt đầu {from}"
            )));
        }
        let settings = self.settings()?;
        let header = self.header(&settings)?;
        let set = settings.form_set;
        let dossiers = self.store.received_between(from, to)?;
        let mut rows = Vec::with_capacity(dossiers.len());
        for d in &dossiers {
            rows.push(receipt::LedgerRow {
                number: d.ledger_entry.map(|n| n.to_string()).unwrap_or_default(),
                code: d.code.to_string(),
                procedure_name: d.procedure.name.clone(),
                applicant_name: d.applicant.full_name.clone(),
                address: d.applicant.address.clone().unwrap_or_default(),
                phone: d.applicant.phone.clone().unwrap_or_default(),
                handling_agency: header.name.clone(),
                received_at: d.received_at,
                due_at: d.due_at,
                returned_at: self.store.returned_at(d)?,
                delivery: match d.result_delivery {
                    ResultDelivery::Counter => "Trực tiếp".to_string(),
                    ResultDelivery::Post { .. } => "Bưu chính".to_string(),
                },
            });
        }
        let data = receipt::LedgerData {
            book: ledger_book(&settings, from.year()),
            number: None,
            issued_on: self.now().date_naive(),
            header,
            from,
            to,
            rows,
        };
        Ok(Ledger {
            form: receipt::render_ledger(&data, set.for_renderer())?,
            rows: dossiers.len(),
            set,
        })
    }

    /// The ledger of `from ..= to`, rendered and kept under `receipts/<year>/` (to print
    /// or to hand on as a file); with its number of rows.
    pub fn ledger_kept(&self, from: NaiveDate, to: NaiveDate) -> Result<(Rendered, usize)> {
        let ledger = self.ledger(from, to)?;
        let rendered = self.keep_as(
            Form::Ledger,
            ledger.set,
            from.year(),
            format!("{}_{}", from.format("%Y%m%d"), to.format("%Y%m%d")),
            ledger.form,
        )?;
        Ok((rendered, ledger.rows))
    }

    /// Renders and keeps the receipt, then sends it to the printer (the request's, else
    /// the station's, else the system default) with the station's number of copies. The
    /// dossier is already saved: a failure says so and where the PDF is for reprint.
    /// The other forms print one copy.
    pub fn print_receipt(&mut self, code: &str, req: &PrintRequest) -> Result<Printed> {
        let d = self.dossier(code)?;
        let rendered = self.receipt_of(&d, None)?;
        self.print_rendered(&rendered, req)
    }

    /// Sends an already rendered form to paper (see [`Counter::print_receipt`]), logged
    /// under the reader first (`access.rs`).
    pub fn print_rendered(&mut self, rendered: &Rendered, req: &PrintRequest) -> Result<Printed> {
        self.log_rendered(rendered, motcua_core::access::AccessAction::Print, None)?;
        let settings = self.settings()?;
        let printer = req.printer.clone().or(settings.printer.clone());
        let copies = match rendered.form {
            Form::Receipt => req.copies.unwrap_or(settings.copies).max(1),
            _ => req.copies.unwrap_or(1).max(1),
        };
        let title = format!("{}-{}", rendered.form.job_title(), rendered.code);
        let p = &self.env.printer;
        let failed = |source| AppError::PrintFailed {
            code: rendered.code.clone(),
            kept: rendered.kept.clone(),
            source,
        };
        if printer.is_none() && req.viewer_fallback && p.default_printer().ok().flatten().is_none()
        {
            p.open(&rendered.kept).map_err(failed)?;
            return Ok(Printed {
                code: rendered.code.clone(),
                kept: rendered.kept.clone(),
                delivered: Delivered::Opened,
            });
        }
        let doc = crate::print::Document {
            file: &rendered.kept,
            pages: &rendered.pages,
        };
        let job = p
            .print(&doc, printer.as_deref(), copies, &title)
            .map_err(failed)?;
        Ok(Printed {
            code: rendered.code.clone(),
            kept: rendered.kept.clone(),
            delivered: Delivered::Printed { job, copies },
        })
    }

    /// The printers the system offers and its default one.
    pub fn printers(&self) -> Result<(Vec<String>, Option<String>)> {
        let p = &self.env.printer;
        Ok((p.printers()?, p.default_printer()?))
    }
}

#[cfg(test)]
mod tests;
