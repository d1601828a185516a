//! Units, text terms, names and flags of the national records.

use super::*;

#[test]
fn units_map_or_are_marked() {
    use MappedTerm::*;
    let m = |q: Option<f64>, u: Option<&str>, d: Option<&str>| map_term(q, None, u, d);
    assert_eq!(
        m(Some(3.0), Some("WORKING_DAY"), None),
        Known(Term::WorkingDays(3), None)
    );
    assert_eq!(
        m(Some(15.0), Some("DAY"), None),
        Known(Term::CalendarDays(15), None)
    );
    let Known(t, Some(note)) = m(Some(3.5), Some("WORKING_DAY"), None) else {
        panic!()
    };
    assert_eq!(t, Term::WorkingHours(28));
    assert!(
        note.contains("3,5 ngày làm việc, tính là 28 giờ làm việc"),
        "{note}"
    );
    // Bare hours are hours of the clock; "giờ làm việc" in the text makes them
    // working hours.
    let Known(t, Some(note)) = m(
        Some(12.0),
        Some("HOUR"),
        Some("Trong vòng 12 giờ từ khi nhận thông tin trẻ em được xác định có nguy cơ"),
    ) else {
        panic!()
    };
    assert_eq!(t, Term::ClockHours(12));
    assert!(note.contains("giờ đồng hồ"), "{note}");
    let Known(t, _) = m(
        Some(8.0),
        Some("HOUR"),
        Some("+) Trong thời hạn 6 giờ làm việc kể từ khi nhận được hồ sơ"),
    ) else {
        panic!()
    };
    assert_eq!(t, Term::WorkingHours(8));
    let Known(t, Some(note)) = m(Some(2.0), Some("MONTH"), None) else {
        panic!()
    };
    assert_eq!(t, Term::Months(2));
    assert!(note.contains("Điều 148"), "{note}");
    for (q, u, d) in [
        (Some(1.0), Some("OTHER"), Some("Theo quy định")),
        (Some(0.0), Some("WORKING_DAY"), None),
        (None, Some("DAY"), None),
        (Some(1.5), Some("DAY"), None),
        (Some(2.0), Some("WEEK"), None),
        (Some(3.0), None, None),
        (Some(3.0), Some("YEAR"), None),
    ] {
        assert!(matches!(m(q, u, d), Unknown(_)), "{q:?} {u:?}");
    }
    let Unknown(note) = m(Some(1.0), Some("OTHER"), Some(" Tại\u{200E} UBND xã ")) else {
        panic!()
    };
    assert_eq!(
        note,
        "bản ghi quốc gia không ghi số ngày (đơn vị OTHER): Tại UBND xã"
    );
    // OTHER with a term in its text: read, unconfirmed.
    let Read(t, note) = m(Some(1.0), Some("OTHER"), Some(" Trong\u{200E} ngày ")) else {
        panic!()
    };
    assert_eq!(t, Term::SameDay);
    assert!(note.contains("«Trong ngày»") && note.contains("chưa xác nhận"));
    assert_eq!(m(None, None, None), Absent);
    assert_eq!(m(Some(0.0), None, None), Absent);
    // "Không quy định": no statutory term.
    assert!(matches!(
        m(Some(1.0), Some("HOUR"), Some("Không quy định")),
        NoTerm(_)
    ));
}

#[test]
fn terms_written_as_text_are_read() {
    use MappedTerm::*;
    let t = |text: &str| map_term(None, Some(text), Some("OTHER"), None);
    let Read(term, note) = t("Không quá 03 ngày làm việc") else {
        panic!()
    };
    assert_eq!(term, Term::WorkingDays(3));
    assert!(note.contains("«Không quá 03 ngày làm việc»"), "{note}");
    // A mountain-commune extension later in the text does not change the term.
    let Read(term, _) = t(
        "Không quá 05 ngày làm việc, tại các xã miền núi … thì thời gian thực hiện được tăng thêm không quá 10 ngày làm việc",
    ) else {
        panic!()
    };
    assert_eq!(term, Term::WorkingDays(5));
    assert_eq!(
        map_term(None, Some("15"), Some("DAY"), None),
        Known(Term::CalendarDays(15), None)
    );
    let Variants(parts, _) = t(
        "a) Không quá 05 ngày làm việc đối với thủ tục đổi tên; b) Không quá 07 ngày làm việc đối với thủ tục thay đổi hạn chế; c) Không quá 10 ngày làm việc đối với thủ tục giảm diện tích thửa đất do sạt lở tự nhiên.",
    ) else {
        panic!()
    };
    let terms: Vec<Term> = parts.iter().map(|(t, _)| *t).collect();
    assert_eq!(
        terms,
        [
            Term::WorkingDays(5),
            Term::WorkingDays(7),
            Term::WorkingDays(10)
        ]
    );
    assert!(
        parts[1].1.starts_with("b) Không quá 07 ngày làm việc"),
        "{}",
        parts[1].1
    );
    assert!(matches!(t("không quy định"), NoTerm(_)));
    assert!(matches!(t("Theo kế hoạch"), Unknown(_)));
    assert_eq!(
        term_in_text("trong vòng 12 giờ"),
        Some(Term::ClockHours(12))
    );
    assert_eq!(term_in_text("01 tháng"), Some(Term::Months(1)));
    assert_eq!(
        term_in_text("3,5 ngày làm việc"),
        Some(Term::WorkingHours(28))
    );
}

#[test]
fn numbers_and_names_are_written_the_vietnamese_way() {
    assert_eq!(number_vi(2000.0), "2.000");
    assert_eq!(number_vi(1_000_000.0), "1.000.000");
    assert_eq!(number_vi(10.0), "10");
    assert_eq!(number_vi(3.5), "3,5");
    assert_eq!(sentence_case("ĐẤT ĐAI"), "Đất đai");
    assert_eq!(sentence_case("Hộ tịch"), "Hộ tịch");
    assert_eq!(
        document_name("- Tờ khai\u{200B} theo mẫu"),
        "Tờ khai theo mẫu"
    );
    // Never cut.
    let long = document_name(&"giấy tờ ".repeat(100));
    assert_eq!(
        long.chars().count(),
        "giấy tờ ".repeat(100).trim().chars().count()
    );
    assert_eq!(
        document_flags("- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản"),
        (true, None)
    );
    assert_eq!(
        document_flags("Mẫu hộ tịch điện tử tương tác"),
        (false, Some(SubmissionMethod::Online))
    );
    assert_eq!(
        document_flags("Giấy chứng sinh; trường hợp không có"),
        (false, None)
    );
}
