//! How a dossier stands for every period end at once, worked out from its facts once: a
//! store that keeps this beside each dossier counts a period with one pass of
//! comparisons (the hub's year report over a million dossiers is a SQL `GROUP BY`), and
//! the rules stay [`Facts::standing`]'s, which this only evaluates.
//!
//! Ends are counted in whole seconds (local time, seconds since 1970-01-01T00:00:00): a
//! period ends at midnight, and a period not over is counted up to a whole second
//! ([`super::cut`] of a time without its fraction).

use super::{Facts, Standing};
use chrono::{DateTime, NaiveDateTime};

/// A local time as whole seconds since 1970-01-01T00:00:00 (its fraction dropped).
pub fn seconds(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

/// Whole seconds since 1970-01-01T00:00:00 as a local time.
pub fn from_seconds(s: i64) -> Option<NaiveDateTime> {
    DateTime::from_timestamp(s, 0).map(|t| t.naive_utc())
}

/// The standing of one dossier for every period end (exclusive, in whole seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    /// When it was received, in whole seconds: a period ending at or before it does not
    /// count it.
    pub received: i64,
    /// (from, standing), oldest first: the standing for a period ending at `from` or
    /// later, up to the next one's `from`. The first starts the second after reception.
    pub segments: Vec<(i64, Standing)>,
}

impl Standing {
    /// Whether the dossier has not ended.
    pub fn is_pending(self) -> bool {
        matches!(self, Standing::PendingInTime | Standing::PendingLate)
    }
}

impl Course {
    /// How it stands for a period ending (exclusive) at `end`: [`Facts::standing`] there.
    pub fn at(&self, end: i64) -> Option<Standing> {
        if end <= self.received {
            return None;
        }
        (self.segments.iter().rev())
            .find(|(from, _)| *from <= end)
            .map(|(_, s)| *s)
    }

    /// The first end at which it stands as ended (it stays ended after): a period
    /// starting then or later does not carry it over.
    pub fn ended_from(&self) -> Option<i64> {
        (self.segments.iter())
            .find(|(_, s)| !s.is_pending())
            .map(|(from, _)| *from)
    }

    /// How a period from `start` to `end` (exclusive) counts it, as
    /// [`super::report_as_of`] does: not at all before its reception or when it had
    /// ended by `start`; else whether it is carried over from before the period, and its
    /// standing at `end`. (The hub's SQL writes the same with the course's columns.)
    pub fn counted(&self, start: i64, end: i64) -> Option<(bool, Standing)> {
        let standing = self.at(end)?;
        if self.ended_from().is_some_and(|from| from <= start) {
            return None;
        }
        Some((self.received < start, standing))
    }
}

impl Facts {
    /// Its standing for every period end, by evaluating [`Facts::standing`] only where it
    /// can change. Which steps come before an end changes only the second after a step;
    /// between two such seconds, whether it ended and how is fixed, and only "overdue"
    /// can change, once: the time counted against the appointment (the end less the time
    /// waiting for a supplement) moves in a straight line there, so the change is found
    /// by halving.
    pub fn course(&self) -> Course {
        let received = seconds(self.received_at);
        let first = received + 1;
        let mut points: Vec<i64> = (self.steps.iter())
            .map(|(at, _)| seconds(*at) + 1)
            .filter(|p| *p > first)
            .collect();
        points.push(first);
        points.sort_unstable();
        points.dedup();
        // After the last step, the appointment is passed within the span of every time
        // the dossier holds, times the number of supplement waits that could stretch it.
        let times = (self.steps.iter().map(|(at, _)| seconds(*at)))
            .chain([received])
            .chain(self.due_at.map(seconds));
        let (low, high) = times.fold((i64::MAX, i64::MIN), |(l, h), x| (l.min(x), h.max(x)));
        let reach = (high - low + 1).saturating_mul(self.steps.len() as i64 + 2);
        let at = |end: i64| {
            from_seconds(end)
                .and_then(|e| self.standing(e))
                .unwrap_or(Standing::PendingInTime)
        };
        let mut segments: Vec<(i64, Standing)> = Vec::new();
        let mut push = |from: i64, s: Standing| {
            if segments.last().is_none_or(|(_, last)| *last != s) {
                segments.push((from, s));
            }
        };
        for (k, &lo) in points.iter().enumerate() {
            let hi = match points.get(k + 1) {
                Some(next) => next - 1,
                None => lo.saturating_add(reach).min(MAX_END).max(lo),
            };
            let (a, b) = (at(lo), at(hi));
            push(lo, a);
            if a != b {
                let (mut l, mut h) = (lo, hi);
                while h - l > 1 {
                    let m = l + (h - l) / 2;
                    if at(m) == a { l = m } else { h = m }
                }
                push(h, b);
            }
        }
        Course { received, segments }
    }
}

