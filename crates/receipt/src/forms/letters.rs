//! The one-copy A4 forms of the 2018 set: Mẫu 02 (PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ
//! SƠ), Mẫu 03 (PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ) and Mẫu 04 (PHIẾU XIN LỖI VÀ HẸN
//! LẠI NGÀY TRẢ KẾT QUẢ; motcua called it Mẫu 05 until the 2025 set, wrongly under both
//! sets), and the one-page letter frame the 2025 letters share. Wording follows TT
//! 01/2018/TT-VPCP as far as it is known; the sentences of 03 and 04 around the caller's
//! fields have not been checked against the gazette.

use super::common::{self, Agency, HeaderLeft, Signer, field, phone_email};
use crate::canvas::Canvas;
use crate::datefmt::{format_date_line, format_instant_vi};
use crate::flow::{Flow, Paper, Para, Slots, Style};
use crate::font::Fonts;
use crate::layout::{Align, Span, bold, reg};
use crate::model::{ApologyData, RefusalData, SupplementData};
use crate::text::clean_with;
use chrono::{NaiveDate, NaiveDateTime};

/// Title of Mẫu 02.
pub(crate) const SUPPLEMENT_TITLE: &str = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ";
/// Title of Mẫu 03.
pub(crate) const REFUSAL_TITLE: &str = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ";
/// Title of Mẫu 04.
pub(crate) const APOLOGY_TITLE: &str = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ";

/// Ends a caller's sentence with a full stop unless it already ends with punctuation.
pub(crate) fn sentence(s: &str) -> String {
    if s.is_empty() || s.ends_with(['.', '!', '?', '…']) {
        s.to_owned()
    } else {
        format!("{s}.")
    }
}

/// Runs `body` on a fresh A4 flow under the NĐ 30 header and the title, and saves.
#[allow(clippy::too_many_arguments)]
pub(crate) fn letter(
    fonts: &'static Fonts,
    agency: &Agency,
    left: &HeaderLeft,
    number: Option<&str>,
    date: NaiveDate,
    title: &str,
    subtitles: &[Vec<Span>],
    dated: NaiveDateTime,
    body: impl FnOnce(&mut Flow, &Style),
) -> crate::Form {
    let style = Style::A4;
    let mut canvas = Canvas::new(fonts);
    let mut slots = Slots::new(Paper::A4Portrait);
    {
        let mut flow = Flow::new(&mut canvas, &mut slots, style);
        let date_line = format_date_line(&agency.place, date);
        let header = common::header(fonts, &style, flow.width(), left, number, &date_line);
        flow.block(header);
        flow.gap(style.body * 1.2);
        common::title(&mut flow, &style, title, subtitles);
        flow.gap(style.body * 0.8);
        body(&mut flow, &style);
    }
    canvas.finish(title, dated)
}

/// Mẫu 02.
pub(crate) fn supplement(fonts: &'static Fonts, d: &SupplementData) -> crate::Form {
    let c = |s: &str| clean_with(fonts, s);
    let agency = Agency::new(fonts, &d.header);
    let number = d.number.as_deref().map(|n| format!("Số: {}/HDHS", c(n)));
    let code = d.code.as_deref().map(c).filter(|s| !s.is_empty());
    let subtitles: Vec<Vec<Span>> = code
        .iter()
        .map(|code| vec![bold("Mã hồ sơ: "), bold(code)])
        .collect();
    let items: Vec<String> = d.items.iter().map(|s| c(s)).collect();
    let (applicant, procedure) = (c(&d.applicant_name), c(&d.procedure_name));
    let (address, phone, email) = (c(&d.address), c(&d.phone), c(&d.email));
    let (reason, contact, contact_phone) = (c(&d.reason), c(&d.contact_name), c(&d.contact_phone));
    let guide = c(&d.guide_name);
    let dated = d.issued_on.and_time(chrono::NaiveTime::MIN);
    letter(
        fonts,
        &agency,
        &agency.left_2018(Some(common::UNIT)),
        number.as_deref(),
        d.issued_on,
        SUPPLEMENT_TITLE,
        &subtitles,
        dated,
        |flow, style| {
            flow.body(&field("Hồ sơ của", &applicant));
            flow.body(&field("Nội dung yêu cầu giải quyết", &procedure));
            flow.body(&field("Địa chỉ", &address));
            flow.body(&phone_email(&phone, &email));
            flow.ensure(style.body_line() * 2.0 + style.para_gap);
            flow.body(&[reg("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:")]);
            let labels: Vec<String> = (1..=items.len()).map(|i| format!("{i}.")).collect();
            let hang = flow.hang(&labels, style.indent);
            for (label, item) in labels.iter().zip(&items) {
                flow.item(label, &[reg(item)], hang);
                flow.gap(style.para_gap / 2.0);
            }
            flow.gap(style.para_gap / 2.0);
            flow.body(&field("Lý do", &reason));
            flow.body(&[reg(format!(
                "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với {contact} \
                 số điện thoại {contact_phone} để được hướng dẫn./."
            ))]);
            flow.gap(style.body * 0.5);
            common::signatures(flow, style, None, &Signer::new("NGƯỜI HƯỚNG DẪN", guide));
        },
    )
}

