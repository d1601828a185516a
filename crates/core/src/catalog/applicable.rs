//! Which published term applies to a dossier of one case through one channel, and its fee.
//!
//! **The precedence rule.** A national record publishes
//! terms in two places that it never links: per channel (`executionMethods`, which can
//! list one channel several times, one entry per variant) and per case (`cases`). A
//! statement is *specific* to what it distinguishes: the channels' terms are specific to
//! the channel only when they differ between channels (or between variants of one
//! channel); the cases' terms are specific to the case only when they differ between
//! cases. A statement that does not vary says something about the whole procedure. For a
//! dossier of case C through channel M:
//!
//! 1. the case's own entry for M (motcua's format only) wins;
//! 2. when only one side distinguishes, it wins: different terms per channel with one
//!    case (1.010801: trực tiếp 10 ngày, bưu chính 20 ngày, the case 20 ngày → trực tiếp
//!    10), or different terms per case with one term on every channel (2.000635);
//! 3. when both sides distinguish, the case wins if its term is one of the channel's
//!    (the case selects among the channel's variants, 1.009122), else they disagree;
//! 4. when neither distinguishes, the procedure-wide statements must agree;
//! 5. where statements of equal standing disagree (a channel listed with several terms,
//!    a case against a channel, one case against every channel), **nothing is chosen
//!    silently**: the answer is [`TermAnswer::Choose`], every published term with the
//!    text it was published with, and the clerk picks;
//! 6. motcua's own `term` of the procedure comes last.
//!
//! A term marked unconfirmed stays marked up to the answer; a record whose term text says
//! "không quy định" gives a term of `None` (the law sets none: the clerk gives the
//! appointment); nothing at all is [`TermAnswer::Missing`], never a guess.
//!

use super::{ChannelTerms, Procedure, ProcedureCase, SubmissionMethod};
use crate::calendar::Term;
use serde::Serialize;

impl Procedure {
    /// Whether the cases' terms differ (then each case's term is specific to it).
    pub(super) fn cases_vary(&self) -> bool {
        let mut answers = self.cases.iter().filter_map(|c| own_answer(c.term_level()));
        match answers.next() {
            None => false,
            Some(first) => answers.any(|a| a != first),
        }
    }

    /// Whether the channels' terms differ between channels or between the variants of one
    /// channel (then a channel's term is specific to it).
    fn channels_vary(&self) -> bool {
        let mut per_method: Vec<Vec<Option<Term>>> = Vec::new();
        for m in SubmissionMethod::ALL {
            let mut answers: Vec<Option<Term>> = self
                .channels
                .iter()
                .filter(|c| c.method == m)
                .filter_map(|c| own_answer(c.term_level()))
                .collect();
            answers.sort_by_key(|a| a.map(|t| t.to_string()));
            answers.dedup();
            if answers.len() > 1 {
                return true;
            }
            if !answers.is_empty() {
                per_method.push(answers);
            }
        }
        per_method.windows(2).any(|w| w[0] != w[1])
    }

    /// The channels a dossier may come through, as the record lists them; empty when the
    /// catalogue does not say (then any).
    pub fn methods(&self) -> Vec<SubmissionMethod> {
        SubmissionMethod::ALL
            .into_iter()
            .filter(|m| self.channels.iter().any(|c| c.method == *m))
            .collect()
    }

    /// Whether a dossier may come through `method`: the record lists it, or lists no
    /// channel at all.
    pub fn offers(&self, method: SubmissionMethod) -> bool {
        self.channels.is_empty() || self.channels.iter().any(|c| c.method == method)
    }

