//! The one-copy A4 letters of the 2025 set (TT 03/2025/TT-VPCP Phụ lục I), worded as
//! docs/forms.md gives them: Mẫu 02 (PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ, §3),
//! Mẫu 03 (PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ, §4), Mẫu 04 (PHIẾU XIN LỖI VÀ ĐỀ
//! NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT, §5), all [R-BYT], and Mẫu 05 (THÔNG BÁO DỪNG GIẢI
//! QUYẾT HỒ SƠ, §6), whose body no source shows: motcua's own wording, built from TT
//! 03/2025 Điều 7 and the sister forms, **unconfirmed**.
//!
//! Fill-ins inside a sentence that the caller leaves empty print as a dotted leader, to
//! be written by hand; a labelled line keeps its label alone.

use super::common::{self, Agency, Signer, field, phone_email};
use super::letters::{self, letter, sentence};
use crate::datefmt::{format_date_vi, format_hour_date_vi, format_instant_vi};
use crate::flow::{Flow, Para, Style};
use crate::font::Fonts;
use crate::layout::{Align, Span, bold, reg};
use crate::model::{ApologyData, RefusalData, StopData, SupplementData};
use crate::text::{clean_with, upper};
use chrono::{NaiveDate, NaiveTime};

/// Title of Mẫu 02 (unchanged from 2018).
pub(crate) const SUPPLEMENT_TITLE: &str = letters::SUPPLEMENT_TITLE;
/// Title of Mẫu 03 (unchanged from 2018).
pub(crate) const REFUSAL_TITLE: &str = letters::REFUSAL_TITLE;
/// Title of Mẫu 04 as the body heads it [R-BYT]. The TT 03 list calls the form "Mẫu Văn
/// bản xin lỗi…": whether the primary heading opens with "PHIẾU" or "VĂN BẢN" is [U].
pub(crate) const APOLOGY_TITLE: &str = "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT";
/// Title of Mẫu 05, from the form's name in the TT 03 list [R-list]; the capitalised
/// heading itself is [U].
pub(crate) const STOP_TITLE: &str = "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ";
/// Mẫu 04's signer [R-BYT].
pub(crate) const APOLOGY_SIGNER: &str = "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ";
/// What Mẫu 05 says of the dossier and fees when the caller says nothing [U].
pub(crate) const STOP_DISPOSITION: &str =
    "Việc trả lại hồ sơ và phí, lệ phí đã nộp (nếu có) được thực hiện theo quy định.";

/// The dotted leader printed for an empty fill-in inside a sentence.
const LEADER: &str = "…………";

/// `value`, or the dotted leader when it is empty.
fn or_leader(value: &str) -> &str {
    if value.is_empty() { LEADER } else { value }
}

/// "Ngày 05 tháng 3 năm 2026" (capitalised, opening a sentence).
fn date_opening(date: NaiveDate) -> String {
    let mut s = format_date_vi(date);
    s.replace_range(0..1, "N");
    s
}

/// "Label value" with no colon, where the form has none ("Số điện thoại……").
fn plain(label: &str, value: &str) -> Vec<Span> {
    if value.is_empty() {
        vec![reg(label)]
    } else {
        vec![reg(format!("{label} ")), reg(value)]
    }
}

/// The header's "Số:" line from the caller's reference.
fn number_line(fonts: &Fonts, number: Option<&str>) -> Option<String> {
    number
        .map(|n| clean_with(fonts, n))
        .filter(|n| !n.is_empty())
        .map(|n| format!("Số: {n}"))
}

/// "Kính gửi: …", centred (the conversion lost the alignment: centred as NĐ 30 sets the
/// addressee, [U]).
fn addressee(flow: &mut Flow, style: &Style, recipient: &str) {
    flow.para(
        &Para::new(style.body, style.spacing, Align::Center),
        &[reg("Kính gửi: "), reg(or_leader(recipient))],
    );
    flow.gap(style.body);
}

