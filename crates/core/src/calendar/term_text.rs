//! An optional statutory term as the catalogue and the journal write it: the term's text
//! (`3wd`, `5d`, `4wh`, `12h`, `2mo`, `same-day`), or the empty string for none (no term
//! known, or the law sets none).
//!
//! Used with `#[serde(with = "crate::calendar::term_text")]` on an `Option<Term>` field
//! that was a `String` before, so that what is written stays byte for byte what was
//! written then (journal hashes and stored catalogue bodies are compared as text); with
//! `default` and `skip_serializing_if = "Option::is_none"` where the string field was
//! defaulted and skipped when empty. [`parse`] and [`text`] are the same rule for a
//! database column.

use super::{CalendarError, Term};
use serde::de::{self, Deserialize, Deserializer};
use serde::ser::Serializer;

/// Reads a term's text: `""` is `None`; anything else must be a term ([`Term`]'s
/// `FromStr`: surrounding spaces and case are ignored, so `" 3WD"` reads as `3wd`).
pub fn parse(text: &str) -> Result<Option<Term>, CalendarError> {
    if text.is_empty() {
        Ok(None)
    } else {
        text.parse().map(Some)
    }
}

/// The text of an optional term: the term's catalogue form, or `""` for `None`.
pub fn text(term: &Option<Term>) -> String {
    term.map(|t| t.to_string()).unwrap_or_default()
}

/// Writes the term's text, or `""` for `None`.
pub fn serialize<S: Serializer>(term: &Option<Term>, s: S) -> Result<S::Ok, S::Error> {
    match term {
        Some(t) => s.collect_str(t),
        None => s.serialize_str(""),
    }
}

/// Reads the term's text, `""` as `None`. A text that is no term is refused with the
/// term's Vietnamese reason (the catalogue readers name the procedure around it).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Term>, D::Error> {
    let raw = String::deserialize(d)?;
    parse(&raw).map_err(de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    /// A field as a dossier's procedure has it: always written.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Always {
        #[serde(with = "super")]
        term: Option<Term>,
    }

    /// A field as a case or a channel has it: absent when empty.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Skipped {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "super")]
        term: Option<Term>,
    }

    const EVERY: [(Term, &str); 6] = [
        (Term::WorkingDays(3), "3wd"),
        (Term::WorkingHours(28), "28wh"),
        (Term::CalendarDays(15), "15d"),
        (Term::SameDay, "same-day"),
        (Term::ClockHours(12), "12h"),
        (Term::Months(2), "2mo"),
    ];

    #[test]
    fn every_term_and_none_round_trip_as_their_text() {
        for (term, written) in EVERY {
            let json = format!(r#"{{"term":"{written}"}}"#);
            let a: Always = serde_json::from_str(&json).unwrap();
            assert_eq!(a.term, Some(term));
            assert_eq!(serde_json::to_string(&a).unwrap(), json);
            let s: Skipped = serde_json::from_str(&json).unwrap();
            assert_eq!(s.term, Some(term));
            assert_eq!(serde_json::to_string(&s).unwrap(), json);
            assert_eq!(parse(written), Ok(Some(term)));
            assert_eq!(text(&Some(term)), written);
        }
        // None is the empty string, written where the field always is ...
        let a: Always = serde_json::from_str(r#"{"term":""}"#).unwrap();
        assert_eq!(a.term, None);
        assert_eq!(serde_json::to_string(&a).unwrap(), r#"{"term":""}"#);
        assert_eq!((parse(""), text(&None)), (Ok(None), String::new()));
        // ... and left out where it was skipped when empty; missing or empty reads None.
        for json in ["{}", r#"{"term":""}"#] {
            let s: Skipped = serde_json::from_str(json).unwrap();
            assert_eq!(s.term, None);
            assert_eq!(serde_json::to_string(&s).unwrap(), "{}");
        }
        // A field that was always there stays required.
        assert!(serde_json::from_str::<Always>("{}").is_err());
    }

    #[test]
    fn a_text_that_is_no_term_is_refused_in_vietnamese() {
        for bad in [
            r#"{"term":"3 ngày"}"#,
            r#"{"term":" "}"#,
            r#"{"term":"0wd"}"#,
        ] {
            let e = serde_json::from_str::<Skipped>(bad)
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("thời hạn «"), "{bad}: {e}");
            assert!(e.contains("không hợp lệ"), "{bad}: {e}");
        }
        assert!(serde_json::from_str::<Always>(r#"{"term":3}"#).is_err());
        // Case and spaces are forgiven on reading, as the catalogue check always did.
        let a: Always = serde_json::from_str(r#"{"term":" 3WD "}"#).unwrap();
        assert_eq!(a.term, Some(Term::WorkingDays(3)));
    }
}