    /// The term and fee for this procedure under `case` (one of [`Procedure::cases`], or
    /// none) submitted through `method`, by the precedence rule of the module
    /// documentation.
    pub fn applicable<'a>(
        &'a self,
        case: Option<&'a ProcedureCase>,
        method: SubmissionMethod,
    ) -> Applicable<'a> {
        let (fee, fee_unconfirmed, fee_from) = self.fee_for(case, method);
        Applicable {
            case,
            method,
            term: self.term_for(case, method),
            fee,
            fee_unconfirmed,
            fee_from,
        }
    }

    fn term_for(&self, case: Option<&ProcedureCase>, method: SubmissionMethod) -> TermAnswer {
        let mut notes: Vec<String> = Vec::new();
        // 1. The case's own entry for the channel.
        if let Some(c) = case {
            let own: Vec<TermOption> = c
                .channels
                .iter()
                .filter(|e| e.method == method)
                .filter_map(|e| e.option(Level::CaseChannel, &mut notes))
                .collect();
            if let Some(answer) = TermAnswer::of(own) {
                return answer;
            }
        }
        let channel: Vec<TermOption> = self
            .channels
            .iter()
            .filter(|e| e.method == method)
            .filter_map(|e| e.option(Level::Channel, &mut notes))
            .collect();
        let channel = dedup_terms(channel);
        let cases_vary = self.cases_vary();
        let channels_vary = self.channels_vary();
        // The case's statement: its own, or the one every case shares.
        let case_option = match case {
            Some(c) => c.option(self, &mut notes),
            None if !cases_vary => self.cases.iter().find_map(|c| c.option(self, &mut notes)),
            None => None,
        };
        let decided = match (case_option, channel.is_empty()) {
            (None, true) => None,
            (None, false) => TermAnswer::of(channel),
            (Some(k), true) => Some(TermAnswer::One(k)),
            (Some(k), false) => Some(match (cases_vary && case.is_some(), channels_vary) {
                // The case selects among the channel's variants, or the channel's one
                // term is the whole procedure's: the case is the more specific.
                (true, true) if channel.iter().any(|o| o.term == k.term) => TermAnswer::One(k),
                (true, false) => TermAnswer::One(k),
                // Only the channels distinguish: the channel wins.
                (false, true) => TermAnswer::of(channel).expect("channel is not empty"),
                // Both distinguish and disagree, or neither does and they disagree.
                _ => {
                    if channel.iter().all(|o| o.term == k.term) {
                        TermAnswer::One(k)
                    } else {
                        let mut all = channel;
                        all.push(k);
                        TermAnswer::of(dedup_terms(all)).expect("two options at least")
                    }
                }
            }),
        };
        if let Some(answer) = decided {
            return answer;
        }
        // 6. motcua's own default of the procedure.
        let mut rest = Vec::new();
        if let Some(o) = option_of(
            self.term,
            self.term_none,
            self.term_unconfirmed,
            &self.term_note,
            Level::Procedure,
            "Thủ tục".to_string(),
            &mut notes,
        ) {
            rest.push(o);
        }
        match TermAnswer::of(rest) {
            Some(a) => a,
            None => {
                let mut seen = Vec::new();
                for n in notes {
                    if !seen.contains(&n) {
                        seen.push(n);
                    }
                }
                TermAnswer::Missing {
                    note: (!seen.is_empty()).then(|| seen.join("; ")),
                }
            }
        }
    }

    /// The fee: the case's entry for the channel, the case's, the channel's, the
    /// procedure's (fees carry no precedence question: a channel's variants are listed
    /// together with their text).
    fn fee_for(
        &self,
        case: Option<&ProcedureCase>,
        method: SubmissionMethod,
    ) -> (String, bool, Option<Level>) {
        let pick = |entries: Vec<&ChannelTerms>| channel_fee(&entries);
        let mut found = None;
        if let Some(c) = case {
            found = pick(c.channels.iter().filter(|e| e.method == method).collect())
                .map(|f| (f, Level::CaseChannel))
                .or_else(|| own_fee(&c.fee, c.fee_unconfirmed).map(|f| (f, Level::Case)));
        }
        let found = found
            .or_else(|| {
                pick(
                    self.channels
                        .iter()
                        .filter(|e| e.method == method)
                        .collect(),
                )
                .map(|f| (f, Level::Channel))
            })
            .or_else(|| own_fee(&self.fee, self.fee_unconfirmed).map(|f| (f, Level::Procedure)));
        match found {
            Some((FoundFee(text, u), l)) => (text, u, Some(l)),
            None => (String::new(), true, None),
        }
    }
}

/// A level's answer about the term: `Some(Some(t))` a term, `Some(None)` no statutory
/// term, `None` nothing usable.
fn own_answer((term, none): (Option<Term>, bool)) -> Option<Option<Term>> {
    if none { Some(None) } else { term.map(Some) }
}

/// One published statement of a term as an option, or its note when it gives none.
fn option_of(
    term: Option<Term>,
    none: bool,
    unconfirmed: bool,
    note: &Option<String>,
    from: Level,
    text: String,
    notes: &mut Vec<String>,
) -> Option<TermOption> {
    match own_answer((term, none)) {
        Some(t) => Some(TermOption {
            term: t,
            unconfirmed,
            note: note.clone(),
            from,
            text: format!("{text}: {}", term_label(t)),
        }),
        None => {
            if let Some(n) = note {
                notes.push(n.clone());
            }
            None
        }
    }
}

/// "3 ngày làm việc", or "không quy định thời hạn" for `None`.
pub fn term_label(t: Option<Term>) -> String {
    t.map_or_else(|| "không quy định thời hạn".to_string(), |t| t.label_vi())
}

/// The options with distinct terms, the first of each kept (a confirmed one preferred).
fn dedup_terms(options: Vec<TermOption>) -> Vec<TermOption> {
    let mut out: Vec<TermOption> = Vec::new();
    for o in options {
        match out.iter_mut().find(|x| x.term == o.term) {
            Some(x) if x.unconfirmed && !o.unconfirmed => *x = o,
            Some(_) => {}
            None => out.push(o),
        }
    }
    out
}

