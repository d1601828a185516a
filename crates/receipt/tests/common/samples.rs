//! Sample inputs shared by the tests, the benchmark and the sample-rendering example:
//! a normal dossier, one filed under an authorisation, an organisation's, an awkward one
//! (long address, 40 documents, NFD text, every tone mark, a long proxy) and one of each
//! other form, plus a ledger long enough for three pages and a control slip with many
//! handovers.

#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use motcua_receipt::{
    AgencyHeader, ApologyData, ControlData, ControlStep, DocumentLine, LedgerData, LedgerRow,
    PartyKind, Proxy, ReceiptData, RefusalData, StopData, StopRequest, SupplementData,
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
        unit: "Trung tâm Phục vụ hành chính công xã Đông Sơn".into(),
    }
}

pub fn receipt() -> ReceiptData {
    ReceiptData {
        header: header(),
        number: Some("0125/TTPVHCC".into()),
        code: "000.17.22.H56-260305-0007".into(),
        lookup_secret: "K7QM4P".into(),
        lookup_url:
            "https://dichvucong.thanhhoa.gov.vn/tra-cuu?ma=000.17.22.H56-260305-0007&k=K7QM4P"
                .into(),
        applicant_name: "Nguyễn Thị Hằng".into(),
        applicant_kind: PartyKind::Person,
        representative: None,
        owner_name: Some("Lê Văn Đức".into()),
        id_number: Some("038185000001".into()),
        proxy: None,
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

/// A dossier filed by a proxy under an authorisation.
pub fn proxy_receipt() -> ReceiptData {
    let mut d = receipt();
    d.applicant_name = "Lê Văn Đức".into();
    d.id_number = Some("038090001234".into());
    d.owner_name = None;
    d.proxy = Some(Proxy {
        name: "Nguyễn Thị Hằng".into(),
        id_number: "038185000001".into(),
        address: "Thôn Đông Hải, xã Đông Sơn, tỉnh Thanh Hóa".into(),
        phone: "0912345678".into(),
        email: "hang.nguyen@example.vn".into(),
        authorisation: "Giấy ủy quyền ngày 02/3/2026, chứng thực tại UBND xã Đông Sơn".into(),
    });
    d
}

/// An organisation's dossier handed in by its representative.
pub fn organisation_receipt() -> ReceiptData {
    let mut d = receipt();
    d.applicant_name = "Hợp tác xã Nông nghiệp Đông Sơn".into();
    d.applicant_kind = PartyKind::Organisation;
    d.id_number = Some("2801234567".into());
    d.representative = Some("Phạm Văn Hùng".into());
    d.owner_name = None;
    d.email = "htx.dongson@example.vn".into();
    d.procedure_name = "Đăng ký thay đổi nội dung đăng ký hợp tác xã".into();
    d
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
    d.proxy = Some(Proxy {
        name: format!("TRẦN THỊ {}", ALL_TONES.to_uppercase())
            .nfd()
            .collect(),
        id_number: "038185000001".into(),
        address: long_address(),
        phone: "0912345678".into(),
        email: "rat.dai.nguoi.duoc.uy.quyen.2026@thudientu-rat-dai.example.gov.vn".into(),
        authorisation: format!("Giấy ủy quyền: {}", long_address()),
    });
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
        number: Some("07/PTC-TTPVHCC".into()),
        issued_on: day(2026, 2, 9),
        applicant_name: "Phạm Quốc Tuấn".into(),
        id_number: Some("038095004321".into()),
        code: Some("000.17.22.H56-260209-0002".into()),
        submitter_name: "Phạm Quốc Tuấn".into(),
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
        applicant_name: "Lê Văn Đức".into(),
        id_number: Some("038090001234".into()),
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

/// The 2025 apology: numbered "/PXL", signed by the form's THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ.
pub fn apology_2025() -> ApologyData {
    let mut d = apology();
    d.number = Some("07/PXL".into());
    d.signer_title = String::new();
    d
}

/// A dossier withdrawn at the applicant's request.
pub fn stop() -> StopData {
    StopData {
        header: header(),
        number: Some("03/TB-TTPVHCC".into()),
        issued_on: day(2026, 3, 9),
        recipient: "Bà Nguyễn Thị Hằng".into(),
        applicant_name: "Nguyễn Thị Hằng".into(),
        id_number: Some("038185000001".into()),
        address: "Thôn Đông Hải, xã Đông Sơn, tỉnh Thanh Hóa".into(),
        phone: "0912345678".into(),
        email: "hang.nguyen@example.vn".into(),
        code: "000.17.22.H56-260305-0007".into(),
        procedure_name: "Đăng ký khai sinh".into(),
        received_at: at(2026, 3, 5, 9, 32),
        request: Some(StopRequest {
            on: day(2026, 3, 9),
            channel: "trực tiếp".into(),
        }),
        reason: "Người yêu cầu rút hồ sơ để bổ sung giấy tờ.".into(),
        disposition: String::new(),
        signer_name: "Trần Văn Bình".into(),
    }
}

/// A control slip with the steps the register knows and blank blocks after them.
pub fn control() -> ControlData {
    ControlData {
        header: header(),
        number: None,
        code: "000.17.22.H56-260305-0007".into(),
        handling_agency: "Ủy ban nhân dân xã Đông Sơn".into(),
        cooperating_agencies: String::new(),
        received_at: at(2026, 3, 5, 9, 32),
        first_due_at: None,
        due_at: Some(at(2026, 3, 10, 9, 32)),
        term_basis: Some("Theo danh mục thủ tục (đã xác nhận): Trực tiếp: 3 ngày làm việc".into()),
        steps: vec![
            ControlStep {
                giver: "Bộ phận TN&TKQ".into(),
                receiver: "Ủy ban nhân dân xã Đông Sơn".into(),
                at: Some(at(2026, 3, 5, 10, 15)),
                result: String::new(),
                note: "Được tiếp nhận → Đang xử lý: chuyển công chức tư pháp".into(),
                giver_name: "Trần Văn Bình".into(),
                receiver_name: String::new(),
            },
            ControlStep {
                giver: "Ủy ban nhân dân xã Đông Sơn".into(),
                receiver: "Bộ phận TN&TKQ".into(),
                at: Some(at(2026, 3, 9, 15, 0)),
                result: "trước hạn".into(),
                note: "Đang xử lý → Đã xử lý xong".into(),
                giver_name: String::new(),
                receiver_name: "Trần Văn Bình".into(),
            },
        ],
        blank_steps: 2,
    }
}

/// A control slip whose handovers take several pages, one of them taller than a page.
pub fn long_control() -> ControlData {
    let mut d = control();
    d.cooperating_agencies = long_address();
    d.steps = (0..14)
        .map(|i| ControlStep {
            giver: format!(
                "Đơn vị số {i} {}",
                if i % 5 == 0 {
                    long_address()
                } else {
                    String::new()
                }
            ),
            receiver: "Ủy ban nhân dân xã Đông Sơn".into(),
            at: Some(at(2026, 3, 5 + i as u32 % 20, 8 + i as u32 % 9, 5)),
            result: ["trước hạn", "đúng hạn", "quá hạn"][i % 3].into(),
            note: if i == 7 {
                format!("{} ", long_address()).repeat(6)
            } else {
                format!("Bước {i}: {}", ALL_TONES)
            },
            giver_name: "Nguyễn Thị Ngọc Huyền Trưởng Ẩn Ỹ".nfd().collect(),
            receiver_name: "Trần Văn Bình".into(),
        })
        .collect();
    d
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
        number: None,
        issued_on: day(2026, 3, 31),
        book: "03".into(),
        from: day(2026, 3, 1),
        to: day(2026, 3, 31),
        rows: (0..rows).map(ledger_row).collect(),
    }
}
