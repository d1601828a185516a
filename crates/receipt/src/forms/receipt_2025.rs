//! Mẫu 01 of the 2025 set (TT 03/2025/TT-VPCP Phụ lục I): GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ
//! KẾT QUẢ, line by line as docs/forms.md §2 gives it [R-BYT]. The copies, the QR code,
//! the lookup secret and the copy labels are motcua's additions, shared with the 2018
//! receipt (whether TT 03 allows them is [U]).

use super::common::{self, Agency, Signer, field, pair, phone_email};
use super::receipt::{self as shared, title_block};
use crate::RenderError;
use crate::canvas::MM;
use crate::datefmt::{format_date_line, format_instant_vi};
use crate::flow::{Flow, Style};
use crate::font::Fonts;
use crate::layout::reg;
use crate::model::{Layout, PartyKind, Proxy, ReceiptData};
use crate::qr::Qr;
use crate::text::clean_with;

/// The authorisation clause, printed before the proxy's details [R-BYT].
pub(crate) const PROXY_CLAUSE: &str = "(Trường hợp ủy quyền thì cung cấp thêm thông tin của người ủy quyền, bao gồm: họ và tên, địa chỉ, số định danh cá nhân, số điện thoại, email, giấy tờ ủy quyền).";
/// The digital-signature line under the receiving clerk (lower-case "người" as in BM.01).
pub(crate) const DIGITAL_RECEIVER: &str =
    "(Chữ ký số của người tiếp nhận hồ sơ nếu là biểu mẫu điện tử)";

/// Every field cleaned and formatted once, shared by both copies.
struct Prepared {
    agency: Agency,
    number: Option<String>,
    date_line: String,
    code: String,
    secret: String,
    applicant: String,
    id_number: String,
    address: String,
    phone: String,
    email: String,
    proxy: Option<Proxy>,
    submitter: String,
    procedure: String,
    documents: Vec<(String, String, u32)>,
    sets: u32,
    statutory: String,
    received: String,
    due: String,
    delivery: String,
    book: String,
    entry: String,
    clerk: String,
}

impl Prepared {
    fn new(fonts: &Fonts, d: &ReceiptData) -> Self {
        let c = |s: &str| clean_with(fonts, s);
        let agency = Agency::new(fonts, &d.header);
        let applicant = c(&d.applicant_name);
        let proxy = d.proxy.as_ref().map(|p| Proxy {
            name: c(&p.name),
            id_number: c(&p.id_number),
            address: c(&p.address),
            phone: c(&p.phone),
            email: c(&p.email),
            authorisation: c(&p.authorisation),
        });
        let representative = d.representative.as_deref().map(c).unwrap_or_default();
        // Who signs as NGƯỜI NỘP HỒ SƠ: the proxy when one files, else an organisation's
        // representative, else the applicant in person (an organisation with neither
        // leaves the line to be written by hand).
        let submitter = match (&proxy, d.applicant_kind) {
            (Some(p), _) if !p.name.is_empty() => p.name.clone(),
            _ if !representative.is_empty() => representative,
            (_, PartyKind::Person) => applicant.clone(),
            (_, PartyKind::Organisation) => String::new(),
        };
        Self {
            number: d.number.as_deref().map(c).filter(|n| !n.is_empty()),
            date_line: format_date_line(&agency.place, d.received_at.date()),
            agency,
            code: c(&d.code),
            secret: c(&d.lookup_secret),
            id_number: d.id_number.as_deref().map(c).unwrap_or_default(),
            applicant,
            address: c(&d.address),
            phone: c(&d.phone),
            email: c(&d.email),
            proxy,
            submitter,
            procedure: c(&d.procedure_name),
            documents: d
                .documents
                .iter()
                .map(|l| (c(&l.name), c(&l.kind), l.count))
                .collect(),
            sets: d.sets,
            statutory: c(&d.statutory_time),
            received: format_instant_vi(d.received_at),
            due: d.due_at.map(format_instant_vi).unwrap_or_default(),
            delivery: c(&d.result_delivery),
            book: c(&d.ledger_book),
            entry: c(&d.ledger_entry),
            clerk: c(&d.clerk_name),
        }
    }
}

/// Renders both copies.
pub(crate) fn render(
    fonts: &'static Fonts,
    data: &ReceiptData,
    layout: Layout,
) -> Result<crate::Form, RenderError> {
    let p = Prepared::new(fonts, data);
    shared::render_with(fonts, data, layout, true, |flow, style, copy, qr| {
        draw_copy(flow, style, &p, copy, qr);
    })
}

/// A value followed by the full stop the form prints after its dotted leader.
fn full_stop(value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        format!("{value}.")
    }
}