impl ChannelTerms {
    pub(super) fn term_level(&self) -> (Option<Term>, bool) {
        (self.term, self.term_none)
    }

    fn option(&self, from: Level, notes: &mut Vec<String>) -> Option<TermOption> {
        let text = match &self.variant {
            Some(v) => format!("{} ({v})", self.method.label()),
            None => self.method.label().to_string(),
        };
        option_of(
            self.term,
            self.term_none,
            self.term_unconfirmed,
            &self.term_note,
            from,
            text,
            notes,
        )
    }
}

impl ProcedureCase {
    pub(super) fn term_level(&self) -> (Option<Term>, bool) {
        (self.term, self.term_none)
    }

    fn option(&self, p: &Procedure, notes: &mut Vec<String>) -> Option<TermOption> {
        let text = if self.name == p.name || self.name.is_empty() {
            format!("Trường hợp {}", self.code)
        } else {
            format!("Trường hợp {} ({})", self.code, self.name)
        };
        option_of(
            self.term,
            self.term_none,
            self.term_unconfirmed,
            &self.term_note,
            Level::Case,
            text,
            notes,
        )
    }
}

/// Where [`Procedure::applicable`] found a term or fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The case's entry for the channel.
    CaseChannel,
    /// The case itself.
    Case,
    /// The procedure's entry (entries) for the channel.
    Channel,
    /// The procedure's default.
    Procedure,
}

/// One term a record publishes for a case and channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermOption {
    /// The term; `None` when the text says the law sets none ("không quy định").
    pub term: Option<Term>,
    /// Not confirmed from the official text (read from free text, or marked so).
    pub unconfirmed: bool,
    /// How it was read.
    pub note: Option<String>,
    /// Which statement of the record it is.
    pub from: Level,
    /// Where and how it is published, for the clerk: "Trực tiếp: 10 ngày", "Trực tiếp
    /// (Đối với nhà ở riêng lẻ…): 10 ngày", "Trường hợp 1.002759.09 (Cấp lại thẻ…): 3 ngày
    /// làm việc".
    pub text: String,
}

/// What the catalogue says about the term of a dossier of one case through one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TermAnswer {
    /// One term applies.
    One(TermOption),
    /// The record's statements for this case and channel disagree and none is more
    /// specific: the clerk picks one (two or more, with distinct terms).
    Choose { options: Vec<TermOption> },
    /// The catalogue gives none; the note says why.
    Missing { note: Option<String> },
}

impl TermAnswer {
    /// One option as [`TermAnswer::One`], several as [`TermAnswer::Choose`], none as
    /// `None`.
    fn of(mut options: Vec<TermOption>) -> Option<TermAnswer> {
        match options.len() {
            0 => None,
            1 => options.pop().map(TermAnswer::One),
            _ => Some(TermAnswer::Choose { options }),
        }
    }

    /// The term when exactly one applies (`Some(None)`: the law sets none).
    pub fn single(&self) -> Option<&TermOption> {
        match self {
            TermAnswer::One(o) => Some(o),
            _ => None,
        }
    }

    /// The options the clerk chooses among (one for [`TermAnswer::One`]).
    pub fn options(&self) -> &[TermOption] {
        match self {
            TermAnswer::One(o) => std::slice::from_ref(o),
            TermAnswer::Choose { options } => options,
            TermAnswer::Missing { .. } => &[],
        }
    }
}

/// The term and fee that apply to a dossier of a procedure, case and channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicable<'a> {
    pub case: Option<&'a ProcedureCase>,
    pub method: SubmissionMethod,
    /// What the catalogue says about the term.
    pub term: TermAnswer,
    /// Fee text; empty when the catalogue gives none.
    pub fee: String,
    pub fee_unconfirmed: bool,
    pub fee_from: Option<Level>,
}

/// A fee text and whether it is unconfirmed.
struct FoundFee(String, bool);

fn own_fee(fee: &str, unconfirmed: bool) -> Option<FoundFee> {
    (!fee.trim().is_empty()).then(|| FoundFee(fee.to_string(), unconfirmed))
}

/// The fee of one channel: its single fee text, or every variant's with the variant.
fn channel_fee(entries: &[&ChannelTerms]) -> Option<FoundFee> {
    let with_fee: Vec<&&ChannelTerms> = entries
        .iter()
        .filter(|e| !e.fee.trim().is_empty())
        .collect();
    let first = with_fee.first()?;
    let unconfirmed = with_fee.iter().any(|e| e.fee_unconfirmed);
    if with_fee.iter().all(|e| e.fee == first.fee) {
        return Some(FoundFee(first.fee.clone(), unconfirmed));
    }
    let text = with_fee
        .iter()
        .map(|e| match &e.variant {
            Some(v) => format!("{} ({v})", e.fee),
            None => e.fee.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(FoundFee(text, unconfirmed))
}
