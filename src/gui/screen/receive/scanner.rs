//! The receive screen's scanner input: a chip-ID-card QR (a 2D scanner types it as keys
//! into whichever field has the focus) found in what a field holds, the applicant filled
//! from it, and the rest of the scan swallowed so no field keeps a trace of it; the ID
//! number's decoded hint.

use super::{DOC_KEYS, Input, Receive, Step, none};
use crate::gui::i18n;
use motcua_core::Field as F;
use motcua_core::dossier::PartyKind;

/// Where a chip-ID-card QR is in what a field holds. In the marks field the document keys
/// typed just before a scan run into the QR's 12 digits ("47" then "0011…"): the QR is
/// looked for after each of them too.
pub(super) fn card_qr_in(i: Input, value: &str) -> Option<std::ops::Range<usize>> {
    if let Some(r) = motcua_core::identity::find_card_qr(value) {
        return Some(r);
    }
    if i != Input::Marks {
        return None;
    }
    value
        .char_indices()
        .map(|(k, _)| k)
        .skip(1)
        .take(2 * DOC_KEYS.len())
        .find_map(|k| {
            motcua_core::identity::find_card_qr(&value[k..])
                .filter(|r| r.start == 0)
                .map(|r| k..k + r.end)
        })
}

impl Receive {
    /// What a scanner typed into field `i` (now holding `value`): the rest of a QR string
    /// still arriving is swallowed, a whole chip-ID-card QR fills the applicant and leaves
    /// the field as it was. None when it is no scan: the keys are the clerk's.
    pub(super) fn scanned(&mut self, i: Input, value: &str) -> Option<Step> {
        if let Some((field, inside)) = self.scan_tail {
            let kept = self.draft.text(i).to_string();
            let appended = (field == i)
                .then(|| value.strip_prefix(kept.as_str()))
                .flatten()
                .filter(|a| !a.is_empty());
            match appended {
                Some(a) if inside || a.starts_with('|') => {
                    self.scan_tail = Some((i, true));
                    return Some(none());
                }
                _ => self.scan_tail = None,
            }
        }
        if let Some(range) = card_qr_in(i, value) {
            // The field keeps what it held before the scan; the raw string goes nowhere.
            let rest = format!("{}{}", &value[..range.start], &value[range.end..]);
            if i == Input::Marks {
                let old = self.draft.marks.clone();
                self.draft.marks_changed(&old, &rest);
            } else if let Some(slot) = self.draft.text_mut(i) {
                *slot = rest;
            }
            self.scan_tail = Some((i, false));
            return Some(self.card(&value[range]));
        }
        None
    }

    /// A scanned chip-ID-card QR: fill the applicant from it.
    fn card(&mut self, raw: &str) -> Step {
        let Some(today) = self.today else {
            return none();
        };
        match motcua_core::identity::parse_card_qr(raw, today) {
            Ok(card) => {
                self.draft.name = card.full_name;
                self.draft.id_number = card.id_number;
                self.draft.address = card.address;
                self.errors
                    .retain(|e| !matches!(e.field, F::FullName | F::IdNumber | F::Address));
                self.id_hint = self.decode_id();
                self.notice = Some(i18n::card_filled(&self.draft.name));
                self.failure = None;
            }
            Err(e) => self.failure = Some(e.to_string()),
        }
        none()
    }

    pub(super) fn decode_id(&self) -> Option<Result<String, String>> {
        if self.draft.kind == PartyKind::Organisation {
            return None;
        }
        let typed = self.draft.id_number.trim();
        let digits = typed.chars().filter(char::is_ascii_digit).count();
        if typed.is_empty() || (digits < 12 && typed.chars().all(|c| c.is_ascii_digit())) {
            return None;
        }
        let today = self.today?;
        Some(
            motcua_core::identity::parse_id_number(typed, today)
                .map(|id| i18n::id_hint(id.sex.label(), id.birth_year, id.province))
                .map_err(|e| e.reason),
        )
    }
}
