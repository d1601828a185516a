//! Correcting a person's data on the dossier at their request (Ctrl+E): the applicant
//! first; Ctrl+E again goes on to the dossier's owner and then its authorised person when
//! it records them, each form prefilled with what the dossier records of that person.

use super::*;

/// A person's fields a correction changes, in [`PersonField::ALL`]'s order.
pub(super) const FIX: [&str; 5] = [
    "dossier-fix-name",
    "dossier-fix-id",
    "dossier-fix-phone",
    "dossier-fix-email",
    "dossier-fix-address",
];

/// The correction's first field, focused with its text selected.
pub(super) fn first_fix() -> Task<Message> {
    Task::batch([focus::to(FIX[0]), operation::select_all(FIX[0])])
}

/// The correction's field a refused value is in (the reason's, for anything else).
pub(super) fn fix_field(field: Option<motcua_core::Field>, role: Role) -> &'static str {
    (PersonField::ALL.iter())
        .find(|f| Some(f.form_field(role)) == field)
        .map_or(NOTE, |f| FIX[f.index()])
}

impl DossierView {
    /// The people the dossier records, in [`Role::ALL`]'s order.
    fn people(&self) -> Vec<Role> {
        (Role::ALL.into_iter())
            .filter(|r| motcua_core::correction::values(&self.detail.shown.dossier, *r).is_ok())
            .collect()
    }

    /// The correction of `role`'s data, prefilled.
    pub(super) fn open_correction(&mut self, role: Role) -> Step {
        let values = motcua_core::correction::values(&self.detail.shown.dossier, role)
            .unwrap_or_default()
            .map(Option::unwrap_or_default);
        self.outcome = None;
        self.pending = Some(Pending::Correct {
            role,
            values,
            reason: String::new(),
        });
        (first_fix(), None)
    }

    /// Ctrl+E on an open correction: the next person the dossier records, back to the
    /// applicant after the last; with the applicant alone, its first field again (a
    /// form left open while another screen was shown).
    pub(super) fn next_correction(&mut self, from: Role) -> Step {
        let people = self.people();
        let next = (people.iter().position(|r| *r == from))
            .map_or(Role::Applicant, |i| people[(i + 1) % people.len()]);
        if next == from {
            return (first_fix(), None);
        }
        self.open_correction(next)
    }

    /// The correction's fields under `col`.
    pub(super) fn correction_form<'a>(
        &'a self,
        mut col: Column<'a, Message>,
        role: Role,
        values: &'a [String; 5],
        reason: &'a str,
    ) -> Column<'a, Message> {
        col = col.push(text(i18n::correct_title(role)).size(size::HEADING));
        if self.people().len() > 1 {
            col = col.push(caption(T::CorrectNext.vi()));
        }
        for (i, (field, value)) in PersonField::ALL.iter().zip(values).enumerate() {
            col = col.push(
                Field::new(
                    field.label(),
                    FIX[i],
                    value,
                    move |v| Message::Fix(i, v),
                    Message::Entered(FIX[i]),
                )
                .view(),
            );
        }
        col.push(note(T::CorrectReason.vi(), reason))
    }
}