/// The last end a course looks at: 9999-12-31T23:59:59, the last second a period can
/// end in.
const MAX_END: i64 = 253_402_300_799;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    /// xorshift64: the same dossiers on every run.
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    const DAY: i64 = 86_400;

    /// A dossier received in November 2026, its steps mostly in order after it, some out
    /// of order or before it (a clock put back), a few supplement requests and ends of
    /// every kind, an appointment or none.
    fn dossier(dice: &mut Dice) -> Facts {
        let base = seconds(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap().into());
        let received = base + dice.roll(30 * DAY as u64) as i64;
        let mut at = received;
        let steps = (0..dice.roll(7))
            .map(|_| {
                at = match dice.roll(10) {
                    0 => received - dice.roll(3 * DAY as u64) as i64,
                    1 => at,
                    _ => at + dice.roll(6 * DAY as u64) as i64,
                };
                let status = Status::ALL[dice.roll(Status::ALL.len() as u64) as usize];
                let status = match dice.roll(4) {
                    0 => Status::SupplementRequested,
                    _ => status,
                };
                (from_seconds(at).unwrap(), status)
            })
            .collect();
        Facts {
            code: String::new(),
            field: String::new(),
            procedure: String::new(),
            clerk: String::new(),
            online: false,
            received_at: from_seconds(received).unwrap(),
            due_at: (dice.roll(10) > 0)
                .then(|| from_seconds(received + dice.roll(12 * DAY as u64) as i64).unwrap()),
            steps,
        }
    }

    #[test]
    fn a_course_gives_the_standing_of_every_end() {
        let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
        let mut segments = [0usize; 8];
        for _ in 0..5000 {
            let f = dossier(&mut dice);
            let course = f.course();
            segments[course.segments.len().min(7)] += 1;
            // Every second where something happens, on either side, and some others.
            let mut ends: Vec<i64> = (f.steps.iter().map(|(at, _)| seconds(*at)))
                .chain([seconds(f.received_at)])
                .chain(f.due_at.map(seconds))
                .chain(course.segments.iter().map(|(from, _)| *from))
                .flat_map(|x| [x - 2, x - 1, x, x + 1, x + 2])
                .collect();
            let r = seconds(f.received_at);
            ends.extend((0..20).map(|_| r - DAY + dice.roll(40 * DAY as u64) as i64));
            for end in ends {
                let want = f.standing(from_seconds(end).unwrap());
                assert_eq!(course.at(end), want, "{f:?} at {end}: {course:?}");
                let ended = want.is_some_and(|s| !s.is_pending());
                assert_eq!(
                    course.ended_from().is_some_and(|from| from <= end),
                    ended,
                    "{f:?} at {end}: {course:?}"
                );
            }
        }
        // The dossiers drawn reach courses of one, two and three standings.
        assert!(
            segments[1] > 0 && segments[2] > 0 && segments[3] > 0,
            "{segments:?}"
        );
    }

    /// What a store counts with each dossier's course kept (the hub's SQL): the
    /// dossiers received before the end, less those carried over that had ended before
    /// the start, by field, carried or not, and standing at the end.
    #[test]
    fn tallies_of_courses_give_the_report_of_the_facts() {
        use super::super::{Period, Tally, report_as_of, report_from_tallies};
        let mut dice = Dice(7);
        let fields = ["Hộ tịch", "Chứng thực", ""];
        let facts: Vec<Facts> = (0..3000)
            .map(|_| {
                let mut f = dossier(&mut dice);
                f.field = fields[dice.roll(3) as usize].to_string();
                f.online = dice.roll(5) == 0;
                f
            })
            .collect();
        let courses: Vec<Course> = facts.iter().map(Facts::course).collect();
        let november = Period::month(2026, 11, 15).unwrap();
        let december = Period::month(2026, 12, 1).unwrap();
        let as_ofs = [
            "2026-11-20 10:30:00",
            "2026-12-31 23:59:59",
            "2026-12-09 00:00:00",
        ];
        for (period, as_of) in [november, december, november].into_iter().zip(as_ofs) {
            let as_of = NaiveDateTime::parse_from_str(as_of, "%Y-%m-%d %H:%M:%S").unwrap();
            let (start, end) = (
                seconds(period.start()),
                seconds(super::super::cut(&period, as_of)),
            );
            let tallies = facts.iter().zip(&courses).filter_map(|(f, c)| {
                let (carried, standing) = c.counted(start, end)?;
                Some(Tally {
                    field: f.field.clone(),
                    carried,
                    online: f.online,
                    standing,
                    count: 1,
                })
            });
            let counted = report_from_tallies(period, tallies.collect::<Vec<_>>(), as_of);
            assert_eq!(counted, report_as_of(period, &facts, as_of));
            assert!(counted.total.received_total > 100, "{counted:?}");
        }
    }

    #[test]
    fn a_dossier_overdue_while_pending_then_finished_late() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let f = Facts {
            code: String::new(),
            field: String::new(),
            procedure: String::new(),
            clerk: String::new(),
            online: false,
            received_at: t("2026-11-02 08:00"),
            due_at: Some(t("2026-11-05 17:00")),
            steps: vec![(t("2026-11-06 09:00"), Status::ResultReady)],
        };
        let c = f.course();
        let s = |x: &str| seconds(t(x));
        assert_eq!(
            c.segments,
            vec![
                (s("2026-11-02 08:00") + 1, Standing::PendingInTime),
                (s("2026-11-05 17:00") + 1, Standing::PendingLate),
                (s("2026-11-06 09:00") + 1, Standing::Late),
            ]
        );
        assert_eq!(c.ended_from(), Some(s("2026-11-06 09:00") + 1));
        assert_eq!(c.at(s("2026-11-02 08:00")), None);
    }
}