/// Mẫu 03.
pub(crate) fn refusal(fonts: &'static Fonts, d: &RefusalData) -> crate::Form {
    let c = |s: &str| clean_with(fonts, s);
    let agency = Agency::new(fonts, &d.header);
    let (applicant, procedure) = (c(&d.applicant_name), c(&d.procedure_name));
    let (address, phone, email) = (c(&d.address), c(&d.phone), c(&d.email));
    let (reason, clerk) = (c(&d.reason), c(&d.clerk_name));
    let dated = d.issued_on.and_time(chrono::NaiveTime::MIN);
    letter(
        fonts,
        &agency,
        &agency.left_2018(Some(common::UNIT)),
        None,
        d.issued_on,
        REFUSAL_TITLE,
        &[],
        dated,
        |flow, style| {
            flow.body(&[reg(format!(
                "Bộ phận tiếp nhận và trả kết quả {}",
                agency.name
            ))]);
            flow.body(&field("Tiếp nhận hồ sơ của", &applicant));
            flow.body(&field("Địa chỉ", &address));
            flow.body(&phone_email(&phone, &email));
            flow.body(&field("Nội dung yêu cầu giải quyết", &procedure));
            flow.body(&[
                reg(
                    "Sau khi xem xét, đối chiếu thành phần hồ sơ với các quy định hiện hành, \
                     Bộ phận tiếp nhận và trả kết quả từ chối tiếp nhận giải quyết hồ sơ này \
                     với lý do cụ thể như sau: ",
                ),
                reg(&reason),
            ]);
            flow.body(&[reg("Xin thông báo cho Ông/Bà được biết và thực hiện./.")]);
            flow.gap(style.body * 0.5);
            common::signatures(
                flow,
                style,
                None,
                &Signer::new("NGƯỜI TIẾP NHẬN HỒ SƠ", clerk),
            );
        },
    )
}

/// Mẫu 04.
pub(crate) fn apology(fonts: &'static Fonts, d: &ApologyData) -> crate::Form {
    let c = |s: &str| clean_with(fonts, s);
    let agency = Agency::new(fonts, &d.header);
    let number = d
        .number
        .as_deref()
        .map(c)
        .filter(|n| !n.is_empty())
        .map(|n| format!("Số: {n}"));
    let recipient = c(&d.recipient);
    let (procedure, code, reason) = (c(&d.procedure_name), c(&d.code), c(&d.reason));
    let signer = Signer {
        title: d
            .signer_title
            .lines()
            .map(c)
            .filter(|l| !l.is_empty())
            .map(|l| crate::text::upper(&l))
            .collect(),
        note: "(Ký, ghi rõ họ tên và đóng dấu)",
        digital: None,
        name: c(&d.signer_name),
    };
    let dated = d.issued_on.and_time(chrono::NaiveTime::MIN);
    let (received, original, new_due) = (
        format_instant_vi(d.received_at),
        format_instant_vi(d.original_due),
        format_instant_vi(d.new_due),
    );
    letter(
        fonts,
        &agency,
        &agency.left_2018(None),
        number.as_deref(),
        d.issued_on,
        APOLOGY_TITLE,
        &[],
        dated,
        |flow, style| {
            flow.para(
                &Para::new(style.body, style.spacing, Align::Center),
                &[reg("Kính gửi: "), reg(&recipient)],
            );
            flow.gap(style.body);
            let name = &agency.name;
            flow.body(&[reg(format!(
                "Vào {received}, {name} đã tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết thủ \
                 tục hành chính: {}",
                sentence(&procedure)
            ))]);
            flow.body(&[reg("Mã hồ sơ: "), reg(&code)]);
            flow.body(&[reg(format!(
                "Thời gian hẹn trả kết quả giải quyết hồ sơ: {original}."
            ))]);
            flow.body(&[reg(format!(
                "Tuy nhiên đến nay, {name} chưa trả kết quả giải quyết hồ sơ của Ông/Bà, lý \
                 do: {}",
                sentence(&reason)
            ))]);
            flow.body(&[reg(format!(
                "{name} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào \
                 {new_due}."
            ))]);
            flow.body(&[reg(
                "Mong nhận được sự thông cảm của Ông/Bà vì sự chậm trễ này./.",
            )]);
            flow.gap(style.body * 0.5);
            common::signatures(flow, style, None, &signer);
        },
    )
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn sentences_end_once() {
        assert_eq!(sentence("Thiếu giấy tờ"), "Thiếu giấy tờ.");
        assert_eq!(sentence("Thiếu giấy tờ."), "Thiếu giấy tờ.");
        assert_eq!(sentence(""), "");
    }
}
