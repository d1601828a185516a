//! Sample inputs shared by the tests, the benchmark and the sample-rendering example:
//! a normal dossier, an awkward one (long address, 40 documents, NFD text, every tone
//! mark) and one of each other form, plus a ledger long enough for three pages.

#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use motcua_receipt::{
    AgencyHeader, ApologyData, DocumentLine, LedgerData, LedgerRow, ReceiptData, RefusalData,
    SupplementData,
};
use unicode_normalization::UnicodeNormalization;

pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, min, 0))
        .expect("valid sample instant")
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid sample date")
}

pub fn header() -> AgencyHeader {
    AgencyHeader {
        parent_name: "UBND tỉnh Thanh Hóa".into(),
        name: "Ủy ban nhân dân xã Đông Sơn".into(),
        place: "Đông Sơn".into(),
    }
}

pub fn receipt() -> ReceiptData {
    ReceiptData {
        header: header(),
        code: "000.17.22.H56-260305-0007".into(),
        lookup_secret: "K7QM4P".into(),
        lookup_url:
            "https://dichvucong.thanhhoa.gov.vn/tra-cuu?ma=000.17.22.H56-260305-0007&k=K7QM4P"
                .into(),
        applicant_name: "Nguyễn Thị Hằng".into(),
        owner_name: Some("Lê Văn Đức".into()),
        id_number: Some("038185000001".into()),
        address: "Thôn Đông Hải, xã Đông Sơn, tỉnh Thanh Hóa".into(),
        phone: "0912345678".into(),
        email: "hang.nguyen@example.vn".into(),
        procedure_name: "Đăng ký khai sinh".into(),
        documents: vec![
            DocumentLine {
                name: "Tờ khai đăng ký khai sinh".into(),
                kind: "Bản chính".into(),
                count: 1,
            },
            DocumentLine {
                name: "Giấy chứng sinh".into(),
                kind: "Bản chính".into(),
                count: 1,
            },
            DocumentLine {
                name: "Giấy chứng nhận kết hôn của cha, mẹ".into(),
                kind: "Bản sao chứng thực".into(),
                count: 1,
            },
            DocumentLine {
                name: "Căn cước công dân của người đi đăng ký".into(),
                kind: "Bản sao".into(),
                count: 2,
            },
        ],
        sets: 1,
        statutory_time: "trong ngày".into(),
        received_at: at(2026, 3, 5, 9, 32),
        due_at: Some(at(2026, 3, 5, 16, 30)),
        result_delivery: "Bộ phận tiếp nhận và trả kết quả xã Đông Sơn".into(),
        ledger_book: "03".into(),
        ledger_entry: "0125".into(),
        clerk_name: "Trần Văn Bình".into(),
    }
}

/// Every Vietnamese vowel with every tone, in both cases, plus đ/Đ.
pub const ALL_TONES: &str =
    "aàáảãạ ăằắẳẵặ âầấẩẫậ eèéẻẽẹ êềếểễệ iìíỉĩị oòóỏõọ ôồốổỗộ ơờớởỡợ uùúủũụ ưừứửữự yỳýỷỹỵ đ";

/// A 200-character address (counted in characters).
pub fn long_address() -> String {
    let base = "Số nhà 118, ngách 27/14, ngõ Quỳnh Lôi, đường Nguyễn Trãi, tổ dân phố Đồng Lạc, thôn Thượng Hải Đường, xã Đông Sơn, tỉnh Thanh Hóa (gần Trường Tiểu học Đông Sơn, đối diện chợ Đồng, rẽ trái 50 mét)";
    let s: String = base
        .chars()
        .chain(std::iter::repeat('.'))
        .take(200)
        .collect();
    assert_eq!(s.chars().count(), 200);
    s
}

/// The awkward receipt: NFD names, every tone mark, a 200-character address, 40 documents.
pub fn awkward_receipt() -> ReceiptData {
    let mut d = receipt();
    d.applicant_name = "Nguyễn Thị Ngọc Huyền Trưởng Ẩn Ỹ".nfd().collect();
    d.owner_name = Some(
        format!("Hoàng Thị {}", ALL_TONES.to_uppercase())
            .nfd()
            .collect(),
    );
    d.address = long_address();
    d.email = "nguyen.thi.ngoc.huyen.truong.an.y.2026@thudientu-rat-dai.example.gov.vn".into();
    d.procedure_name = format!(
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản; {}",
        ALL_TONES
    );
    d.documents = (1..=40)
        .map(|i| DocumentLine {
            name: if i % 7 == 0 {
                format!("Giấy tờ số {i}: Quyết định về việc công nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất của hộ gia đình, cá nhân tại thửa đất số {i}")
            } else {
                format!("Giấy tờ số {i} của người yêu cầu chứng thực")
            },
            kind: ["Bản chính", "Bản sao", "Bản sao chứng thực"][i % 3].into(),
            count: (i as u32 % 4) + 1,
        })
        .collect();
    d.statutory_time = "03 ngày làm việc".into();
    d.due_at = Some(at(2026, 3, 10, 9, 32));
    d
}

