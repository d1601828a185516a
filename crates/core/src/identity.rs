//! Identity data: the 12-digit personal ID number (CCCD / số định danh cá nhân), phone
//! numbers, email addresses and the QR string printed on the chip ID card.

use crate::validation::{Field, ValidationError};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Province codes of birth registration (digits 1–3): the 63 legacy provinces. The 34
/// provinces since 01/7/2025 kept codes from this set, and numbers issued before the merger
/// stay valid, so a legacy code is never rejected.
const PROVINCES: &[(&str, &str)] = &[
    ("001", "Hà Nội"),
    ("002", "Hà Giang"),
    ("004", "Cao Bằng"),
    ("006", "Bắc Kạn"),
    ("008", "Tuyên Quang"),
    ("010", "Lào Cai"),
    ("011", "Điện Biên"),
    ("012", "Lai Châu"),
    ("014", "Sơn La"),
    ("015", "Yên Bái"),
    ("017", "Hòa Bình"),
    ("019", "Thái Nguyên"),
    ("020", "Lạng Sơn"),
    ("022", "Quảng Ninh"),
    ("024", "Bắc Giang"),
    ("025", "Phú Thọ"),
    ("026", "Vĩnh Phúc"),
    ("027", "Bắc Ninh"),
    ("030", "Hải Dương"),
    ("031", "Hải Phòng"),
    ("033", "Hưng Yên"),
    ("034", "Thái Bình"),
    ("035", "Hà Nam"),
    ("036", "Nam Định"),
    ("037", "Ninh Bình"),
    ("038", "Thanh Hóa"),
    ("040", "Nghệ An"),
    ("042", "Hà Tĩnh"),
    ("044", "Quảng Bình"),
    ("045", "Quảng Trị"),
    ("046", "Thừa Thiên Huế"),
    ("048", "Đà Nẵng"),
    ("049", "Quảng Nam"),
    ("051", "Quảng Ngãi"),
    ("052", "Bình Định"),
    ("054", "Phú Yên"),
    ("056", "Khánh Hòa"),
    ("058", "Ninh Thuận"),
    ("060", "Bình Thuận"),
    ("062", "Kon Tum"),
    ("064", "Gia Lai"),
    ("066", "Đắk Lắk"),
    ("067", "Đắk Nông"),
    ("068", "Lâm Đồng"),
    ("070", "Bình Phước"),
    ("072", "Tây Ninh"),
    ("074", "Bình Dương"),
    ("075", "Đồng Nai"),
    ("077", "Bà Rịa - Vũng Tàu"),
    ("079", "Hồ Chí Minh"),
    ("080", "Long An"),
    ("082", "Tiền Giang"),
    ("083", "Bến Tre"),
    ("084", "Trà Vinh"),
    ("086", "Vĩnh Long"),
    ("087", "Đồng Tháp"),
    ("089", "An Giang"),
    ("091", "Kiên Giang"),
    ("092", "Cần Thơ"),
    ("093", "Hậu Giang"),
    ("094", "Sóc Trăng"),
    ("095", "Bạc Liêu"),
    ("096", "Cà Mau"),
];

/// The 34 provinces since 01/7/2025 (QĐ 19/2025/QĐ-TTg), by their three-digit ID prefix.
/// Where the prefix belongs to a merged province, its name today is given here.
pub(crate) const CURRENT_PROVINCES: &[(&str, &str)] = &[
    ("001", "Hà Nội"),
    ("004", "Cao Bằng"),
    ("008", "Tuyên Quang"),
    ("011", "Điện Biên"),
    ("012", "Lai Châu"),
    ("014", "Sơn La"),
    ("015", "Lào Cai"),
    ("019", "Thái Nguyên"),
    ("020", "Lạng Sơn"),
    ("022", "Quảng Ninh"),
    ("024", "Bắc Ninh"),
    ("025", "Phú Thọ"),
    ("031", "Hải Phòng"),
    ("033", "Hưng Yên"),
    ("037", "Ninh Bình"),
    ("038", "Thanh Hóa"),
    ("040", "Nghệ An"),
    ("042", "Hà Tĩnh"),
    ("044", "Quảng Trị"),
    ("046", "Huế"),
    ("048", "Đà Nẵng"),
    ("051", "Quảng Ngãi"),
    ("052", "Gia Lai"),
    ("056", "Khánh Hòa"),
    ("066", "Đắk Lắk"),
    ("068", "Lâm Đồng"),
    ("075", "Đồng Nai"),
    ("079", "Hồ Chí Minh"),
    ("080", "Tây Ninh"),
    ("082", "Đồng Tháp"),
    ("086", "Vĩnh Long"),
    ("091", "An Giang"),
    ("092", "Cần Thơ"),
    ("096", "Cà Mau"),
];

