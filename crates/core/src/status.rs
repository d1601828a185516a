//! Dossier statuses (the national `TrangThaiHoSo` list) and the legal transitions between
//! them. Overdue is never a status: it is derived from the due instant and the clock.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a dossier stands. Codes follow the national sync list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 2 Được tiếp nhận.
    Received,
    /// 4 Đang xử lý.
    Processing,
    /// 5 Yêu cầu bổ sung giấy tờ (the clock pauses).
    SupplementRequested,
    /// 6 Yêu cầu thực hiện nghĩa vụ tài chính.
    FinancialObligation,
    /// 9 Đã xử lý xong (result ready for return).
    ResultReady,
    /// 10 Đã trả kết quả.
    Returned,
    /// 3 Không được tiếp nhận.
    Refused,
    /// 7 Công dân yêu cầu rút hồ sơ.
    Withdrawn,
    /// 8 Dừng xử lý.
    Stopped,
}

impl Status {
    /// Every status, in national code order.
    pub const ALL: [Status; 9] = [
        Status::Received,
        Status::Refused,
        Status::Processing,
        Status::SupplementRequested,
        Status::FinancialObligation,
        Status::Withdrawn,
        Status::Stopped,
        Status::ResultReady,
        Status::Returned,
    ];

    /// The national `TrangThaiHoSo` code.
    pub fn national_code(self) -> u8 {
        match self {
            Status::Received => 2,
            Status::Refused => 3,
            Status::Processing => 4,
            Status::SupplementRequested => 5,
            Status::FinancialObligation => 6,
            Status::Withdrawn => 7,
            Status::Stopped => 8,
            Status::ResultReady => 9,
            Status::Returned => 10,
        }
    }

    /// The Vietnamese label of the national list.
    pub fn label(self) -> &'static str {
        match self {
            Status::Received => "Được tiếp nhận",
            Status::Refused => "Không được tiếp nhận",
            Status::Processing => "Đang xử lý",
            Status::SupplementRequested => "Yêu cầu bổ sung giấy tờ",
            Status::FinancialObligation => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Status::Withdrawn => "Công dân yêu cầu rút hồ sơ",
            Status::Stopped => "Dừng xử lý",
            Status::ResultReady => "Đã xử lý xong",
            Status::Returned => "Đã trả kết quả",
        }
    }

    /// The machine name used on the CLI, in JSON and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Refused => "refused",
            Status::Processing => "processing",
            Status::SupplementRequested => "supplement_requested",
            Status::FinancialObligation => "financial_obligation",
            Status::Withdrawn => "withdrawn",
            Status::Stopped => "stopped",
            Status::ResultReady => "result_ready",
            Status::Returned => "returned",
        }
    }

    /// A finished dossier takes no further transition.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }

    /// Whether the dossier's processing is over (for on-time classification): the result
    /// is ready or returned, or the dossier was refused, withdrawn or stopped.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            Status::ResultReady
                | Status::Returned
                | Status::Refused
                | Status::Withdrawn
                | Status::Stopped
        )
    }

    /// The statuses reachable from this one in one step.
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            Received => &[
                Processing,
                SupplementRequested,
                FinancialObligation,
                ResultReady,
                Refused,
                Withdrawn,
                Stopped,
            ],
            Processing => &[
                SupplementRequested,
                FinancialObligation,
                ResultReady,
                Withdrawn,
                Stopped,
            ],
            SupplementRequested => &[Processing, Withdrawn, Stopped],
            FinancialObligation => &[Processing, ResultReady, Withdrawn, Stopped],
            ResultReady => &[Returned],
            Returned | Refused | Withdrawn | Stopped => &[],
        }
    }

    /// Checks a transition, explaining a refusal in Vietnamese.
    pub fn transition(self, to: Status) -> Result<Status, TransitionError> {
        if self.next().contains(&to) {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }
}

/// A transition the status machine does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("không thể chuyển hồ sơ từ trạng thái «{}» sang «{}»", from.label(), to.label())]
pub struct TransitionError {
    pub from: Status,
    pub to: Status,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown status name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "trạng thái «{0}» không tồn tại (các trạng thái: received, processing, supplement_requested, financial_obligation, result_ready, returned, refused, withdrawn, stopped)"
)]
pub struct UnknownStatus(pub String);

impl FromStr for Status {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace('-', "_");
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == key || st.national_code().to_string() == key)
            .ok_or_else(|| UnknownStatus(s.chars().take(40).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_paths() {
        let s = Status::Received;
        let s = s.transition(Status::Processing).unwrap();
        let s = s.transition(Status::SupplementRequested).unwrap();
        let s = s.transition(Status::Processing).unwrap();
        let s = s.transition(Status::ResultReady).unwrap();
        let s = s.transition(Status::Returned).unwrap();
        assert!(s.is_final());
    }

    #[test]
    fn illegal_transitions_explained() {
        let e = Status::Returned.transition(Status::Processing).unwrap_err();
        assert_eq!(
            e.to_string(),
            "không thể chuyển hồ sơ từ trạng thái «Đã trả kết quả» sang «Đang xử lý»"
        );
        assert!(Status::Received.transition(Status::Received).is_err());
        assert!(Status::Processing.transition(Status::Refused).is_err());
        assert!(
            Status::SupplementRequested
                .transition(Status::Returned)
                .is_err()
        );
        for s in Status::ALL {
            assert!(s.transition(s).is_err(), "{s} to itself");
        }
    }

    #[test]
    fn names_and_codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>().unwrap(), s);
            assert_eq!(s.national_code().to_string().parse::<Status>().unwrap(), s);
        }
        assert!("overdue".parse::<Status>().is_err());
        let codes: Vec<u8> = Status::ALL.iter().map(|s| s.national_code()).collect();
        assert_eq!(codes, (2..=10).collect::<Vec<_>>());
    }

    #[test]
    fn finished_statuses() {
        assert!(Status::Returned.is_finished() && !Status::Processing.is_finished());
        assert!(Status::ResultReady.is_finished() && !Status::ResultReady.is_final());
    }
}