/// Mẫu 02.
pub(crate) fn supplement(fonts: &'static Fonts, d: &SupplementData) -> crate::Form {
    let c = |s: &str| clean_with(fonts, s);
    let agency = Agency::new(fonts, &d.header);
    let number = number_line(fonts, d.number.as_deref());
    // The dossier code is not on the 2025 form [R-BYT]; motcua keeps it under the title
    // to tie the slip to its dossier (harmless as an addition, [U] whether allowed).
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
    letter(
        fonts,
        &agency,
        &agency.left_2025(),
        number.as_deref(),
        d.issued_on,
        SUPPLEMENT_TITLE,
        &subtitles,
        d.issued_on.and_time(NaiveTime::MIN),
        |flow, style| {
            flow.body(&field("Hồ sơ của", &applicant));
            flow.body(&field("Nội dung yêu cầu giải quyết", &procedure));
            flow.body(&field("Địa chỉ", &address));
            // "Số điện thoại......Email:" [R-BYT]: no colon after the first label.
            let mut contact_line = plain("Số điện thoại", &phone);
            contact_line.push(reg(" \u{2003}\u{2003}"));
            contact_line.extend(field("Email", &email));
            flow.body(&contact_line);
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
                "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với {} \
                 số điện thoại {} để được hướng dẫn./.",
                or_leader(&contact),
                or_leader(&contact_phone)
            ))]);
            flow.gap(style.body * 0.5);
            common::signatures(
                flow,
                style,
                None,
                &Signer::new("NGƯỜI HƯỚNG DẪN", guide)
                    .digital("(Chữ ký số của Người hướng dẫn nếu là biểu mẫu điện tử)"),
            );
        },
    )
}

/// Mẫu 03.
pub(crate) fn refusal(fonts: &'static Fonts, d: &RefusalData) -> crate::Form {
    let c = |s: &str| clean_with(fonts, s);
    let agency = Agency::new(fonts, &d.header);
    let number = number_line(fonts, d.number.as_deref());
    let (applicant, procedure) = (c(&d.applicant_name), c(&d.procedure_name));
    let id = d.id_number.as_deref().map(c).unwrap_or_default();
    let code = d.code.as_deref().map(c).unwrap_or_default();
    let (address, phone, email) = (c(&d.address), c(&d.phone), c(&d.email));
    // The reason "on its own lines": each line the caller wrote is a paragraph.
    let reasons: Vec<String> = d.reason.lines().map(c).filter(|l| !l.is_empty()).collect();
    let (submitter, clerk) = (c(&d.submitter_name), c(&d.clerk_name));
    letter(
        fonts,
        &agency,
        &agency.left_2025(),
        number.as_deref(),
        d.issued_on,
        REFUSAL_TITLE,
        &[],
        d.issued_on.and_time(NaiveTime::MIN),
        |flow, style| {
            flow.body(&[reg(&agency.unit)]);
            flow.body(&field("Tiếp nhận hồ sơ của", &applicant));
            flow.body(&field("Số định danh cá nhân/tổ chức", &id));
            flow.body(&field("Địa chỉ", &address));
            flow.body(&phone_email(&phone, &email));
            flow.body(&field("Mã hồ sơ (nếu có)", &code));
            flow.body(&field("Nội dung yêu cầu giải quyết", &procedure));
            flow.body(&[reg(
                "Qua xem xét, Bộ phận Tiếp nhận và Trả kết quả thông báo không tiếp nhận, \
                 giải quyết hồ sơ này với lý do cụ thể như sau:",
            )]);
            for reason in &reasons {
                flow.body(&[reg(reason)]);
            }
            flow.body(&[reg("Xin thông báo cho Ông/Bà được biết và thực hiện./.")]);
            flow.gap(style.body * 0.5);
            common::signatures(
                flow,
                style,
                Some(&Signer::new("NGƯỜI NỘP HỒ SƠ", submitter)),
                &Signer::new("NGƯỜI TIẾP NHẬN HỒ SƠ", clerk)
                    .digital("(Chữ ký số của Người tiếp nhận hồ sơ nếu là biểu mẫu điện tử)"),
            );
        },
    )
}