/// Sex as encoded in digit 4 of the ID number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// "Nam" / "Nữ".
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "Nam",
            Sex::Female => "Nữ",
        }
    }
}

/// What the 12 digits of an ID number say about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdNumber {
    /// The 12 digits.
    pub number: String,
    /// Three-digit province code of birth registration.
    pub province_code: String,
    /// Province name when the number was issued (legacy 63-province list).
    pub province: &'static str,
    /// The province today, when the code is one of the 34 current ones.
    pub current_province: Option<&'static str>,
    pub sex: Sex,
    pub birth_year: i32,
}

/// Parses and checks a 12-digit personal ID number against `today` (no birth year in the
/// future). Spaces and dots typed as separators are ignored.
pub fn parse_id_number(raw: &str, today: NaiveDate) -> Result<IdNumber, ValidationError> {
    let err = |why: &str| ValidationError::new(Field::IdNumber, why);
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(err("chỉ gồm chữ số"));
    }
    if digits.len() != 12 {
        return Err(err(&format!(
            "phải có đúng 12 chữ số (nhận được {})",
            digits.chars().count()
        )));
    }
    // Digits 1–3. NĐ 137/2015/NĐ-CP Điều 13 and TT 07/2016/TT-BCA Điều 7 say they are "mã
    // tỉnh, thành phố trực thuộc trung ương hoặc mã quốc gia nơi công dân đăng ký khai
    // sinh": the province code of the birth registration, or a country code for a
    // citizen whose birth was registered abroad. The province codes are the circular's
    // Phụ lục I (the 63 above, 001–096); the century/sex/year codes are its Phụ lục III.
    // No copy of a country-code list from the circular could be found, so no country code
    // can be told from a typing mistake: a prefix outside Phụ lục I stays refused, and the
    // message says what to do for a citizen born abroad (the field is optional).
    let province_code = &digits[..3];
    let province = PROVINCES
        .iter()
        .find(|(c, _)| *c == province_code)
        .map(|(_, n)| *n)
        .ok_or_else(|| {
            err(&format!(
                "mã tỉnh {province_code} không tồn tại (ba số đầu phải là mã tỉnh nơi đăng ký khai sinh, 001–096); kiểm tra lại số trên thẻ; nếu công dân đăng ký khai sinh ở nước ngoài (ba số đầu là mã quốc gia), để trống ô này và ghi số vào phần ghi chú"
            ))
        })?;
    let current_province = CURRENT_PROVINCES
        .iter()
        .find(|(c, _)| *c == province_code)
        .map(|(_, n)| *n);
    let d4 = digits.as_bytes()[3] - b'0';
    let century = 1900 + i32::from(d4 / 2) * 100;
    let sex = if d4.is_multiple_of(2) {
        Sex::Male
    } else {
        Sex::Female
    };
    let yy: i32 = digits[4..6]
        .parse()
        .map_err(|_| err("năm sinh không hợp lệ"))?;
    let birth_year = century + yy;
    if birth_year > today.year() {
        return Err(err(&format!("năm sinh {birth_year} ở tương lai")));
    }
    Ok(IdNumber {
        province_code: province_code.to_string(),
        number: digits,
        province,
        current_province,
        sex,
        birth_year,
    })
}

