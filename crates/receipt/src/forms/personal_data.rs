//! The answer to a person's request to see the personal data the one-stop unit holds
//! about them (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15; NĐ 356/2025/NĐ-CP): an A4
//! letter under the NĐ 30 header listing every dossier that names the person, with what
//! it records of them and what was done to it. No official form for this letter was
//! found: the title and wording are motcua's own, **unconfirmed** (docs/personal-data.md).

use super::common::{self, Agency, Signer, field};
use super::letters::letter;
use crate::datefmt::format_instant_vi;
use crate::flow::Para;
use crate::font::Fonts;
use crate::layout::{Align, bold, reg};
use crate::model::PersonalDataLetter;
use crate::text::clean_with;

/// The letter's title [U].
pub(crate) const TITLE: &str = "THÔNG BÁO CUNG CẤP DỮ LIỆU CÁ NHÂN";

pub(crate) fn render(fonts: &'static Fonts, d: &PersonalDataLetter) -> crate::Form {
    let c = |s: &str| clean_with(fonts, s);
    let agency = Agency::new(fonts, &d.header);
    let recipient = c(&d.recipient);
    let id = c(&d.id_number);
    let signer = c(&d.signer_name);
    letter(
        fonts,
        &agency,
        &agency.left_2025(),
        None,
        d.issued_at.date(),
        TITLE,
        &[],
        d.issued_at,
        |flow, style| {
            let to = if recipient.is_empty() {
                "…………".to_string()
            } else {
                format!("Ông/Bà {recipient}")
            };
            flow.para(
                &Para::new(style.body, style.spacing, Align::Center),
                &[reg("Kính gửi: "), reg(to)],
            );
            flow.gap(style.body);
            flow.body(&field("Số định danh cá nhân", &id));
            let unit = &agency.unit;
            flow.body(&[reg(format!(
                "Theo đề nghị của Ông/Bà, {unit} cung cấp dữ liệu cá nhân của Ông/Bà đang \
                 được lưu trong sổ theo dõi hồ sơ tại thời điểm {}.",
                format_instant_vi(d.issued_at)
            ))]);
            if d.dossiers.is_empty() {
                flow.body(&[reg(
                    "Sổ theo dõi hồ sơ không có hồ sơ nào ghi số định danh này \
                     (là người nộp, chủ hồ sơ hoặc người được ủy quyền).",
                )]);
            } else {
                flow.body(&[reg(format!(
                    "Số hồ sơ có ghi số định danh của Ông/Bà: {}.",
                    d.dossiers.len()
                ))]);
            }
            for (n, x) in d.dossiers.iter().enumerate() {
                flow.ensure(style.body_line() * 4.0);
                flow.gap(style.para_gap / 2.0);
                flow.body(&[
                    bold(format!("{}. Hồ sơ {}: ", n + 1, c(&x.code))),
                    bold(c(&x.procedure_name)),
                ]);
                flow.body(&field("Ông/Bà là", &c(&x.role)));
                flow.body(&field(
                    "Thời gian tiếp nhận",
                    &format_instant_vi(x.received_at),
                ));
                flow.body(&field("Trạng thái", &c(&x.status)));
                for (label, value) in &x.fields {
                    flow.body(&field(&c(label), &c(value)));
                }
                if !x.history.is_empty() {
                    flow.body(&[reg("Quá trình giải quyết:")]);
                    let labels: Vec<String> = x.history.iter().map(|_| "–".to_string()).collect();
                    let hang = flow.hang(&labels, style.indent);
                    for line in &x.history {
                        flow.item("–", &[reg(c(line))], hang);
                    }
                }
                flow.body(&field(
                    "Số lượt cán bộ xem, tìm thấy, in hoặc xuất hồ sơ",
                    &x.accesses.to_string(),
                ));
            }
            flow.gap(style.para_gap / 2.0);
            flow.body(&[reg(
                "Dữ liệu trên được xử lý để giải quyết thủ tục hành chính theo nhiệm vụ \
                 luật định. Nếu dữ liệu chưa chính xác, Ông/Bà có quyền đề nghị đính chính \
                 tại Bộ phận Một cửa; hồ sơ thủ tục hành chính được lưu trữ theo quy định \
                 nên đề nghị xóa có thể bị từ chối./.",
            )]);
            flow.gap(style.body * 0.5);
            common::signatures(flow, style, None, &Signer::new("NGƯỜI CUNG CẤP", signer));
        },
    )
}
