//! The access log's entries: who read, printed or exported which citizens' data, kept as
//! `data_accessed` journal events (Luật Bảo vệ dữ liệu cá nhân 2025: the commune must be
//! able to show who processed what). An entry names dossiers by code, never carries a
//! full ID number, and says in Vietnamese what was done.

use serde::{Deserialize, Serialize};

/// What was done with the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessAction {
    /// A dossier's detail was opened (the whole record, ID number included).
    View,
    /// A search showed dossiers (their names, codes and masked ID numbers).
    Search,
    /// A form of a dossier was printed (or opened to print).
    Print,
    /// A form or file with a dossier's data was written to a file.
    Export,
    /// A report or a book over many dossiers was made (printed or written).
    Report,
    /// A citizen's request to see their data was answered (the letter and the file).
    Request,
    /// The access log was read for one citizen.
    Review,
}

impl AccessAction {
    pub const ALL: [AccessAction; 7] = [
        AccessAction::View,
        AccessAction::Search,
        AccessAction::Print,
        AccessAction::Export,
        AccessAction::Report,
        AccessAction::Request,
        AccessAction::Review,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessAction::View => "view",
            AccessAction::Search => "search",
            AccessAction::Print => "print",
            AccessAction::Export => "export",
            AccessAction::Report => "report",
            AccessAction::Request => "request",
            AccessAction::Review => "review",
        }
    }

    pub fn parse(s: &str) -> Option<AccessAction> {
        AccessAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The Vietnamese label shown to the reviewer.
    pub fn label(self) -> &'static str {
        match self {
            AccessAction::View => "Xem hồ sơ",
            AccessAction::Search => "Tìm kiếm",
            AccessAction::Print => "In giấy tờ",
            AccessAction::Export => "Xuất tệp",
            AccessAction::Report => "Lập báo cáo, sổ",
            AccessAction::Request => "Trả lời yêu cầu của chủ thể dữ liệu",
            AccessAction::Review => "Xem nhật ký truy cập",
        }
    }
}

/// One access, the payload of a `data_accessed` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    pub action: AccessAction,
    /// What exactly, in Vietnamese: the form, the report and its period, the search words
    /// (ID numbers in them masked), the file written.
    pub what: String,
    /// The dossiers whose data was shown, by code, in the order shown.
    #[serde(default)]
    pub dossiers: Vec<String>,
    /// The person the action was about, when it was asked by ID number (a citizen's
    /// request, a review of the log by ID number): masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// `text` with every run of 9 or more digits (an ID number, a passport or an old ID card
/// number) masked as [`crate::text::mask_id`] does: for what a log keeps of typed words.
pub fn mask_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.chars().count() >= 9 {
            out.push_str(&crate::text::mask_id(digits));
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_numbers_are_masked_short_ones_kept() {
        assert_eq!(mask_numbers("nguyen 001099012345"), "nguyen 001*******45");
        assert_eq!(mask_numbers("123456789 x"), "123****89 x");
        assert_eq!(mask_numbers("H56-261125-0001"), "H56-261125-0001");
        assert_eq!(mask_numbers(""), "");
    }

    #[test]
    fn the_payload_round_trips_and_names_actions_in_snake_case() {
        let a = Access {
            action: AccessAction::View,
            what: "Mở hồ sơ".into(),
            dossiers: vec!["000.17.22.H56-261125-0001".into()],
            subject: None,
        };
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains("\"action\":\"view\""), "{json}");
        assert!(!json.contains("subject"), "{json}");
        assert_eq!(serde_json::from_str::<Access>(&json).unwrap(), a);
        for x in AccessAction::ALL {
            assert_eq!(AccessAction::parse(x.as_str()), Some(x));
        }
    }
}