/// Normalises a Vietnamese phone number: separators dropped, `+84`/`0084`/`84` turned into
/// a leading 0. Mobiles are `0[35789]` + 8 digits; landlines `02` + 9 digits.
pub fn normalize_phone(raw: &str) -> Result<String, ValidationError> {
    let err = |why: &str| ValidationError::new(Field::Phone, why);
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    let national = if let Some(rest) = compact.strip_prefix("+84") {
        format!("0{rest}")
    } else if let Some(rest) = compact.strip_prefix("0084") {
        format!("0{rest}")
    } else if compact.len() == 11 && compact.starts_with("84") {
        format!("0{}", &compact[2..])
    } else {
        compact
    };
    if national.is_empty() || !national.chars().all(|c| c.is_ascii_digit()) {
        return Err(err("chỉ gồm chữ số (có thể bắt đầu bằng +84)"));
    }
    let b = national.as_bytes();
    let mobile = b.len() == 10 && b[0] == b'0' && matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9');
    let landline = b.len() == 11 && b[0] == b'0' && b[1] == b'2';
    if mobile || landline {
        Ok(national)
    } else {
        Err(err(
            "không đúng định dạng (di động 10 số bắt đầu 03, 05, 07, 08, 09; cố định 11 số bắt đầu 02)",
        ))
    }
}

/// Normalises an organisation's code (mã số doanh nghiệp / mã số thuế): 10 digits, or 10
/// digits, a dash and 3 digits for a branch or dependent unit (13 digits typed without the
/// dash get it back). Spaces and dots are dropped.
pub fn normalize_org_code(raw: &str) -> Result<String, ValidationError> {
    let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let code = match compact.split_once('-') {
        None if compact.len() == 10 && digits(&compact) => compact,
        None if compact.len() == 13 && digits(&compact) => {
            format!("{}-{}", &compact[..10], &compact[10..])
        }
        Some((main, branch))
            if main.len() == 10 && branch.len() == 3 && digits(main) && digits(branch) =>
        {
            format!("{main}-{branch}")
        }
        _ => {
            return Err(ValidationError::new(
                Field::IdNumber,
                "mã số của tổ chức phải gồm 10 chữ số (mã số doanh nghiệp, mã số thuế), hoặc 10 chữ số, dấu «-» và 3 chữ số với chi nhánh, đơn vị phụ thuộc",
            ));
        }
    };
    Ok(code)
}