pub fn supplement() -> SupplementData {
    SupplementData {
        header: header(),
        number: Some("15".into()),
        code: Some("000.17.22.H56-260305-0007".into()),
        issued_on: day(2026, 3, 6),
        applicant_name: "Nguyễn Thị Hằng".into(),
        procedure_name: "Đăng ký kết hôn".into(),
        address: "Thôn Đông Hải, xã Đông Sơn, tỉnh Thanh Hóa".into(),
        phone: "0912345678".into(),
        email: "hang.nguyen@example.vn".into(),
        items: vec![
            "Giấy xác nhận tình trạng hôn nhân của bên nam do Ủy ban nhân dân xã nơi cư trú cấp"
                .into(),
            "Bản sao Căn cước công dân của bên nữ".into(),
        ],
        reason: "Hồ sơ còn thiếu giấy xác nhận tình trạng hôn nhân theo quy định.".into(),
        contact_name: "Trần Văn Bình".into(),
        contact_phone: "0237 3861 234".into(),
        guide_name: "Trần Văn Bình".into(),
    }
}

pub fn refusal() -> RefusalData {
    RefusalData {
        header: header(),
        issued_on: day(2026, 2, 9),
        applicant_name: "Phạm Quốc Tuấn".into(),
        address: "Xóm 3, thôn Yên Trường, xã Đông Sơn, tỉnh Thanh Hóa".into(),
        phone: "0387654321".into(),
        email: String::new(),
        procedure_name: "Chứng thực bản sao từ bản chính".into(),
        reason:
            "Bản chính giấy tờ có dấu hiệu tẩy xóa, sửa chữa nội dung, không bảo đảm tính hợp pháp."
                .into(),
        clerk_name: "Trần Văn Bình".into(),
    }
}

pub fn apology() -> ApologyData {
    ApologyData {
        header: header(),
        number: Some("07/XL-UBND".into()),
        issued_on: day(2026, 3, 12),
        recipient: "Ông Lê Văn Đức".into(),
        received_at: at(2026, 3, 2, 14, 5),
        procedure_name: "Đăng ký nhận cha, mẹ, con".into(),
        code: "000.17.22.H56-260302-0003".into(),
        original_due: at(2026, 3, 5, 16, 0),
        reason: "Cần xác minh thêm thông tin tại nơi cư trú trước đây của người được nhận là con."
            .into(),
        new_due: at(2026, 3, 16, 9, 0),
        signer_title: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH".into(),
        signer_name: "Lê Thị Mai".into(),
    }
}

pub fn ledger_row(i: usize) -> LedgerRow {
    let names = [
        "Nguyễn Thị Hằng",
        "Lê Văn Đức",
        "Phạm Quốc Tuấn",
        "Hoàng Thị Ỹ",
        "Đỗ Đức Dũng",
    ];
    let procedures = [
        "Đăng ký khai sinh",
        "Chứng thực bản sao từ bản chính",
        "Đăng ký kết hôn",
        "Xác nhận tình trạng hôn nhân",
        "Đăng ký nhận cha, mẹ, con",
    ];
    let received = at(
        2026,
        3,
        2 + (i as u32 % 20),
        8 + (i as u32 % 8),
        (i as u32 * 7) % 60,
    );
    LedgerRow {
        number: format!("{:04}", 100 + i),
        code: format!("000.17.22.H56-2603{:02}-{:04}", 2 + i % 20, i + 1),
        procedure_name: procedures[i % 5].into(),
        applicant_name: names[i % 5].into(),
        address: if i.is_multiple_of(6) {
            long_address()
        } else {
            format!("Thôn {}, xã Đông Sơn", i % 9 + 1)
        },
        phone: format!("09{:08}", 12_345_678 + i),
        handling_agency: "UBND xã Đông Sơn".into(),
        received_at: received,
        due_at: Some(received + chrono::Duration::days(3)),
        returned_at: (!i.is_multiple_of(3)).then(|| received + chrono::Duration::days(2)),
        delivery: if i.is_multiple_of(4) {
            "Bưu chính công ích".into()
        } else {
            "Trực tiếp".into()
        },
    }
}

pub fn ledger(rows: usize) -> LedgerData {
    LedgerData {
        header: header(),
        book: "03".into(),
        from: day(2026, 3, 1),
        to: day(2026, 3, 31),
        rows: (0..rows).map(ledger_row).collect(),
    }
}