/// Mẫu 04. "(tên cơ quan, đơn vị)" is the agency that decides and is late (it signs);
/// the source's stray ")" after "Tổ chức" is dropped, and the filled sentences end with a
/// full stop.
pub(crate) fn apology(fonts: &'static Fonts, d: &ApologyData) -> crate::Form {
    let c = |s: &str| clean_with(fonts, s);
    let agency = Agency::new(fonts, &d.header);
    let number = number_line(fonts, d.number.as_deref());
    let recipient = c(&d.recipient);
    let (applicant, procedure, code) = (c(&d.applicant_name), c(&d.procedure_name), c(&d.code));
    let id = d.id_number.as_deref().map(c).unwrap_or_default();
    let reason = c(&d.reason);
    let mut title: Vec<String> = d
        .signer_title
        .lines()
        .map(c)
        .filter(|l| !l.is_empty())
        .map(|l| upper(&l))
        .collect();
    if title.is_empty() {
        title.push(APOLOGY_SIGNER.to_owned());
    }
    let signer = Signer {
        title,
        note: "(Ký và ghi rõ họ tên)",
        digital: Some("(Chữ ký số của Thủ trưởng cơ quan, đơn vị nếu là biểu mẫu điện tử)"),
        name: c(&d.signer_name),
    };
    letter(
        fonts,
        &agency,
        &agency.left_2025(),
        number.as_deref(),
        d.issued_on,
        APOLOGY_TITLE,
        &[],
        d.issued_on.and_time(NaiveTime::MIN),
        |flow, style| {
            addressee(flow, style, &recipient);
            let name = &agency.name;
            flow.body(&[reg(format!(
                "{}, {name} tiếp nhận giải quyết hồ sơ đề nghị giải quyết thủ tục hành chính \
                 {} của Ông/Bà/Tổ chức {}; số định danh: {}; mã số hồ sơ: {}",
                date_opening(d.received_at.date()),
                or_leader(&procedure),
                or_leader(&applicant),
                or_leader(&id),
                sentence(or_leader(&code))
            ))]);
            flow.body(&[reg(format!(
                "Thời gian hẹn trả kết quả giải quyết hồ sơ: {}.",
                format_hour_date_vi(d.original_due)
            ))]);
            flow.body(&[reg(format!(
                "Tuy nhiên đến nay, {name} chưa trả kết quả giải quyết hồ sơ của Ông/Bà/Tổ \
                 chức đúng thời hạn quy định ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
            ))]);
            flow.body(&field("Lý do", &reason));
            flow.body(&[reg(format!(
                "{name} xin trân trọng gửi lời xin lỗi đến Ông (Bà)/Tổ chức vì sự chậm trễ \
                 trong quá trình giải quyết hồ sơ có thể gây phiền hà, tốn kém về chi phí, công \
                 sức của Ông (Bà)/Tổ chức."
            ))]);
            flow.body(&[reg(format!(
                "{name} xin lỗi Ông/Bà/Tổ chức và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà/Tổ \
                 chức vào {}.",
                format_date_vi(d.new_due.date())
            ))]);
            flow.body(&[reg(
                "Mong nhận được sự thông cảm của Ông/Bà/Tổ chức vì sự chậm trễ này./.",
            )]);
            flow.gap(style.body * 0.5);
            common::signatures(flow, style, None, &signer);
        },
    )
}