/// Checks an email address: one `@`, a non-empty local part, a dotted domain, no spaces.
/// The domain is lowercased; the local part is kept as typed.
pub fn normalize_email(raw: &str) -> Result<String, ValidationError> {
    let err = |why: &str| ValidationError::new(Field::Email, why);
    let s = raw.trim();
    if s.len() > 254 {
        return Err(err("quá dài"));
    }
    let (local, domain) = s.split_once('@').ok_or_else(|| err("thiếu ký tự @"))?;
    let bad_char = |c: char| {
        c.is_whitespace()
            || crate::validation::forbidden_char(c).is_some()
            || matches!(c, '<' | '>' | ',' | ';' | '"' | '@')
    };
    if local.is_empty() || local.len() > 64 || local.chars().any(bad_char) {
        return Err(err("phần trước @ không hợp lệ"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(err("tên miền không hợp lệ"));
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

/// What the chip ID card's QR gives the counter, ready to prefill the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardPrefill {
    pub id_number: String,
    /// The old 9-digit CMND number, when the card carries one.
    pub old_id_number: Option<String>,
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub address: String,
    pub issued_on: NaiveDate,
}

/// The byte-order mark some keyboard-wedge scanners send before what they read.
const BOM: char = '\u{FEFF}';

/// Parses the chip ID card QR: `ID|old ID|name|ddMMyyyy|sex|address|ddMMyyyy`, then
/// possibly more fields: cards issued since 7/2024 and children's cards carry more (empty
/// trailing fields, the parents' names, …). Only the first seven are read; the rest never
/// reach the dossier. A leading byte-order mark is dropped. The sex and birth century must
/// agree with digit 4 of the ID number.
pub fn parse_card_qr(raw: &str, today: NaiveDate) -> Result<CardPrefill, ValidationError> {
    let err = |why: String| ValidationError::new(Field::QrCode, why);
    let s = crate::text::clean(raw.trim_start().trim_start_matches(BOM));
    let parts: Vec<&str> = s.split('|').map(str::trim).take(7).collect();
    if parts.len() < 7 {
        return Err(err(format!(
            "cần ít nhất 7 trường ngăn cách bởi |, nhận được {}",
            parts.len()
        )));
    }
    let id = parse_id_number(parts[0], today).map_err(|e| err(e.to_string()))?;
    let date = |p: &str, what: &str| {
        NaiveDate::parse_from_str(p, "%d%m%Y")
            .map_err(|_| err(format!("{what} «{p}» không phải ngày hợp lệ (ddMMyyyy)")))
    };
    let birth_date = date(parts[3], "ngày sinh")?;
    let issued_on = date(parts[6], "ngày cấp")?;
    let sex = match crate::text::fold(parts[4]).as_str() {
        "nam" => Sex::Male,
        "nu" => Sex::Female,
        other => return Err(err(format!("giới tính «{other}» không hợp lệ"))),
    };
    if sex != id.sex {
        return Err(err("giới tính không khớp với số định danh".to_string()));
    }
    if birth_date.year() != id.birth_year {
        return Err(err("năm sinh không khớp với số định danh".to_string()));
    }
    if birth_date > today || issued_on > today || issued_on < birth_date {
        return Err(err("ngày sinh hoặc ngày cấp không hợp lệ".to_string()));
    }
    let full_name = crate::validation::bounded(parts[2], Field::FullName, 1, 100)
        .map_err(|e| err(e.to_string()))?;
    let address = crate::validation::bounded(parts[5], Field::Address, 0, 500)
        .map_err(|e| err(e.to_string()))?;
    let old = parts[1];
    Ok(CardPrefill {
        id_number: id.number,
        old_id_number: (!old.is_empty()).then(|| old.to_string()),
        full_name,
        birth_date,
        sex,
        address,
        issued_on,
    })
}

/// Where a chip-ID-card QR string sits inside text typed into a field (a keyboard-wedge
/// scanner types it wherever the cursor is, often after what the field held): the byte
/// range of `12 digits|…|…|8 digits|…|…|8 digits`, ended by the end of the text or by a
/// character that is not a digit, together with a byte-order mark just before it and the
/// further `|…` fields of newer cards just after it. `None` while the string is
/// incomplete.
pub fn find_card_qr(text: &str) -> Option<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let digits_at =
        |i: usize, n: usize| b.len() >= i + n && b[i..i + n].iter().all(u8::is_ascii_digit);
    (0..b.len()).find_map(|start| {
        if (start > 0 && b[start - 1].is_ascii_digit()) || !digits_at(start, 12) {
            return None;
        }
        let mut i = start + 12;
        // Fields 2–7 each follow a '|'; fields 4 and 7 are dates of exactly 8 digits.
        for field in 2..=7 {
            if b.get(i) != Some(&b'|') {
                return None;
            }
            i += 1;
            if field == 4 || field == 7 {
                if !digits_at(i, 8) || b.get(i + 8).is_some_and(u8::is_ascii_digit) {
                    return None;
                }
                i += 8;
            } else {
                i += b[i..]
                    .iter()
                    .position(|&c| c == b'|')
                    .unwrap_or(b.len() - i);
            }
        }
        // Fields 8 and on (newer and children's cards): each `|` and what follows it.
        while b.get(i) == Some(&b'|') {
            i += 1;
            i += b[i..]
                .iter()
                .position(|&c| c == b'|')
                .unwrap_or(b.len() - i);
        }
        let bom = BOM.len_utf8();
        let start = if text[..start].ends_with(BOM) {
            start - bom
        } else {
            start
        };
        Some(start..i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_card_qr_inside_typed_text_only_when_complete() {
        let qr = "001099012345|123456789|Nguyễn Văn A|01011999|Nam|Xã X, Tỉnh Y|15082021";
        assert_eq!(find_card_qr(qr), Some(0..qr.len()));
        let typed = format!("Nguyễn{qr}");
        let r = find_card_qr(&typed).unwrap();
        assert_eq!(&typed[r.clone()], qr);
        assert_eq!(
            format!("{}{}", &typed[..r.start], &typed[r.end..]),
            "Nguyễn"
        );
        // Still being typed: the last date is not complete yet.
        assert_eq!(find_card_qr(&qr[..qr.len() - 1]), None);
        assert_eq!(find_card_qr("0912345678"), None);
        assert_eq!(
            find_card_qr("1001099012345|1|A|01011999|Nam|X|15082021"),
            None
        );
        // An empty old-ID field is a real card's shape too.
        let no_old = "001099012345||Nguyễn Văn A|01011999|Nam|Xã X|15082021";
        assert_eq!(find_card_qr(no_old), Some(0..no_old.len()));
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn brief_vectors_decode() {
        let a = parse_id_number("001099012345", today()).unwrap();
        assert_eq!(
            (a.province, a.sex, a.birth_year),
            ("Hà Nội", Sex::Male, 1999)
        );
        let b = parse_id_number("079301001234", today()).unwrap();
        assert_eq!(
            (b.province, b.sex, b.birth_year),
            ("Hồ Chí Minh", Sex::Female, 2001)
        );
        let c = parse_id_number("038185000001", today()).unwrap();
        assert_eq!(
            (c.province, c.sex, c.birth_year),
            ("Thanh Hóa", Sex::Female, 1985)
        );
        let d = parse_id_number("022200000000", today()).unwrap();
        assert_eq!(
            (d.province, d.sex, d.birth_year),
            ("Quảng Ninh", Sex::Male, 2000)
        );
    }

    #[test]
    fn brief_vectors_rejected() {
        for bad in [
            "00109901234",
            "003099012345",
            "0010990123A5",
            "001230012345",
            "",
        ] {
            assert!(parse_id_number(bad, today()).is_err(), "{bad}");
        }
        let e = parse_id_number("003099012345", today()).unwrap_err();
        assert!(e.reason.contains("003"));
    }

    #[test]
    fn every_legacy_code_accepted_and_current_set_is_subset() {
        assert_eq!(PROVINCES.len(), 63);
        assert_eq!(CURRENT_PROVINCES.len(), 34);
        for (code, _) in PROVINCES {
            assert!(parse_id_number(&format!("{code}099012345"), today()).is_ok());
        }
        for (code, _) in CURRENT_PROVINCES {
            assert!(PROVINCES.iter().any(|(c, _)| c == code), "{code}");
        }
        let merged = parse_id_number("002099012345", today()).unwrap();
        assert_eq!(merged.current_province, None);
        assert_eq!(
            parse_id_number("046099012345", today())
                .unwrap()
                .current_province,
            Some("Huế")
        );
    }

    #[test]
    fn centuries_decode() {
        let d = NaiveDate::from_ymd_opt(2399, 1, 1).unwrap();
        assert_eq!(parse_id_number("001500012345", d).unwrap().birth_year, 2100);
        assert_eq!(parse_id_number("001900012345", d).unwrap().birth_year, 2300);
        assert_eq!(parse_id_number("001900012345", d).unwrap().sex, Sex::Female);
        assert_eq!(parse_id_number("001800012345", d).unwrap().sex, Sex::Male);
        assert_eq!(
            parse_id_number("001 099 012 345", today()).unwrap().number,
            "001099012345"
        );
    }

    #[test]
    fn phones() {
        assert_eq!(normalize_phone("0912345678").unwrap(), "0912345678");
        assert_eq!(normalize_phone("+84912345678").unwrap(), "0912345678");
        assert_eq!(normalize_phone("+84 91 234 5678").unwrap(), "0912345678");
        assert_eq!(normalize_phone("0387654321").unwrap(), "0387654321");
        assert_eq!(normalize_phone("024.3825.3535").unwrap(), "02438253535");
        for bad in [
            "091234567",
            "0112345678",
            "09123456789",
            "abc",
            "",
            "+8491234567x",
        ] {
            assert!(normalize_phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email(" An.Nguyen@Example.VN ").unwrap(),
            "An.Nguyen@example.vn"
        );
        assert!(normalize_email("người@xã.vn").is_ok());
        for bad in [
            "a", "a@b", "@b.vn", "a b@c.vn", "a@b..vn", "a@-b.vn", "a@@b.vn",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn card_qr_prefills() {
        let p = parse_card_qr(
            "001099012345|123456789|Nguyễn Văn A|01011999|Nam|Xã X, Tỉnh Y|15082021",
            today(),
        )
        .unwrap();
        assert_eq!(p.birth_date, NaiveDate::from_ymd_opt(1999, 1, 1).unwrap());
        assert_eq!(p.issued_on, NaiveDate::from_ymd_opt(2021, 8, 15).unwrap());
        assert_eq!(p.full_name, "Nguyễn Văn A");
        assert_eq!(p.old_id_number.as_deref(), Some("123456789"));
        assert_eq!(p.sex, Sex::Male);
    }

    #[test]
    fn card_qr_must_agree_with_digit_four() {
        let t = today();
        assert!(parse_card_qr("001099012345||A|01011999|Nữ|X|15082021", t).is_err());
        assert!(parse_card_qr("001099012345||A|01012000|Nam|X|15082021", t).is_err());
        assert!(parse_card_qr("001099012345||A|31021999|Nam|X|15082021", t).is_err());
        assert!(parse_card_qr("001099012345|A|01011999", t).is_err());
        let ok = parse_card_qr("079301001234||Trần Thị B|05052001|Nữ|P. Y|01012022", t).unwrap();
        assert_eq!(ok.old_id_number, None);
    }

    const QR: &str = "001099012345|123456789|Nguyễn Văn A|01011999|Nam|Xã X, Tỉnh Y|15082021";

    #[test]
    fn card_qr_with_more_than_seven_fields_reads_the_first_seven() {
        let t = today();
        let plain = parse_card_qr(QR, t).unwrap();
        for longer in [
            format!("{QR}|"),
            format!("{QR}||"),
            format!("{QR}|||||"),
            format!("{QR}|Nguyễn Văn Cha|Trần Thị Mẹ"),
            format!("{QR}|Nguyễn Văn Cha|Trần Thị Mẹ|"),
        ] {
            let p = parse_card_qr(&longer, t).unwrap_or_else(|e| panic!("{longer}: {e}"));
            assert_eq!(p, plain, "{longer}");
            assert!(!format!("{p:?}").contains("Cha"), "extra fields kept out");
        }
        // A child's card: born 2015, digit 4 = 2 (2000s, male), parents after the date.
        let child =
            "001215012345||Nguyễn Minh Khang|03032015|Nam|Xã X|10092024|Nguyễn Văn Cha|Lê Thị Mẹ";
        let c = parse_card_qr(child, t).unwrap();
        assert_eq!(c.full_name, "Nguyễn Minh Khang");
        assert_eq!(c.address, "Xã X");
        assert_eq!(c.birth_date.year(), 2015);
        // More fields never excuse digits that contradict the QR.
        let wrong_sex = format!("{}|x|y", QR.replace("|Nam|", "|Nữ|"));
        assert!(
            parse_card_qr(&wrong_sex, t)
                .unwrap_err()
                .reason
                .contains("giới tính không khớp")
        );
        let wrong_year = "001099012345||A|01012000|Nam|X|15082021|Cha|Mẹ";
        assert!(
            parse_card_qr(wrong_year, t)
                .unwrap_err()
                .reason
                .contains("năm sinh không khớp")
        );
        // Fewer than seven is still refused.
        assert!(parse_card_qr("001099012345|1|A|01011999|Nam|X", t).is_err());
    }

    #[test]
    fn card_qr_after_a_byte_order_mark_is_read() {
        let t = today();
        let with_bom = format!("\u{FEFF}{QR}");
        assert_eq!(
            parse_card_qr(&with_bom, t).unwrap().full_name,
            "Nguyễn Văn A"
        );
        assert!(parse_card_qr(&format!("\u{FEFF}{QR}|Cha|Mẹ"), t).is_ok());
        // In a field: the mark goes with the QR, what the field held before stays.
        let typed = format!("Nguyễn\u{FEFF}{QR}");
        let r = find_card_qr(&typed).unwrap();
        assert_eq!(&typed[..r.start], "Nguyễn");
        assert!(parse_card_qr(&typed[r], t).is_ok());
    }

    #[test]
    fn finds_a_longer_card_qr_whole() {
        let long = format!("{QR}|Nguyễn Văn Cha|Trần Thị Mẹ");
        assert_eq!(find_card_qr(&long), Some(0..long.len()));
        let trailing = format!("{QR}||");
        assert_eq!(find_card_qr(&trailing), Some(0..trailing.len()));
    }

    #[test]
    fn a_prefix_outside_the_province_list_says_what_to_do() {
        let e = parse_id_number("003099012345", today()).unwrap_err();
        assert!(e.reason.contains("mã tỉnh 003 không tồn tại"), "{e}");
        assert!(e.reason.contains("nước ngoài"), "{e}");
        for code in ["097", "100", "704", "999"] {
            assert!(parse_id_number(&format!("{code}099012345"), today()).is_err());
        }
    }
}
