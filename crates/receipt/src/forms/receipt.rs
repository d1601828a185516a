//! Mẫu 01: GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ, in two copies (Liên 1: Lưu,
//! Liên 2: Giao người nộp), with the lookup QR code beside the title, the dossier code
//! and the lookup secret. This module holds the 2018 body and the pieces both sets
//! share (paper, copies, the title block); `receipt_2025` holds the 2025 body.

use super::common::{self, Agency, Signer, field, phone_email};
use crate::RenderError;
use crate::canvas::{Canvas, MM};
use crate::datefmt::{format_date_line, format_instant_vi};
use crate::flow::{Block, Flow, Paper, Para, Slots, Style};
use crate::font::Fonts;
use crate::layout::{Align, bold, ital, reg};
use crate::model::{Layout, ReceiptData};
use crate::qr::Qr;
use crate::text::clean_with;

/// The form title.
pub(crate) const TITLE: &str = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ";
/// The two copies, in print order.
pub(crate) const COPIES: [&str; 2] = ["(Liên 1: Lưu)", "(Liên 2: Giao người nộp)"];

/// What the receipt says when the clerk marked no document as handed in.
pub(crate) const NO_DOCUMENTS: &str = "không có giấy tờ nộp kèm.";

/// Every field cleaned and formatted once, shared by both copies.
struct Prepared {
    agency: Agency,
    date_line: String,
    code: String,
    secret: String,
    applicant: String,
    id_number: Option<String>,
    owner: Option<String>,
    address: String,
    phone: String,
    email: String,
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
        let applicant = c(&d.applicant_name);
        let owner = d
            .owner_name
            .as_deref()
            .map(c)
            .filter(|o| !o.is_empty() && *o != applicant);
        let agency = Agency::new(fonts, &d.header);
        Self {
            date_line: format_date_line(&agency.place, d.received_at.date()),
            agency,
            code: c(&d.code),
            secret: c(&d.lookup_secret),
            id_number: d.id_number.as_deref().map(c).filter(|s| !s.is_empty()),
            owner,
            applicant,
            address: c(&d.address),
            phone: c(&d.phone),
            email: c(&d.email),
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

/// Renders both copies, each drawn by `draw` (the 2018 or the 2025 body). `tight`
/// halves the space between paragraphs and takes a fifth off the signature space, for
/// the 2025 body's extra lines (ID number, authorisation block, digital-signature line)
/// to leave a copy filed under an authorisation on one A4 page.
///
/// Documents are printed with their full published names, some of several hundred
/// characters: when a copy would run onto a second page, it is drawn again tighter, then
/// with the body a point smaller (12 pt, then 11 pt on A4; 10 pt on an A5 half), so that
/// a typical dossier of three documents keeps one page per copy; a copy that still does
/// not fit continues on the next page, nothing cut.
pub(crate) fn render_with(
    fonts: &'static Fonts,
    data: &ReceiptData,
    layout: Layout,
    tight: bool,
    mut draw: impl FnMut(&mut Flow, &Style, &str, Option<&Qr>),
) -> Result<crate::Form, RenderError> {
    // The smallest body a copy is drawn with to keep it on its page or half.
    let (base, paper, pages, smallest) = match layout {
        Layout::A4x2 => (Style::A4, Paper::A4Portrait, COPIES.len(), 11.0),
        Layout::A5x2 => (Style::A5, Paper::A5Halves, 1, 10.0),
    };
    let url = data.lookup_url.trim();
    let qr = if url.is_empty() {
        None
    } else {
        Some(Qr::encode(url)?)
    };
    let tighter = |mut s: Style| {
        s.para_gap /= 2.0;
        s.sign_space *= 0.8;
        s
    };
    let smaller = |mut s: Style, by: f32| {
        s.body -= by;
        s
    };
    let first = if tight { tighter(base) } else { base };
    let attempts = [
        first,
        tighter(first),
        smaller(tighter(first), 1.0),
        smaller(tighter(first), 2.0),
    ];
    let mut drawn = None;
    for style in attempts.into_iter().filter(|s| s.body >= smallest) {
        let mut canvas = Canvas::new(fonts);
        let mut slots = Slots::new(paper);
        for copy in COPIES {
            let mut flow = Flow::new(&mut canvas, &mut slots, style);
            draw(&mut flow, &style, copy, qr.as_ref());
        }
        let fits = canvas.page_count() <= pages;
        drawn = Some(canvas);
        if fits {
            break;
        }
    }
    let canvas = drawn.expect("at least one attempt is drawn");
    Ok(canvas.finish(TITLE, data.received_at))
}

/// Renders both copies of the 2018 receipt.
pub(crate) fn render(
    fonts: &'static Fonts,
    data: &ReceiptData,
    layout: Layout,
) -> Result<crate::Form, RenderError> {
    let p = Prepared::new(fonts, data);
    render_with(fonts, data, layout, false, |flow, style, copy, qr| {
        draw_copy(flow, style, &p, copy, qr);
    })
}

fn draw_copy(flow: &mut Flow, style: &Style, p: &Prepared, copy: &str, qr: Option<&Qr>) {
    let fonts = flow.fonts();
    let header = common::header(
        fonts,
        style,
        flow.width(),
        &p.agency.left_2018(Some(common::UNIT)),
        None,
        &p.date_line,
    );
    flow.block(header);
    flow.gap(style.body * 0.9);
    title_block(flow, style, &p.code, &p.secret, copy, qr);
    flow.gap(style.body * 0.6);

    flow.body(&[reg(format!(
        "Bộ phận tiếp nhận và trả kết quả {}",
        p.agency.name
    ))]);
    flow.body(&field("Tiếp nhận hồ sơ của", &p.applicant));
    if let Some(id) = &p.id_number {
        flow.body(&field("Số CCCD/định danh cá nhân", id));
    }
    if let Some(owner) = &p.owner {
        flow.body(&field("Chủ hồ sơ", owner));
    }
    flow.body(&field("Địa chỉ", &p.address));
    flow.body(&phone_email(&p.phone, &p.email));
    flow.body(&field("Nội dung yêu cầu giải quyết", &p.procedure));

    // Keep the list heading with its first item.
    flow.ensure(style.body_line() * 2.0 + style.para_gap);
    if p.documents.is_empty() {
        // Nothing was marked as handed in: the receipt says so rather than list anything.
        flow.body(&[reg(format!("1. Thành phần hồ sơ nộp gồm: {NO_DOCUMENTS}"))]);
    } else {
        flow.body(&[reg("1. Thành phần hồ sơ nộp gồm:")]);
    }
    let item_indent = style.indent + 4.0 * MM;
    let labels: Vec<String> = (1..=p.documents.len()).map(|i| format!("1.{i}.")).collect();
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
    flow.body(&[reg(format!("2. Số lượng hồ sơ: {:02} (bộ)", p.sets))]);
    flow.body(&field(
        "3. Thời gian giải quyết hồ sơ theo quy định là",
        &p.statutory,
    ));
    flow.body(&field("4. Thời gian nhận hồ sơ", &p.received));
    flow.body(&field("5. Thời gian trả kết quả giải quyết hồ sơ", &p.due));
    flow.body(&field("6. Đăng ký nhận kết quả tại", &p.delivery));
    let mut ledger = field("Vào Sổ theo dõi hồ sơ, Quyển số", &p.book);
    ledger.push(reg(" \u{2003}"));
    ledger.extend(field("Số thứ tự", &p.entry));
    flow.body(&ledger);

    flow.gap(style.body * 0.5);
    common::signatures(
        flow,
        style,
        Some(&Signer::new("NGƯỜI NỘP HỒ SƠ", p.applicant.clone())),
        &Signer::new("NGƯỜI TIẾP NHẬN HỒ SƠ", p.clerk.clone()),
    );
}

/// The title, the dossier code, the lookup secret and the copy label, centred, with the
/// lookup QR code on their right (kept together).
pub(crate) fn title_block(
    flow: &mut Flow,
    style: &Style,
    code: &str,
    secret: &str,
    copy: &str,
    qr: Option<&Qr>,
) {
    let fonts = flow.fonts();
    let side = qr.map_or(0.0, |q| q.side(style.qr_module));
    let text_w = flow.width() - if qr.is_some() { side + 2.0 * MM } else { 0.0 };
    let mut text = Block::new(text_w);
    text.para(fonts, &Para::heading(style.title, 1.17), &[bold(TITLE)]);
    let line = Para::new(style.body, style.spacing, Align::Center);
    text.para(fonts, &line, &[bold("Mã hồ sơ: "), bold(code)]);
    text.para(fonts, &line, &[reg("Mã tra cứu: "), bold(secret)]);
    text.para(fonts, &line, &[ital(copy)]);
    let height = side.max(text.height);
    flow.ensure(height);
    let (page, frame, top) = (flow.slot.page, flow.slot.frame, flow.y);
    if let Some(qr) = qr {
        let qr_top = top - (height - side) / 2.0;
        qr.draw(
            flow.canvas,
            page,
            frame.right - side,
            qr_top,
            style.qr_module,
        );
    }
    let text_top = top - (height - text.height) / 2.0;
    text.draw(flow.canvas, page, frame.left, text_top);
    flow.y -= height;
}