/// Mẫu 05, **unconfirmed**: no source shows its body (QĐ 3621/QĐ-BYT leaves it out; no
/// provincial decision or public code reproduces it). The fields follow docs/forms.md
/// §6 (header and number, Kính gửi, the applicant as on Mẫu 03, code, procedure and
/// date received, the stop request's date and channel, the statement that handling
/// stops, the dossier and fees, a signature with the digital line); the sentences use
/// the words of TT 03/2025 Điều 7 ("yêu cầu dừng thực hiện thủ tục hành chính trực tiếp
/// hoặc qua dịch vụ bưu chính", "chưa có quyết định giải quyết thủ tục hành chính hoặc
/// văn bản thông báo kết quả giải quyết thủ tục hành chính", "thông báo dừng giải quyết
/// hồ sơ"). Issued by the one-stop unit (Điều 7), signed here by the clerk as Mẫu 03
/// is; the signer's title is [U]. Replace with the gazette's text when it is found.
pub(crate) fn stop(fonts: &'static Fonts, d: &StopData) -> crate::Form {
    let c = |s: &str| clean_with(fonts, s);
    let agency = Agency::new(fonts, &d.header);
    let number = number_line(fonts, d.number.as_deref());
    let recipient = c(&d.recipient);
    let (applicant, procedure, code) = (c(&d.applicant_name), c(&d.procedure_name), c(&d.code));
    let id = d.id_number.as_deref().map(c).unwrap_or_default();
    let (address, phone, email) = (c(&d.address), c(&d.phone), c(&d.email));
    let reason = c(&d.reason);
    let disposition = match c(&d.disposition) {
        s if s.is_empty() => STOP_DISPOSITION.to_owned(),
        s => sentence(&s),
    };
    let request = d.request.as_ref().map(|r| (r.on, c(&r.channel)));
    let signer = c(&d.signer_name);
    letter(
        fonts,
        &agency,
        &agency.left_2025(),
        number.as_deref(),
        d.issued_on,
        STOP_TITLE,
        &[],
        d.issued_on.and_time(NaiveTime::MIN),
        |flow, style| {
            addressee(flow, style, &recipient);
            let unit = &agency.unit;
            flow.body(&[reg(unit)]);
            flow.body(&field("Hồ sơ của", &applicant));
            flow.body(&field("Số định danh cá nhân/tổ chức", &id));
            flow.body(&field("Địa chỉ", &address));
            flow.body(&phone_email(&phone, &email));
            flow.body(&field("Mã hồ sơ", &code));
            flow.body(&field("Nội dung yêu cầu giải quyết", &procedure));
            flow.body(&field(
                "Thời gian nhận hồ sơ",
                &format!("{}.", format_instant_vi(d.received_at)),
            ));
            if let Some((on, channel)) = &request {
                let channel = if channel.is_empty() {
                    String::new()
                } else {
                    format!(" {channel}")
                };
                flow.body(&[reg(format!(
                    "{}, {unit} nhận được yêu cầu dừng thực hiện thủ tục hành chính{channel} \
                     của Ông/Bà/Tổ chức. Hồ sơ chưa có quyết định giải quyết thủ tục hành chính \
                     hoặc văn bản thông báo kết quả giải quyết thủ tục hành chính.",
                    date_opening(*on)
                ))]);
            }
            flow.body(&[reg(format!(
                "{unit} thông báo dừng giải quyết hồ sơ nêu trên."
            ))]);
            flow.body(&field("Lý do", &reason));
            flow.body(&[reg(&disposition)]);
            flow.body(&[reg("Xin thông báo cho Ông/Bà/Tổ chức được biết./.")]);
            flow.gap(style.body * 0.5);
            common::signatures(
                flow,
                style,
                None,
                &Signer::new("NGƯỜI TIẾP NHẬN HỒ SƠ", signer)
                    .digital("(Chữ ký số của Người tiếp nhận hồ sơ nếu là biểu mẫu điện tử)"),
            );
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_ins() {
        assert_eq!(or_leader(""), LEADER);
        assert_eq!(or_leader("A"), "A");
        let d = NaiveDate::from_ymd_opt(2026, 2, 5).expect("date");
        assert_eq!(date_opening(d), "Ngày 05 tháng 02 năm 2026");
    }
}
