//! One national record read into a [`Procedure`]: its channels, cases, documents, legal
//! basis and who handles it, every refusal naming the record's number, code and field.

use super::term::{MappedTerm, map_term, term_fields};
use super::{
    default_fee, default_term, document_flags, document_name, number_vi, sentence_case, tidy,
};
use crate::catalog::{
    ChannelTerms, HandledBy, LegalBasis, Procedure, ProcedureCase, RequiredDocument,
    SubmissionMethod, is_procedure_code,
};
use crate::dossier::DocumentKind;
use crate::text::fold;
use crate::validation::{Field, ValidationError};
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// One record being read, for errors that name it.
pub(super) struct Rec<'a> {
    pub(super) n: usize,
    pub(super) code: String,
    pub(super) o: &'a Map<String, Value>,
}

impl<'a> Rec<'a> {
    /// Unwraps the portal's envelope and reads the code.
    pub(super) fn open(n: usize, raw: &'a Value) -> Result<Rec<'a>, ValidationError> {
        let at =
            |why: String| ValidationError::new(Field::Procedure, format!("bản ghi số {n}: {why}"));
        let mut o = raw
            .as_object()
            .ok_or_else(|| at("không phải một đối tượng JSON".into()))?;
        // The crawler's wrapper {id, code, name, detail}: the record is `detail`.
        if !o.contains_key("executionMethods")
            && let Some(Value::Object(detail)) = o.get("detail")
        {
            o = detail;
        }
        if let Some(data) = o.get("data") {
            match o.get("code").and_then(Value::as_str) {
                Some("OK") => {}
                other => {
                    return Err(at(format!(
                        "phản hồi của cổng có code «{}», không phải OK",
                        other.unwrap_or("(không có)")
                    )));
                }
            }
            o = data
                .as_object()
                .ok_or_else(|| at("trường «data» không phải một đối tượng".into()))?;
        }
        let code = match o.get("code").or_else(|| o.get("codeNotation")) {
            Some(Value::String(s)) => s.trim().to_string(),
            Some(_) => return Err(at("trường «code» phải là chuỗi".into())),
            None => return Err(at("thiếu trường «code» (mã thủ tục)".into())),
        };
        if !is_procedure_code(&code) {
            return Err(at(format!(
                "trường «code»: mã thủ tục «{}» không đúng dạng 1.001193",
                code.chars().take(40).collect::<String>()
            )));
        }
        Ok(Rec { n, code, o })
    }

    pub(super) fn err(&self, field: &str, why: &str) -> ValidationError {
        ValidationError::new(
            Field::Procedure,
            format!(
                "bản ghi số {} (mã {}), trường «{field}»: {why}",
                self.n, self.code
            ),
        )
    }

    fn string(
        &self,
        o: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<Option<String>, ValidationError> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.err(path, "phải là chuỗi")),
        }
    }

    fn number(
        &self,
        o: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<Option<f64>, ValidationError> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .map(Some)
                .ok_or_else(|| self.err(path, "không phải số dùng được")),
            Some(_) => Err(self.err(path, "phải là số")),
        }
    }

    /// A number, or a number written as text ("15"), or other text ("Không quá 03 ngày
    /// làm việc"), which the record sometimes gives instead.
    fn number_or_text(
        &self,
        o: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<(Option<f64>, Option<String>), ValidationError> {
        match o.get(key) {
            Some(Value::String(s)) => Ok((None, Some(s.clone()))),
            _ => Ok((self.number(o, key, path)?, None)),
        }
    }

    fn array<'b>(
        &self,
        o: &'b Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<&'b [Value], ValidationError> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(self.err(path, "phải là mảng")),
        }
    }

    fn object<'b>(
        &self,
        v: &'b Value,
        path: &str,
    ) -> Result<&'b Map<String, Value>, ValidationError> {
        v.as_object()
            .ok_or_else(|| self.err(path, "phải là đối tượng"))
    }

    fn optional_object(
        &self,
        o: &'a Map<String, Value>,
        key: &str,
    ) -> Result<Option<&'a Map<String, Value>>, ValidationError> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => self.object(v, key).map(Some),
        }
    }

    /// The procedure, and the dates the record was updated / listed from.
    pub(super) fn convert(&self) -> Result<(Procedure, Vec<NaiveDate>), ValidationError> {
        let o = self.o;
        let name = tidy(&self.string(o, "name", "name")?.unwrap_or_default());
        if name.is_empty() {
            return Err(self.err("name", "thiếu tên thủ tục"));
        }
        let listing = self.optional_object(o, "x_listing")?;
        let counter = self.optional_object(o, "x_counter")?;
        let unconfirmed: Vec<String> = self
            .array(o, "x_unconfirmed", "x_unconfirmed")?
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| self.err(&format!("x_unconfirmed[{i}]"), "phải là chuỗi"))
            })
            .collect::<Result<_, _>>()?;
        let mut dates = Vec::new();
        if let Some(ms) = self.number(o, "updatedAt", "updatedAt")? {
            dates.push(self.date_of_ms(ms, "updatedAt")?);
        }
        if let Some(l) = listing
            && let Some(d) = self.string(l, "activeFrom", "x_listing.activeFrom")?
        {
            dates.push(
                NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                    .map_err(|_| self.err("x_listing.activeFrom", "phải là ngày YYYY-MM-DD"))?,
            );
        }

        let field = self.field(listing)?;
        let channels = self.channels()?;
        let cases = self.cases(&name)?;
        let (fee, fee_unconfirmed) = default_fee(&channels, &unconfirmed);
        let handled_by = self.handled_by(counter)?;
        let offered = match counter.and_then(|c| c.get("offerByDefault")) {
            None | Some(Value::Null) => handled_by != Some(HandledBy::CommunePolice),
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(self.err("x_counter.offerByDefault", "phải là true hoặc false")),
        };
        let mut procedure = Procedure {
            code: self.code.clone(),
            name,
            field,
            term: None,
            term_unconfirmed: true,
            term_note: None,
            term_none: false,
            fee,
            fee_unconfirmed,
            documents: self.documents()?,
            offered,
            handled_by,
            cases,
            channels,
            legal_basis: self.legal_basis()?,
            source: Some(self.source(listing, dates.first().copied())?),
        };
        (
            procedure.term,
            procedure.term_unconfirmed,
            procedure.term_note,
            procedure.term_none,
        ) = default_term(&procedure, &unconfirmed, self.o);
        Ok((procedure, dates))
    }

    fn date_of_ms(&self, ms: f64, path: &str) -> Result<NaiveDate, ValidationError> {
        let secs = (ms / 1000.0).floor();
        chrono::DateTime::from_timestamp(secs as i64, 0)
            .map(|t| t.with_timezone(&crate::vn_offset()).date_naive())
            .filter(|d| (2000..=2100).contains(&chrono::Datelike::year(d)))
            .ok_or_else(|| self.err(path, "không phải thời điểm hợp lệ (mili giây từ 1970)"))
    }

    /// Lĩnh vực: the national categories, else the listing's.
    fn field(&self, listing: Option<&Map<String, Value>>) -> Result<String, ValidationError> {
        let mut names = Vec::new();
        for (i, c) in self
            .array(self.o, "categoriesDetails", "categoriesDetails")?
            .iter()
            .enumerate()
        {
            let path = format!("categoriesDetails[{i}]");
            let c = self.object(c, &path)?;
            if let Some(n) = self.string(c, "name", &format!("{path}.name"))? {
                names.push(tidy(&n));
            }
        }
        if names.is_empty()
            && let Some(c) = self.optional_object(self.o, "category")?
            && let Some(n) = self.string(c, "name", "category.name")?
        {
            names.push(tidy(&n));
        }
        if names.is_empty() {
            for (i, c) in self
                .array(self.o, "categories", "categories")?
                .iter()
                .enumerate()
            {
                match c {
                    Value::String(s) => names.push(tidy(s)),
                    _ => return Err(self.err(&format!("categories[{i}]"), "phải là chuỗi")),
                }
            }
        }
        if names.is_empty()
            && let Some(l) = listing
            && let Some(f) = self.string(l, "localField", "x_listing.localField")?
        {
            names.push(sentence_case(&tidy(&f)));
        }
        names.retain(|n| !n.is_empty());
        names.dedup();
        Ok(names.join(", "))
    }

    fn channels(&self) -> Result<Vec<ChannelTerms>, ValidationError> {
        let methods = self.array(self.o, "executionMethods", "executionMethods")?;
        let mut out = Vec::with_capacity(methods.len());
        let mut raw_variants = Vec::with_capacity(methods.len());
        for (j, m) in methods.iter().enumerate() {
            let path = format!("executionMethods[{j}]");
            let m = self.object(m, &path)?;
            let method = match self
                .string(m, "submissionMethod", &format!("{path}.submissionMethod"))?
                .as_deref()
            {
                Some("DIRECT") => SubmissionMethod::Direct,
                Some("POSTAL") => SubmissionMethod::Postal,
                Some("ONLINE") => SubmissionMethod::Online,
                Some(other) => {
                    return Err(self.err(
                        &format!("{path}.submissionMethod"),
                        &format!(
                            "«{}» không phải DIRECT, POSTAL hoặc ONLINE",
                            other.chars().take(30).collect::<String>()
                        ),
                    ));
                }
                None => {
                    return Err(
                        self.err(&format!("{path}.submissionMethod"), "thiếu cách thức nộp")
                    );
                }
            };
            let (qty, text) =
                self.number_or_text(m, "processingTime", &format!("{path}.processingTime"))?;
            let unit = self.string(
                m,
                "processingTimeUnit",
                &format!("{path}.processingTimeUnit"),
            )?;
            let description = self.string(m, "description", &format!("{path}.description"))?;
            let mapped = map_term(
                qty,
                text.as_deref(),
                unit.as_deref(),
                description.as_deref(),
            );
            let mut fees = Vec::new();
            for (k, f) in self
                .array(m, "fees", &format!("{path}.fees"))?
                .iter()
                .enumerate()
            {
                let fpath = format!("{path}.fees[{k}]");
                fees.push(self.fee(self.object(f, &fpath)?, &fpath)?);
            }
            let fee = fees.join("; ");
            let described = description
                .map(|d| {
                    tidy(&d)
                        .trim_start_matches(['+', '-', '*', ' '])
                        .to_string()
                })
                .filter(|d| !d.is_empty());
            // A text listing lettered variants ("a) Không quá 05 ngày … b) …") gives one
            // entry per variant, named by its own text.
            if let MappedTerm::Variants(parts, note) = mapped {
                for (term, part) in parts {
                    let entry = ChannelTerms {
                        method,
                        term: Some(term),
                        term_unconfirmed: true,
                        term_note: Some(note.clone()),
                        term_none: false,
                        fee: fee.clone(),
                        fee_unconfirmed: false,
                        variant: Some(part),
                    };
                    if !out.contains(&entry) {
                        out.push(entry);
                        raw_variants.push(None);
                    }
                }
                continue;
            }
            let (term, term_unconfirmed, term_note, term_none) = term_fields(mapped);
            let entry = ChannelTerms {
                method,
                term,
                term_unconfirmed,
                term_note,
                term_none,
                fee,
                fee_unconfirmed: false,
                variant: None,
            };
            // The same entry listed twice (1.013896 lists DIRECT twice) is one entry.
            if let Some(i) = out.iter().position(|e| e == &entry) {
                if raw_variants[i] != described {
                    raw_variants[i] = None;
                }
                continue;
            }
            out.push(entry);
            raw_variants.push(described);
        }
        // The description names the variant only where one channel has several entries.
        for (i, variant) in raw_variants.into_iter().enumerate() {
            let method = out[i].method;
            if out[i].variant.is_none() && out.iter().filter(|c| c.method == method).count() > 1 {
                out[i].variant = variant;
            }
        }
        Ok(out)
    }

    /// One fee as text: "Lệ phí: 2.000 đồng/trang".
    fn fee(&self, f: &Map<String, Value>, path: &str) -> Result<String, ValidationError> {
        let kind = match self.string(f, "type", &format!("{path}.type"))?.as_deref() {
            Some("FEE") => "Lệ phí".to_string(),
            Some("SERVICE_FEE") => "Phí".to_string(),
            Some("PRICE_LEVEL") => "Mức giá".to_string(),
            None | Some("") => "Phí, lệ phí".to_string(),
            Some(other) => tidy(other),
        };
        let value = self.number(f, "value", &format!("{path}.value"))?;
        let currency = match self
            .string(f, "currencyName", &format!("{path}.currencyName"))?
            .map(|c| tidy(&c))
        {
            None => "đồng".to_string(),
            Some(c) if c.is_empty() || fold(&c).contains("dong") || c == "VND" => {
                "đồng".to_string()
            }
            Some(c) => c,
        };
        let description = tidy(
            &self
                .string(f, "description", &format!("{path}.description"))?
                .unwrap_or_default(),
        );
        let mut s = match value {
            Some(v) if v < 0.0 => return Err(self.err(&format!("{path}.value"), "mức thu âm")),
            Some(v) => format!("{kind}: {} {currency}", number_vi(v)),
            None => format!("{kind}:"),
        };
        if description.starts_with('/') {
            s.push_str(&description);
        } else if !description.is_empty() {
            s.push_str(if value.is_some() { " — " } else { " " });
            s.push_str(&description);
        } else if value.is_none() {
            s.push_str(" không ghi mức thu");
        }
        Ok(s)
    }

    fn cases(&self, procedure_name: &str) -> Result<Vec<ProcedureCase>, ValidationError> {
        let mut out: Vec<ProcedureCase> = Vec::new();
        for (k, c) in self.array(self.o, "cases", "cases")?.iter().enumerate() {
            let path = format!("cases[{k}]");
            let c = self.object(c, &path)?;
            let code = self
                .string(c, "code", &format!("{path}.code"))?
                .map(|s| tidy(&s))
                .filter(|s| !s.is_empty())
                .ok_or_else(|| self.err(&format!("{path}.code"), "thiếu mã trường hợp"))?;
            // Kept as published: real records give the procedure's own code, another
            // procedure's case, `1.014.036.01`, ` 1.014489.01` (trimmed here).
            if !crate::catalog::is_case_code(&code) {
                return Err(self.err(
                    &format!("{path}.code"),
                    &format!(
                        "mã trường hợp «{}» không dùng được (khoảng trắng, «#» hoặc dài quá {} ký tự)",
                        code.chars().take(40).collect::<String>(),
                        crate::catalog::CASE_CODE_MAX
                    ),
                ));
            }
            let name = tidy(
                &self
                    .string(c, "name", &format!("{path}.name"))?
                    .unwrap_or_default(),
            );
            let mapped = match self.optional_object(c, "processingDay")? {
                None => MappedTerm::Absent,
                Some(d) => {
                    let (qty, text) =
                        self.number_or_text(d, "qty", &format!("{path}.processingDay.qty"))?;
                    let unit = self.string(d, "type", &format!("{path}.processingDay.type"))?;
                    map_term(qty, text.as_deref(), unit.as_deref(), None)
                }
            };
            let (term, term_unconfirmed, term_note, term_none) = term_fields(mapped);
            let case = ProcedureCase {
                code,
                name: if name.is_empty() {
                    procedure_name.to_string()
                } else {
                    name
                },
                term,
                term_unconfirmed,
                term_note,
                term_none,
                fee: String::new(),
                fee_unconfirmed: false,
                channels: Vec::new(),
            };
            // A case listed twice word for word is one case; two different cases under
            // one code (1.002759.02) are both kept and told apart by their position.
            if !out.contains(&case) {
                out.push(case);
            }
        }
        out.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(out)
    }

    fn documents(&self) -> Result<Vec<RequiredDocument>, ValidationError> {
        let mut out = Vec::new();
        let groups = self.array(self.o, "executionCases", "executionCases")?;
        for (g, group) in groups.iter().enumerate() {
            let path = format!("executionCases[{g}]");
            let group = self.object(group, &path)?;
            let label = tidy(
                &self
                    .string(group, "name", &format!("{path}.name"))?
                    .unwrap_or_default(),
            );
            let label = label
                .trim_start_matches(['*', '-', ' '])
                .trim_end_matches([':', ' '])
                .to_string();
            for (k, item) in self
                .array(
                    group,
                    "profileComponents",
                    &format!("{path}.profileComponents"),
                )?
                .iter()
                .enumerate()
            {
                let ipath = format!("{path}.profileComponents[{k}]");
                let item = self.object(item, &ipath)?;
                let name = self
                    .string(item, "name", &format!("{ipath}.name"))?
                    .ok_or_else(|| self.err(&format!("{ipath}.name"), "thiếu tên giấy tờ"))?;
                let original = self
                    .number(item, "originalQty", &format!("{ipath}.originalQty"))?
                    .unwrap_or(0.0);
                let copy = self
                    .number(item, "copyQty", &format!("{ipath}.copyQty"))?
                    .unwrap_or(0.0);
                // Notes are written as components with no copies at all.
                if original <= 0.0 && copy <= 0.0 {
                    continue;
                }
                let name = document_name(&name);
                if name.is_empty() {
                    continue;
                }
                let kind = if original > 0.0 {
                    DocumentKind::Original
                } else if fold(&name).contains("chung thuc") {
                    DocumentKind::CertifiedCopy
                } else {
                    DocumentKind::Copy
                };
                let (conditional, channel) = document_flags(&name);
                let doc = RequiredDocument {
                    name,
                    kind,
                    group: (!label.is_empty()).then(|| label.clone()),
                    conditional,
                    presented: fold(&label).contains("xuat trinh"),
                    channel,
                };
                if !out.contains(&doc) {
                    out.push(doc);
                }
            }
        }
        Ok(out)
    }

    fn legal_basis(&self) -> Result<Vec<LegalBasis>, ValidationError> {
        let mut out: Vec<LegalBasis> = Vec::new();
        for (i, l) in self
            .array(self.o, "legalBasisesDetails", "legalBasisesDetails")?
            .iter()
            .enumerate()
        {
            let path = format!("legalBasisesDetails[{i}]");
            let l = self.object(l, &path)?;
            let code = tidy(
                &self
                    .string(l, "code", &format!("{path}.code"))?
                    .unwrap_or_default(),
            );
            let name = tidy(
                &self
                    .string(l, "name", &format!("{path}.name"))?
                    .unwrap_or_default(),
            );
            if (code.is_empty() && name.is_empty())
                || out.iter().any(|o| o.code == code && o.name == name)
            {
                continue;
            }
            out.push(LegalBasis { code, name });
        }
        Ok(out)
    }

    fn handled_by(
        &self,
        counter: Option<&Map<String, Value>>,
    ) -> Result<Option<HandledBy>, ValidationError> {
        if let Some(c) = counter
            && let Some(h) = self.string(c, "handledBy", "x_counter.handledBy")?
        {
            return HandledBy::parse(h.trim()).map(Some).ok_or_else(|| {
                self.err(
                    "x_counter.handledBy",
                    &format!(
                        "«{}» không phải commune, shared, commune_or_shared, province hoặc commune_police",
                        h.chars().take(40).collect::<String>()
                    ),
                )
            });
        }
        let mut police = false;
        for (i, d) in self
            .array(self.o, "departmentsExecuting", "departmentsExecuting")?
            .iter()
            .enumerate()
        {
            let path = format!("departmentsExecuting[{i}]");
            let d = self.object(d, &path)?;
            let code = self
                .string(d, "code", &format!("{path}.code"))?
                .unwrap_or_default();
            let name = fold(
                &self
                    .string(d, "name", &format!("{path}.name"))?
                    .unwrap_or_default(),
            );
            if code == "BCA_CAX" || name.contains("cong an cap xa") {
                police = true;
            }
        }
        // Công an cấp xã among the executing bodies makes it a police procedure only when
        // the record names no commune People's Committee as executing it too (1.004946,
        // child protection, lists the police and "Ủy ban nhân dân cấp xã", whose Chủ tịch
        // decides).
        let commune_named = self
            .array(self.o, "unitGroupsExecuting", "unitGroupsExecuting")?
            .iter()
            .filter_map(|g| g.as_object())
            .filter_map(|g| g.get("name").and_then(Value::as_str))
            .map(fold)
            .any(|n| n.contains("uy ban nhan dan cap xa") || n.contains("ubnd cap xa"));
        if police && !commune_named {
            return Ok(Some(HandledBy::CommunePolice));
        }
        let flag = |k: &str| self.o.get(k).and_then(Value::as_bool).unwrap_or(false);
        Ok(match (flag("isWard"), flag("isProvince")) {
            (true, false) => Some(HandledBy::Commune),
            (true, true) => Some(HandledBy::CommuneOrShared),
            (false, true) => Some(HandledBy::Province),
            (false, false) => None,
        })
    }

    /// Where the procedure's data comes from, in a line.
    fn source(
        &self,
        listing: Option<&Map<String, Value>>,
        updated: Option<NaiveDate>,
    ) -> Result<String, ValidationError> {
        let detail = self.string(self.o, "x_detail", "x_detail")?;
        let has_detail = self.o.contains_key("executionMethods") || self.o.contains_key("cases");
        let mut parts = Vec::new();
        match detail.as_deref() {
            Some("none") => parts.push("không có trong CSDL quốc gia về TTHC; tên theo danh mục niêm yết".to_string()),
            Some("list_item") => parts.push("Cổng DVCQG: chỉ có tên trong danh mục quốc gia (không có thời hạn, phí, thành phần hồ sơ)".to_string()),
            _ if has_detail => {
                let mut s = "Cổng DVCQG: bản ghi chi tiết".to_string();
                if let Some(d) = updated {
                    s += &format!(" cập nhật {}", d.format("%d/%m/%Y"));
                }
                if let Some(p) = self.optional_object(self.o, "procedureProposal")?
                    && let Some(n) = self.string(p, "proposalNumber", "procedureProposal.proposalNumber")?
                    && !n.trim().is_empty()
                {
                    s += &format!(" (công bố: {})", tidy(&n));
                }
                parts.push(s);
            }
            _ => parts.push("Cổng DVCQG".to_string()),
        }
        if let Some(l) = listing {
            let decisions: Vec<String> = self
                .array(l, "decisions", "x_listing.decisions")?
                .iter()
                .filter_map(|d| d.as_str().map(tidy))
                .filter(|d| !d.is_empty())
                .collect();
            let mut s = "danh mục niêm yết".to_string();
            if !decisions.is_empty() {
                s += &format!(": {}", decisions.join(", "));
            }
            if let Some(u) = self
                .string(l, "articleUrl", "x_listing.articleUrl")?
                .filter(|u| !u.trim().is_empty())
            {
                s += &format!(" ({})", u.trim());
            }
            parts.push(s);
        }
        Ok(parts.join("; "))
    }
}