fn draw_copy(flow: &mut Flow, style: &Style, p: &Prepared, copy: &str, qr: Option<&Qr>) {
    let fonts = flow.fonts();
    let header = common::header(
        fonts,
        style,
        flow.width(),
        &p.agency.left_2025(),
        p.number.as_deref().map(|n| format!("Số: {n}")).as_deref(),
        &p.date_line,
    );
    flow.block(header);
    flow.gap(style.body * 0.9);
    // Title, then "Mã hồ sơ" as the form's first line; the lookup secret and the copy
    // label follow it, beside the QR code.
    title_block(flow, style, &p.code, &p.secret, copy, qr);
    flow.gap(style.body * 0.6);

    // "Trung tâm Phục vụ hành chính công/Bộ phận Tiếp nhận và Trả kết quả…": one of
    // the two, by name [U: which one a commune prints is a station setting].
    flow.body(&[reg(&p.agency.unit)]);
    pair(
        flow,
        field("Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức", &p.applicant),
        field("Số định danh cá nhân/tổ chức", &p.id_number),
    );
    // The source writes "Đia chỉ" (sic).
    flow.body(&field("Địa chỉ", &p.address));
    flow.body(&phone_email(&p.phone, &p.email));
    if let Some(proxy) = &p.proxy {
        proxy_block(flow, style, proxy);
    }
    flow.body(&field("Nội dung yêu cầu giải quyết", &p.procedure));

    // Keep the list heading with its first item. The source numbers the documents
    // "1", "2", "3." and none of the other lines [R-BYT; whether numbers were lost in
    // the conversion is U].
    flow.ensure(style.body_line() * 2.0 + style.para_gap);
    if p.documents.is_empty() {
        // Nothing was marked as handed in: the receipt says so rather than list anything.
        flow.body(&[reg(format!(
            "Thành phần hồ sơ nộp gồm: {}",
            shared::NO_DOCUMENTS
        ))]);
    } else {
        flow.body(&[reg("Thành phần hồ sơ nộp gồm:")]);
    }
    let item_indent = style.indent + 4.0 * MM;
    let labels: Vec<String> = (1..=p.documents.len()).map(|i| format!("{i}.")).collect();
    let hang = flow.hang(&labels, item_indent);
    for (label, (name, kind, count)) in labels.iter().zip(&p.documents) {
        let detail = if kind.is_empty() {
            format!("({count:02})")
        } else {
            format!("({kind}: {count:02})")
        };
        flow.item(label, &[reg(format!("{name} ")), reg(detail)], hang);
    }
    flow.gap(style.para_gap);
    flow.body(&[reg(format!("Số lượng hồ sơ: {:02} (bộ)", p.sets))]);
    flow.body(&field(
        "Thời gian giải quyết hồ sơ theo quy định là",
        &p.statutory,
    ));
    flow.body(&field("Thời gian nhận hồ sơ", &full_stop(&p.received)));
    // No colon after "hồ sơ" in the source [R-BYT]; kept as printed there.
    let mut due = vec![reg("Thời gian trả kết quả giải quyết hồ sơ")];
    if !p.due.is_empty() {
        due.push(reg(format!(" {}", full_stop(&p.due))));
    }
    flow.body(&due);
    flow.body(&field("Đăng ký nhận kết quả tại", &p.delivery));
    // "Quyển số.... Số thứ tự.......... (nếu có)": printed when the dossier has its
    // ledger entry, without the "(nếu có)" instruction (the source also repeats the
    // line's first half on its own, a copying slip [U]).
    if !(p.book.is_empty() && p.entry.is_empty()) {
        pair(
            flow,
            vec![reg(format!("Vào Sổ theo dõi hồ sơ, Quyển số {}", p.book))],
            vec![reg(format!("Số thứ tự {}", p.entry))],
        );
    }

    flow.gap(style.body * 0.5);
    common::signatures(
        flow,
        style,
        Some(&Signer::new("NGƯỜI NỘP HỒ SƠ", p.submitter.clone())),
        &Signer::new("NGƯỜI TIẾP NHẬN HỒ SƠ", p.clerk.clone()).digital(DIGITAL_RECEIVER),
    );
}

/// The authorisation clause and the six items it asks for: họ và tên with số định danh cá
/// nhân on one line as the applicant's line pairs them, then địa chỉ, số điện thoại and
/// email, giấy tờ ủy quyền (the labels are the clause's words; the form has no lines for
/// them, [U]). The clause names
/// "người ủy quyền" (literally the principal); motcua prints the applicant on "Tiếp
/// nhận hồ sơ của" and the person who files under the authorisation here, the loose
/// reading provincial systems use [U: docs/forms.md §9, open question 3].
fn proxy_block(flow: &mut Flow, style: &Style, proxy: &Proxy) {
    flow.ensure(style.body_line() * 3.0);
    flow.body(&[reg(PROXY_CLAUSE)]);
    pair(
        flow,
        field("Họ và tên", &proxy.name),
        field("Số định danh cá nhân", &proxy.id_number),
    );
    flow.body(&field("Địa chỉ", &proxy.address));
    flow.body(&phone_email(&proxy.phone, &proxy.email));
    flow.body(&field("Giấy tờ ủy quyền", &proxy.authorisation));
}
