//! The official forms from the register: each dossier record is mapped onto the pure
//! renderer's input, rendered, and a copy kept under `receipts/<year>/` for reprint.
//! Printing sends the kept copy.

use crate::counter::Counter;
use crate::error::{AppError, Result};
use crate::paths::{create_private_dir, replace_private};
use crate::print::Job;
use crate::settings::{ReceiptLayout, Settings};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use motcua_core::dossier::{Dossier, ResultDelivery};
use motcua_receipt as receipt;
use std::path::PathBuf;

/// One of the dossier forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả.
    Receipt,
    /// Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.
    Supplement,
    /// Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ.
    Refusal,
    /// Mẫu 05: Phiếu xin lỗi và hẹn lại ngày trả kết quả.
    Apology,
    /// Sổ theo dõi hồ sơ of a date range.
    Ledger,
}

impl Form {
    /// The file name part of the kept copy.
    pub fn file_tag(self) -> &'static str {
        match self {
            Form::Receipt => "mau01",
            Form::Supplement => "mau02",
            Form::Refusal => "mau03",
            Form::Apology => "mau05",
            Form::Ledger => "so-theo-doi",
        }
    }

    /// The print job's title (no marks: some printer queues mangle them).
    pub fn job_title(self) -> &'static str {
        match self {
            Form::Receipt => "GiayTiepNhan",
            Form::Supplement => "PhieuBoSung",
            Form::Refusal => "PhieuTuChoi",
            Form::Apology => "PhieuXinLoi",
            Form::Ledger => "SoTheoDoi",
        }
    }

    /// The form's name in a sentence ("Đã tạo … cho hồ sơ …").
    pub fn title_vi(self) -> &'static str {
        match self {
            Form::Receipt => "giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            Form::Supplement => "phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            Form::Refusal => "phiếu từ chối tiếp nhận giải quyết hồ sơ",
            Form::Apology => "phiếu xin lỗi và hẹn lại ngày trả kết quả",
            Form::Ledger => "sổ theo dõi hồ sơ",
        }
    }
}

/// A rendered form: the PDF and where its copy is kept.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub form: Form,
    pub code: String,
    pub bytes: Vec<u8>,
    /// `receipts/<year>/<code>-<form>.pdf`, owner-only.
    pub kept: PathBuf,
}

/// A rendered ledger (not kept: it is printed for a date range on demand).
#[derive(Debug, Clone)]
pub struct Ledger {
    pub bytes: Vec<u8>,
    pub rows: usize,
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

/// The place name of the date line from an agency name: "UBND xã Tân Lập" → "Tân Lập".
fn place_from(agency_name: &str) -> String {
    let mut rest = agency_name.trim();
    for prefix in [
        "Ủy ban nhân dân",
        "Uỷ ban nhân dân",
        "UBND",
        "xã",
        "phường",
        "thị trấn",
        "đặc khu",
    ] {
        let folded = motcua_core::text::fold(rest);
        if folded.starts_with(&motcua_core::text::fold(prefix)) {
            rest = rest[prefix.len().min(rest.len())..].trim_start();
        }
    }
    if rest.is_empty() {
        agency_name.trim().to_string()
    } else {
        rest.to_string()
    }
}

/// "03 ngày làm việc", "trong ngày", … as the receipt's line 3 wants it.
fn statutory_time(term: &str) -> String {
    use motcua_core::calendar::Term;
    match term.parse::<Term>() {
        Ok(Term::WorkingDays(n)) => format!("{n:02} ngày làm việc"),
        Ok(Term::WorkingHours(n)) => format!("{n:02} giờ làm việc"),
        Ok(Term::CalendarDays(n)) => format!("{n:02} ngày"),
        Ok(Term::SameDay) => "trong ngày".to_string(),
        Err(_) => term.to_string(),
    }
}

fn delivery(d: &Dossier, agency: &str) -> String {
    match &d.result_delivery {
        ResultDelivery::Counter => format!("Bộ phận tiếp nhận và trả kết quả, {agency}"),
        ResultDelivery::Post { address } => {
            format!("Qua dịch vụ bưu chính công ích, địa chỉ: {address}")
        }
    }
}

/// The lookup URL printed in the QR: base + code + secret, no personal data.
fn lookup_url(settings: &Settings, d: &Dossier) -> String {
    let base = &settings.lookup_url;
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}ma={}&mk={}", d.code, d.lookup_secret)
}

fn ledger_book(settings: &Settings, year: i32) -> String {
    settings.ledger_book.replace("{năm}", &year.to_string())
}

impl Counter {
    /// The header every form starts with.
    fn header(&self, settings: &Settings) -> Result<receipt::AgencyHeader> {
        let st = self.station()?;
        let place = if settings.place.is_empty() {
            place_from(&st.agency_name)
        } else {
            settings.place.clone()
        };
        Ok(receipt::AgencyHeader {
            parent_name: st.parent_name.unwrap_or_default(),
            name: st.agency_name,
            place,
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
        let agency = header.name.clone();
        let entry = d.ledger_entry.ok_or_else(|| {
            AppError::Refused(format!(
                "hồ sơ {} chưa có số thứ tự trong sổ theo dõi",
                d.code
            ))
        })?;
        Ok(receipt::ReceiptData {
            code: d.code.to_string(),
            lookup_secret: d.lookup_secret.clone(),
            lookup_url: lookup_url(settings, d),
            applicant_name: d.applicant.full_name.clone(),
            owner_name: d.owner.as_ref().map(|o| o.full_name.clone()),
            id_number: d.applicant.id_number.clone(),
            address: d.applicant.address.clone().unwrap_or_default(),
            phone: d.applicant.phone.clone().unwrap_or_default(),
            email: d.applicant.email.clone().unwrap_or_default(),
            procedure_name: d.procedure.name.clone(),
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
            statutory_time: statutory_time(&d.procedure.term),
            received_at: d.received_at,
            due_at: d.due_at,
            result_delivery: delivery(d, &agency),
            ledger_book: ledger_book(settings, d.received_at.year()),
            ledger_entry: format!("{entry:04}"),
            clerk_name: self.clerk_name(&d.clerk),
            header,
        })
    }

    /// Keeps a copy of a rendered form for reprint.
    fn keep(&self, form: Form, d: &Dossier, bytes: Vec<u8>) -> Result<Rendered> {
        self.keep_as(form, d.received_at.year(), d.code.to_string(), bytes)
    }

    /// Keeps a copy of a rendered form under `receipts/<year>/<code>-<form>.pdf`.
    fn keep_as(&self, form: Form, year: i32, code: String, bytes: Vec<u8>) -> Result<Rendered> {
        let kept = self.paths.kept_form(year, &code, form.file_tag());
        create_private_dir(&self.paths.receipts)?;
        if let Some(dir) = kept.parent() {
            create_private_dir(dir)?;
        }
        replace_private(&kept, &bytes)?;
        Ok(Rendered {
            form,
            code,
            bytes,
            kept,
        })
    }

    /// Mẫu 01 of a dossier, in the station's layout unless one is given; a copy is kept.
    pub fn receipt(&self, code: &str, layout: Option<ReceiptLayout>) -> Result<Rendered> {
        let d = self.dossier(code)?;
        self.receipt_of(&d, layout)
    }

    fn receipt_of(&self, d: &Dossier, layout: Option<ReceiptLayout>) -> Result<Rendered> {
        let settings = self.settings()?;
        let data = self.receipt_data(d, &settings)?;
        let layout = layout.unwrap_or(settings.receipt_layout);
        let bytes = receipt::render_receipt(&data, layout.for_renderer())?;
        self.keep(Form::Receipt, d, bytes)
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
        self.keep(Form::Supplement, &d, receipt::render_supplement(&data)?)
    }

    /// Mẫu 03 with the reason for refusing; a copy is kept.
    pub fn refusal_form(&self, code: &str, reason: &str) -> Result<Rendered> {
        let d = self.dossier(code)?;
        let settings = self.settings()?;
        let data = receipt::RefusalData {
            header: self.header(&settings)?,
            issued_on: self.now().date_naive(),
            applicant_name: d.applicant.full_name.clone(),
            address: d.applicant.address.clone().unwrap_or_default(),
            phone: d.applicant.phone.clone().unwrap_or_default(),
            email: d.applicant.email.clone().unwrap_or_default(),
            procedure_name: d.procedure.name.clone(),
            reason: reason.to_string(),
            clerk_name: self.clerk_name(&d.clerk),
        };
        self.keep(Form::Refusal, &d, receipt::render_refusal(&data)?)
    }

    /// Mẫu 05: the apology with a new appointment, which must be later than the old one;
    /// a copy is kept.
    pub fn apology_form(
        &self,
        code: &str,
        reason: &str,
        new_due: NaiveDateTime,
    ) -> Result<Rendered> {
        let d = self.dossier(code)?;
        let Some(original_due) = d.due_at else {
            return Err(AppError::Refused(format!(
                "hồ sơ {} chưa có ngày hẹn trả nên không lập phiếu hẹn lại",
                d.code
            )));
        };
        if new_due <= original_due {
            return Err(AppError::field(
                motcua_core::Field::Date,
                format!(
                    "ngày hẹn mới phải sau ngày hẹn cũ ({})",
                    original_due.format("%H:%M ngày %d/%m/%Y")
                ),
            ));
        }
        let settings = self.settings()?;
        let header = self.header(&settings)?;
        let data = receipt::ApologyData {
            number: None,
            issued_on: self.now().date_naive(),
            recipient: d.applicant.full_name.clone(),
            received_at: d.received_at,
            procedure_name: d.procedure.name.clone(),
            code: d.code.to_string(),
            original_due,
            reason: reason.to_string(),
            new_due,
            signer_title: format!("TM. {}", header.name.to_uppercase()),
            signer_name: String::new(),
            header,
        };
        self.keep(Form::Apology, &d, receipt::render_apology(&data)?)
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
            header,
            from,
            to,
            rows,
        };
        Ok(Ledger {
            bytes: receipt::render_ledger(&data)?,
            rows: dossiers.len(),
        })
    }

    /// The ledger of `from ..= to`, rendered and kept under `receipts/<year>/` (to print
    /// or to hand on as a file); with its number of rows.
    pub fn ledger_kept(&self, from: NaiveDate, to: NaiveDate) -> Result<(Rendered, usize)> {
        let ledger = self.ledger(from, to)?;
        let rendered = self.keep_as(
            Form::Ledger,
            from.year(),
            format!("{}_{}", from.format("%Y%m%d"), to.format("%Y%m%d")),
            ledger.bytes,
        )?;
        Ok((rendered, ledger.rows))
    }

    /// Renders and keeps the receipt, then sends it to the printer (the request's, else
    /// the station's, else the system default) with the station's number of copies. The
    /// dossier is already saved: a failure says so and where the PDF is for reprint.
    /// The other forms print one copy.
    pub fn print_receipt(&self, code: &str, req: &PrintRequest) -> Result<Printed> {
        let d = self.dossier(code)?;
        let rendered = self.receipt_of(&d, None)?;
        self.print_rendered(&rendered, req)
    }

    /// Sends an already rendered form to paper (see [`Counter::print_receipt`]).
    pub fn print_rendered(&self, rendered: &Rendered, req: &PrintRequest) -> Result<Printed> {
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
        let job = p
            .print(&rendered.kept, printer.as_deref(), copies, &title)
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
mod tests {
    use super::*;
    use crate::counter::testing::*;
    use crate::print::{PrintError, Recorded, RecordingPrinter};
    use crate::settings::Key;

    #[test]
    fn place_names() {
        assert_eq!(place_from("UBND xã Tân Lập"), "Tân Lập");
        assert_eq!(place_from("Ủy ban nhân dân phường Ba Đình"), "Ba Đình");
        assert_eq!(place_from("Xã Đông Sơn"), "Đông Sơn");
        assert_eq!(place_from("UBND"), "UBND");
    }

    #[test]
    fn statutory_times() {
        assert_eq!(statutory_time("3wd"), "03 ngày làm việc");
        assert_eq!(statutory_time("same-day"), "trong ngày");
        assert_eq!(statutory_time("30d"), "30 ngày");
        assert_eq!(statutory_time("4wh"), "04 giờ làm việc");
    }

    #[test]
    fn receipt_is_rendered_and_kept_private() {
        let mut f = fixture();
        let r = f.counter.receive(&form("Nguyễn Văn An")).unwrap();
        let code = r.dossier.code.to_string();
        let pdf = f.counter.receipt(&code, Some(ReceiptLayout::A5x2)).unwrap();
        assert!(pdf.bytes.starts_with(b"%PDF"));
        assert_eq!(std::fs::read(&pdf.kept).unwrap(), pdf.bytes);
        assert!(
            pdf.kept
                .ends_with(format!("receipts/2026/{code}-mau01.pdf"))
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&pdf.kept).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0);
        }
    }

    #[test]
    fn printing_uses_the_settings_and_a_failure_keeps_the_pdf() {
        let mut f = fixture();
        let code = f
            .counter
            .receive(&form("A"))
            .unwrap()
            .dossier
            .code
            .to_string();
        f.counter.set_setting(Key::Printer, "Quay2").unwrap();
        f.counter.set_setting(Key::Copies, "2").unwrap();
        let p = f
            .counter
            .print_receipt(&code, &PrintRequest::default())
            .unwrap();
        assert!(
            matches!(&p.delivered, Delivered::Printed { job, copies: 2 } if job.printer == "Quay2")
        );
        let rec = f.printer.recorded();
        assert!(
            matches!(&rec[0], Recorded::Printed { printer, copies: 2, title, .. }
            if printer == "Quay2" && title == &format!("GiayTiepNhan-{code}"))
        );

        let mut broken = fixture_with(RecordingPrinter::with_printers(&["PDF"]).failing(
            PrintError::Refused {
                printer: "PDF".into(),
                detail: "hết giấy".into(),
            },
        ));
        let code = broken
            .counter
            .receive(&form("B"))
            .unwrap()
            .dossier
            .code
            .to_string();
        let e = broken
            .counter
            .print_receipt(&code, &PrintRequest::default())
            .unwrap_err();
        assert!(e.to_string().contains("vẫn được lưu an toàn"), "{e}");
        assert!(e.log_line().contains("hết giấy"), "{}", e.log_line());
        let AppError::PrintFailed { kept, .. } = &e else {
            panic!("{e:?}")
        };
        assert!(kept.exists());
        assert!(broken.counter.dossier(&code).is_ok());
    }

    #[test]
    fn no_printer_anywhere_opens_the_viewer_when_asked() {
        let mut f = fixture_with(RecordingPrinter::default());
        let code = f
            .counter
            .receive(&form("A"))
            .unwrap()
            .dossier
            .code
            .to_string();
        let e = f
            .counter
            .print_receipt(&code, &PrintRequest::default())
            .unwrap_err();
        assert!(
            e.log_line().contains("chưa chọn máy in"),
            "{}",
            e.log_line()
        );
        let p = f
            .counter
            .print_receipt(
                &code,
                &PrintRequest {
                    viewer_fallback: true,
                    ..PrintRequest::default()
                },
            )
            .unwrap();
        assert_eq!(p.delivered, Delivered::Opened);
        assert_eq!(f.printer.recorded(), [Recorded::Opened(p.kept)]);
    }

    #[test]
    fn letters_and_ledger() {
        let mut f = fixture();
        let d = f.counter.receive(&form("A")).unwrap().dossier;
        let code = d.code.to_string();
        assert!(f.counter.supplement_form(&code, &[], None).is_err());
        let s = f
            .counter
            .supplement_form(&code, &["Bản sao giấy khai sinh".into()], Some("thiếu"))
            .unwrap();
        assert!(s.kept.ends_with(format!("{code}-mau02.pdf")));
        f.counter
            .refusal_form(&code, "không thuộc thẩm quyền")
            .unwrap();
        let old = d.due_at.unwrap();
        assert!(f.counter.apology_form(&code, "chậm", old).is_err());
        f.counter
            .apology_form(&code, "chậm", old + chrono::Duration::days(2))
            .unwrap();
        let day = d.received_at.date();
        let l = f.counter.ledger(day, day).unwrap();
        assert_eq!(l.rows, 1);
        let (kept, rows) = f.counter.ledger_kept(day, day).unwrap();
        assert_eq!(rows, 1);
        assert!(
            kept.kept
                .ends_with("receipts/2026/20261125_20261125-so-theo-doi.pdf")
        );
        assert!(
            f.counter
                .print_rendered(&kept, &PrintRequest::default())
                .is_ok()
        );
        assert!(f.counter.ledger(day, day.pred_opt().unwrap()).is_err());
    }
}
