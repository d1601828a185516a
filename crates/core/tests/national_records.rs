//! Every real national record of `tests/fixtures/catalog/national/` (both 2026-07-18
//! crawls), every case through every channel: the term motcua applies (or the choice it
//! asks of the clerk, or its refusal) against the record's own published term, written
//! out here by reading the record, and the appointment the deadline engine gives
//! against one computed here from that term, for a dossier received Wednesday
//! 07/10/2026 at 09:00.
//!
//! How the expectations read the record (`assets/catalog/README.md`, "Which published
//! term applies"): a channel's term counts as specific to the channel only when the
//! record gives the channels different terms; a case's only when the cases differ;
//! where two statements of equal standing disagree, every one is offered to the clerk,
//! in the record's order (the channel's entries, then the case). `N WORKING_DAY` is
//! working days, `N DAY` calendar days, `N HOUR` hours of the clock, `N WORKING_HOUR`
//! working hours (a `HOUR` whose text says "giờ làm việc", or a half working day),
//! `N MONTH` months, `NONE` "không quy định" (the clerk gives the appointment),
//! `MISSING` nothing usable, `REFUSED` a channel the record does not list.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use motcua_core::calendar::{Term, WorkCalendar};
use motcua_core::catalog::{ImportOptions, SubmissionMethod, TermAnswer, parse_file};

/// One case through one channel: (case selector or "" for none, channel D/P/O,
/// expectation).
type Row = (&'static str, char, &'static str);

/// (fixture file stem, its rows).
const EXPECT: &[(&str, &[Row])] = &[
    (
        "1.000656",
        &[
            ("1.000656.01", 'D', "5 WORKING_DAY"),
            ("1.000656.01", 'P', "5 WORKING_DAY"),
            ("1.000656.01", 'O', "5 WORKING_DAY"),
            ("1.000656.03", 'D', "2 DAY"),
            ("1.000656.03", 'P', "2 DAY"),
            ("1.000656.03", 'O', "2 DAY"),
            ("1.000656.02", 'D', "1 DAY"),
            ("1.000656.02", 'P', "1 DAY"),
            ("1.000656.02", 'O', "1 DAY"),
        ],
    ),
    (
        "1.000905.crawl",
        &[
            ("1.000905.01#1", 'D', "5 WORKING_DAY"),
            ("1.000905.01#1", 'P', "5 WORKING_DAY"),
            ("1.000905.01#1", 'O', "5 WORKING_DAY"),
            ("1.000905.01#2", 'D', "5 DAY"),
            ("1.000905.01#2", 'P', "5 DAY"),
            ("1.000905.01#2", 'O', "5 DAY"),
        ],
    ),
    (
        "1.001193",
        &[
            ("1.001193.02", 'D', "1 WORKING_DAY"),
            ("1.001193.02", 'P', "1 WORKING_DAY"),
            ("1.001193.02", 'O', "1 WORKING_DAY"),
            ("1.001193.01", 'D', "1 WORKING_DAY"),
            ("1.001193.01", 'P', "1 WORKING_DAY"),
            ("1.001193.01", 'O', "1 WORKING_DAY"),
        ],
    ),
    (
        "1.002759.crawl",
        &[
            ("1.002759.03", 'D', "45 DAY"),
            ("1.002759.03", 'P', "45 DAY"),
            ("1.002759.03", 'O', "45 DAY"),
            ("1.002759.09", 'D', "3 WORKING_DAY"),
            ("1.002759.09", 'P', "3 WORKING_DAY"),
            ("1.002759.09", 'O', "3 WORKING_DAY"),
            ("1.002759.01#1", 'D', "45 DAY"),
            ("1.002759.01#1", 'P', "45 DAY"),
            ("1.002759.01#1", 'O', "45 DAY"),
            ("1.002759.04", 'D', "45 DAY"),
            ("1.002759.04", 'P', "45 DAY"),
            ("1.002759.04", 'O', "45 DAY"),
            ("1.002759.10", 'D', "3 WORKING_DAY"),
            ("1.002759.10", 'P', "3 WORKING_DAY"),
            ("1.002759.10", 'O', "3 WORKING_DAY"),
            ("1.002759.06", 'D', "45 WORKING_DAY"),
            ("1.002759.06", 'P', "45 WORKING_DAY"),
            ("1.002759.06", 'O', "45 WORKING_DAY"),
            ("1.002759.08", 'D', "3 WORKING_DAY"),
            ("1.002759.08", 'P', "3 WORKING_DAY"),
            ("1.002759.08", 'O', "3 WORKING_DAY"),
            ("1.002759.02#1", 'D', "1 WORKING_DAY"),
            ("1.002759.02#1", 'P', "1 WORKING_DAY"),
            ("1.002759.02#1", 'O', "1 WORKING_DAY"),
            ("1.002759.05#1", 'D', "1 WORKING_DAY"),
            ("1.002759.05#1", 'P', "1 WORKING_DAY"),
            ("1.002759.05#1", 'O', "1 WORKING_DAY"),
            ("1.002759.07", 'D', "3 DAY"),
            ("1.002759.07", 'P', "3 DAY"),
            ("1.002759.07", 'O', "3 DAY"),
            ("1.002759.02#2", 'D', "45 DAY"),
            ("1.002759.02#2", 'P', "45 DAY"),
            ("1.002759.02#2", 'O', "45 DAY"),
            ("1.002759.01#2", 'D', "1 WORKING_DAY"),
            ("1.002759.01#2", 'P', "1 WORKING_DAY"),
            ("1.002759.01#2", 'O', "1 WORKING_DAY"),
            ("1.002759.11", 'D', "45 DAY"),
            ("1.002759.11", 'P', "45 DAY"),
            ("1.002759.11", 'O', "45 DAY"),
            ("1.002759.05#2", 'D', "1 WORKING_DAY"),
            ("1.002759.05#2", 'P', "1 WORKING_DAY"),
            ("1.002759.05#2", 'O', "1 WORKING_DAY"),
        ],
    ),
    (
        "1.004222",
        &[
            ("1.004222.01", 'D', "7 WORKING_DAY"),
            ("1.004222.01", 'P', "REFUSED"),
            ("1.004222.01", 'O', "7 WORKING_DAY"),
        ],
    ),
    (
        "1.004837",
        &[
            ("1.004837.01", 'D', "3 WORKING_DAY | 5 WORKING_DAY"),
            ("1.004837.01", 'P', "3 WORKING_DAY | 5 WORKING_DAY"),
            ("1.004837.01", 'O', "3 WORKING_DAY | 5 WORKING_DAY"),
        ],
    ),
    (
        "1.004845",
        &[
            ("1.004845.01", 'D', "2 WORKING_DAY | 3 WORKING_DAY"),
            ("1.004845.01", 'P', "2 WORKING_DAY | 3 WORKING_DAY"),
            ("1.004845.01", 'O', "2 WORKING_DAY | 3 WORKING_DAY"),
        ],
    ),
    (
        "1.004946.crawl",
        &[
            ("1.004946.01", 'D', "12 HOUR"),
            ("1.004946.01", 'P', "REFUSED"),
            ("1.004946.01", 'O', "REFUSED"),
        ],
    ),
    (
        "1.005040.crawl",
        &[
            ("1.005040.01", 'D', "2 WORKING_HOUR | 2 HOUR"),
            ("1.005040.01", 'P', "REFUSED"),
            ("1.005040.01", 'O', "REFUSED"),
        ],
    ),
    (
        "1.006545.crawl",
        &[
            ("1.006545.01", 'D', "NONE | 30 WORKING_DAY"),
            ("1.006545.01", 'P', "NONE | 30 WORKING_DAY"),
            ("1.006545.01", 'O', "30 WORKING_DAY"),
        ],
    ),
    (
        "1.007689.crawl",
        &[
            ("1.007689.01", 'D', "1 MONTH"),
            ("1.007689.01", 'P', "1 MONTH"),
            ("1.007689.01", 'O', "1 MONTH"),
        ],
    ),
    (
        "1.007840.crawl",
        &[
            ("1.007840.01", 'D', "MISSING"),
            ("1.007840.01", 'P', "REFUSED"),
            ("1.007840.01", 'O', "REFUSED"),
        ],
    ),
    (
        "1.008312.crawl",
        &[
            ("1.008312.01", 'D', "NONE | 1 WORKING_DAY"),
            ("1.008312.01", 'P', "NONE | 1 WORKING_DAY"),
            ("1.008312.01", 'O', "NONE | 1 WORKING_DAY"),
        ],
    ),
    (
        "1.008925.crawl",
        &[
            ("1.008925.02", 'D', "3 WORKING_DAY"),
            ("1.008925.02", 'P', "3 WORKING_DAY"),
            ("1.008925.02", 'O', "3 WORKING_DAY"),
            ("1.008925.01", 'D', "3 DAY"),
            ("1.008925.01", 'P', "3 DAY"),
            ("1.008925.01", 'O', "3 DAY"),
        ],
    ),
    (
        "1.009122",
        &[
            ("1.009122.11", 'D', "15 DAY"),
            ("1.009122.11", 'P', "15 DAY"),
            ("1.009122.11", 'O', "15 DAY"),
            ("1.009122.10", 'D', "15 DAY"),
            ("1.009122.10", 'P', "15 DAY"),
            ("1.009122.10", 'O', "15 DAY"),
            ("1.009122.12", 'D', "10 DAY"),
            ("1.009122.12", 'P', "10 DAY"),
            ("1.009122.12", 'O', "10 DAY"),
        ],
    ),
    (
        "1.009535.crawl",
        &[
            ("1.009535.01", 'D', "7 WORKING_DAY"),
            ("1.009535.01", 'P', "7 WORKING_DAY"),
            ("1.009535.01", 'O', "7 WORKING_DAY"),
            ("1.009535.03", 'D', "7 DAY"),
            ("1.009535.03", 'P', "7 DAY"),
            ("1.009535.03", 'O', "7 DAY"),
            ("1009535.01", 'D', "7 WORKING_DAY"),
            ("1009535.01", 'P', "7 WORKING_DAY"),
            ("1009535.01", 'O', "7 WORKING_DAY"),
            ("1.009535.04", 'D', "7 DAY"),
            ("1.009535.04", 'P', "7 DAY"),
            ("1.009535.04", 'O', "7 DAY"),
        ],
    ),
    (
        "1.010494.crawl",
        &[
            ("1.010494.02", 'D', "REFUSED"),
            ("1.010494.02", 'P', "30 WORKING_DAY"),
            ("1.010494.02", 'O', "30 WORKING_DAY"),
            ("1.115037.01", 'D', "REFUSED"),
            ("1.115037.01", 'P', "30 WORKING_DAY"),
            ("1.115037.01", 'O', "30 WORKING_DAY"),
        ],
    ),
    (
        "1.010801.crawl",
        &[
            ("1.010801.01", 'D', "10 DAY"),
            ("1.010801.01", 'P', "20 DAY"),
            ("1.010801.01", 'O', "REFUSED"),
        ],
    ),
    (
        "1.010803.crawl",
        &[
            ("1.010803.01", 'D', "10 WORKING_DAY | 17 DAY"),
            ("1.010803.01", 'P', "10 WORKING_DAY | 17 DAY"),
            ("1.010803.01", 'O', "10 WORKING_DAY | 17 DAY"),
        ],
    ),
    (
        "1.011609.crawl",
        &[
            ("1.011609.01", 'D', "15 DAY | 15 WORKING_DAY"),
            ("1.011609.01", 'P', "15 DAY | 15 WORKING_DAY"),
            ("1.011609.01", 'O', "REFUSED"),
        ],
    ),
    (
        "1.012538.crawl",
        &[
            (
                "1.012538.01",
                'D',
                "2 WORKING_DAY | 5 WORKING_DAY | 3 WORKING_DAY",
            ),
            (
                "1.012538.01",
                'P',
                "2 WORKING_DAY | 3 WORKING_DAY | 5 WORKING_DAY",
            ),
            (
                "1.012538.01",
                'O',
                "2 WORKING_DAY | 5 WORKING_DAY | 3 WORKING_DAY",
            ),
        ],
    ),
    (
        "1.012766.crawl",
        &[
            ("1.012766.01", 'D', "13 WORKING_DAY"),
            ("1.012766.01", 'P', "3 WORKING_DAY"),
            ("1.012766.01", 'O', "3 WORKING_DAY"),
        ],
    ),
    (
        "1.012812.crawl",
        &[
            ("1.012812.01", 'D', "40 DAY"),
            ("1.012812.01", 'P', "30 DAY"),
            ("1.012812.01", 'O', "REFUSED"),
        ],
    ),
    (
        "1.013065.crawl",
        &[
            ("1.013065.01", 'D', "REFUSED"),
            ("1.013065.01", 'P', "REFUSED"),
            ("1.013065.01", 'O', "8 WORKING_HOUR | 8 HOUR"),
        ],
    ),
    (
        "1.013225",
        &[
            ("1.013225.01", 'D', "10 WORKING_DAY | 20 DAY"),
            ("1.013225.01", 'P', "10 WORKING_DAY | 20 DAY"),
            ("1.013225.01", 'O', "10 WORKING_DAY | 20 DAY"),
        ],
    ),
    (
        "1.013734.crawl",
        &[
            ("1.013734.01", 'D', "5 WORKING_DAY"),
            ("1.013734.01", 'P', "5 WORKING_DAY"),
            ("1.013734.01", 'O', "5 WORKING_DAY"),
        ],
    ),
    (
        "1.013950.crawl",
        &[
            ("1.013950.01", 'D', "25 DAY"),
            ("1.013950.01", 'P', "15 DAY"),
            ("1.013950.01", 'O', "15 DAY"),
        ],
    ),
    (
        "1.014030.crawl",
        &[
            ("1.014030.01", 'D', "REFUSED"),
            ("1.014030.01", 'P', "REFUSED"),
            ("1.014030.01", 'O', "1 MONTH"),
        ],
    ),
    (
        "1.014036.crawl",
        &[
            ("1.014.036.01", 'D', "12 DAY | 27 WORKING_DAY"),
            ("1.014.036.01", 'P', "12 DAY | 27 WORKING_DAY"),
            ("1.014.036.01", 'O', "12 DAY | 27 WORKING_DAY"),
            ("1.014036.02", 'D', "12 DAY | 27 WORKING_DAY"),
            ("1.014036.02", 'P', "12 DAY | 27 WORKING_DAY"),
            ("1.014036.02", 'O', "12 DAY | 27 WORKING_DAY"),
        ],
    ),
    (
        "1.014194.crawl",
        &[
            ("1.014194.H38", 'D', "7 WORKING_DAY"),
            ("1.014194.H38", 'P', "7 WORKING_DAY"),
            ("1.014194.H38", 'O', "7 WORKING_DAY"),
            ("1.014945.01", 'D', "7 WORKING_DAY"),
            ("1.014945.01", 'P', "7 WORKING_DAY"),
            ("1.014945.01", 'O', "7 WORKING_DAY"),
        ],
    ),
    (
        "1.014325_leading_space.crawl",
        &[
            ("1.014325.01", 'D', "6 WORKING_DAY"),
            ("1.014325.01", 'P', "6 WORKING_DAY"),
            ("1.014325.01", 'O', "6 WORKING_DAY"),
            ("1.115041.02", 'D', "6 WORKING_DAY"),
            ("1.115041.02", 'P', "6 WORKING_DAY"),
            ("1.115041.02", 'O', "6 WORKING_DAY"),
        ],
    ),
    (
        "1.014485.crawl",
        &[
            ("1.014485.02", 'D', "25 WORKING_DAY | 27 WORKING_DAY"),
            ("1.014485.02", 'P', "25 WORKING_DAY | 27 WORKING_DAY"),
            ("1.014485.02", 'O', "25 WORKING_DAY | 27 WORKING_DAY"),
            ("1.014963.01", 'D', "25 WORKING_DAY | 27 WORKING_DAY"),
            ("1.014963.01", 'P', "25 WORKING_DAY | 27 WORKING_DAY"),
            ("1.014963.01", 'O', "25 WORKING_DAY | 27 WORKING_DAY"),
        ],
    ),
    (
        "1.014489.crawl",
        &[
            ("1.014489.01", 'D', "10 WORKING_DAY | 22 WORKING_DAY"),
            ("1.014489.01", 'P', "10 WORKING_DAY | 22 WORKING_DAY"),
            ("1.014489.01", 'O', "10 WORKING_DAY | 22 WORKING_DAY"),
            ("1.014489.02", 'D', "10 WORKING_DAY | 22 WORKING_DAY"),
            ("1.014489.02", 'P', "10 WORKING_DAY | 22 WORKING_DAY"),
            ("1.014489.02", 'O', "10 WORKING_DAY | 22 WORKING_DAY"),
            ("1.014489.03", 'D', "10 WORKING_DAY | 22 WORKING_DAY"),
            ("1.014489.03", 'P', "10 WORKING_DAY | 22 WORKING_DAY"),
            ("1.014489.03", 'O', "10 WORKING_DAY | 22 WORKING_DAY"),
        ],
    ),
    (
        "1.115130.crawl",
        &[
            ("1.115130.01", 'D', "28 WORKING_HOUR"),
            ("1.115130.01", 'P', "28 WORKING_HOUR"),
            ("1.115130.01", 'O', "28 WORKING_HOUR"),
        ],
    ),
    (
        "1.115148.crawl",
        &[
            ("1.115148.01", 'D', "MISSING"),
            ("1.115148.01", 'P', "MISSING"),
            ("1.115148.01", 'O', "MISSING"),
        ],
    ),
    (
        "1.115189.crawl",
        &[
            ("1.115189#1", 'D', "3 WORKING_DAY | 1 WORKING_DAY"),
            ("1.115189#1", 'P', "3 DAY | 1 WORKING_DAY"),
            ("1.115189#1", 'O', "3 WORKING_DAY | 1 WORKING_DAY"),
            ("1.115189.115190", 'D', "3 WORKING_DAY | 2 DAY"),
            ("1.115189.115190", 'P', "3 DAY | 2 DAY"),
            ("1.115189.115190", 'O', "3 WORKING_DAY | 2 DAY"),
            ("1.115189#2", 'D', "3 WORKING_DAY | 1 WORKING_DAY"),
            ("1.115189#2", 'P', "3 DAY | 1 WORKING_DAY"),
            ("1.115189#2", 'O', "3 WORKING_DAY | 1 WORKING_DAY"),
        ],
    ),
    (
        "1.115494",
        &[
            ("1.115494.02", 'D', "10 WORKING_DAY"),
            ("1.115494.02", 'P', "10 WORKING_DAY"),
            ("1.115494.02", 'O', "10 WORKING_DAY"),
            ("1.115494.01", 'D', "20 WORKING_DAY"),
            ("1.115494.01", 'P', "20 WORKING_DAY"),
            ("1.115494.01", 'O', "20 WORKING_DAY"),
        ],
    ),
    (
        "1.115593",
        &[
            ("1.115593.01", 'D', "28 WORKING_HOUR"),
            ("1.115593.01", 'P', "28 WORKING_HOUR"),
            ("1.115593.01", 'O', "28 WORKING_HOUR"),
        ],
    ),
    (
        "1.115711",
        &[
            ("", 'D', "3 WORKING_DAY"),
            ("", 'P', "3 WORKING_DAY"),
            ("", 'O', "3 WORKING_DAY"),
        ],
    ),
    (
        "1.115729",
        &[
            ("", 'D', "8 WORKING_DAY | 15 WORKING_DAY | 10 WORKING_DAY"),
            ("", 'P', "8 WORKING_DAY | 15 WORKING_DAY | 10 WORKING_DAY"),
            ("", 'O', "8 WORKING_DAY | 15 WORKING_DAY | 10 WORKING_DAY"),
        ],
    ),
    (
        "1.115747",
        &[("", 'D', "7 DAY"), ("", 'P', "7 DAY"), ("", 'O', "7 DAY")],
    ),
    (
        "1.115803.crawl",
        &[
            ("1.115803", 'D', "24 MONTH | 1 MONTH"),
            ("1.115803", 'P', "24 MONTH | 1 MONTH"),
            ("1.115803", 'O', "REFUSED"),
        ],
    ),
    (
        "1.115804.crawl",
        &[
            ("1.115804", 'D', "12 MONTH | 1 WORKING_DAY"),
            ("1.115804", 'P', "12 MONTH | 1 WORKING_DAY"),
            ("1.115804", 'O', "REFUSED"),
        ],
    ),
    (
        "2.000635",
        &[
            ("2.000635.02", 'D', "1 DAY"),
            ("2.000635.02", 'P', "1 DAY"),
            ("2.000635.02", 'O', "1 DAY"),
            ("2.000635.03", 'D', "1 WORKING_DAY"),
            ("2.000635.03", 'P', "1 WORKING_DAY"),
            ("2.000635.03", 'O', "1 WORKING_DAY"),
            ("2.000635.04", 'D', "1 WORKING_DAY"),
            ("2.000635.04", 'P', "1 WORKING_DAY"),
            ("2.000635.04", 'O', "1 WORKING_DAY"),
            ("2.000635.01", 'D', "15 WORKING_DAY"),
            ("2.000635.01", 'P', "15 WORKING_DAY"),
            ("2.000635.01", 'O', "15 WORKING_DAY"),
        ],
    ),
    (
        "2.000720.crawl",
        &[
            ("2.000720", 'D', "3 WORKING_DAY"),
            ("2.000720", 'P', "3 WORKING_DAY"),
            ("2.000720", 'O', "3 WORKING_DAY"),
        ],
    ),
    (
        "2.000815.crawl",
        &[
            ("2.000815.01", 'D', "1 WORKING_DAY"),
            ("2.000815.01", 'P', "REFUSED"),
            ("2.000815.01", 'O', "REFUSED"),
        ],
    ),
    (
        "2.000815",
        &[
            ("2.000815.01", 'D', "1 WORKING_DAY"),
            ("2.000815.01", 'P', "REFUSED"),
            ("2.000815.01", 'O', "REFUSED"),
        ],
    ),
    (
        "2.000884.crawl",
        &[
            ("2.000884.01", 'D', "1 WORKING_DAY"),
            ("2.000884.01", 'P', "REFUSED"),
            ("2.000884.01", 'O', "REFUSED"),
            ("2.000884.02", 'D', "1 WORKING_DAY"),
            ("2.000884.02", 'P', "REFUSED"),
            ("2.000884.02", 'O', "REFUSED"),
        ],
    ),
    (
        "2.000992.crawl",
        &[
            ("2.000992.01", 'D', "1 WORKING_DAY"),
            ("2.000992.01", 'P', "REFUSED"),
            ("2.000992.01", 'O', "REFUSED"),
            ("2.000992.02", 'D', "15 HOUR"),
            ("2.000992.02", 'P', "REFUSED"),
            ("2.000992.02", 'O', "REFUSED"),
            ("2.000992.03", 'D', "1 WORKING_DAY"),
            ("2.000992.03", 'P', "REFUSED"),
            ("2.000992.03", 'O', "REFUSED"),
        ],
    ),
    (
        "2.001016.crawl",
        &[
            ("2.001016.01", 'D', "1 WORKING_DAY"),
            ("2.001016.01", 'P', "1 WORKING_DAY"),
            ("2.001016.01", 'O', "1 WORKING_DAY"),
        ],
    ),
    (
        "2.002165.crawl",
        &[
            ("2.002165.01", 'D', "2 WORKING_DAY"),
            ("2.002165.01", 'P', "2 WORKING_DAY"),
            ("2.002165.01", 'O', "2 WORKING_DAY"),
        ],
    ),
];

/// Weekdays off from October 2026 on (holiday schedules of 2026 and 2027: BLLĐ 2019 art.
/// 112, NQ 28/2026/QH16 for 24/11, CV 10065/VPCP-KGVX for Tết 2027); no make-up
/// Saturday falls in that span.
const OFF: &[&str] = &[
    "2026-11-24",
    "2027-01-01",
    "2027-02-04",
    "2027-02-05",
    "2027-02-08",
    "2027-02-09",
    "2027-02-10",
    "2027-04-16",
    "2027-04-30",
    "2027-05-03",
    "2027-09-02",
    "2027-09-03",
    "2027-11-24",
];

fn received() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 10, 7)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

fn working(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
        && !OFF.contains(&d.format("%Y-%m-%d").to_string().as_str())
}

fn on_or_after(mut d: NaiveDate) -> NaiveDate {
    while !working(d) {
        d = d.succ_opt().unwrap();
    }
    d
}

/// The appointment from the published term, computed here: working days and hours run in
/// the sessions 07:00–11:30 and 13:30–17:00 of working days; calendar days and months end
/// at 17:00 on the day (the next working one if it is not); clock hours are the clock's.
fn oracle(term: &str) -> NaiveDateTime {
    let r = received();
    let (n, unit) = term.split_once(' ').unwrap();
    let n: u32 = n.parse().unwrap();
    let at5 = |d: NaiveDate| d.and_hms_opt(17, 0, 0).unwrap();
    match unit {
        "WORKING_DAY" | "WORKING_HOUR" => {
            let mut left = if unit == "WORKING_DAY" {
                n * 8 * 60
            } else {
                n * 60
            };
            let sessions = [((7, 0), (11, 30)), ((13, 30), (17, 0))];
            let mut t = r;
            loop {
                if working(t.date()) {
                    for ((h1, m1), (h2, m2)) in sessions {
                        let start = t.date().and_hms_opt(h1, m1, 0).unwrap().max(t);
                        let end = t.date().and_hms_opt(h2, m2, 0).unwrap();
                        if start >= end {
                            continue;
                        }
                        let room = (end - start).num_minutes() as u32;
                        if left <= room {
                            return start + Duration::minutes(left as i64);
                        }
                        left -= room;
                    }
                }
                t = t.date().succ_opt().unwrap().and_time(NaiveTime::MIN);
            }
        }
        "DAY" => at5(on_or_after(r.date() + Duration::days(n as i64))),
        "HOUR" => r + Duration::hours(n as i64),
        "MONTH" => {
            let months = r.year() * 12 + r.month0() as i32 + n as i32;
            let (y, m0) = (months / 12, (months % 12) as u32);
            let day = (1..=r.day())
                .rev()
                .find_map(|d| NaiveDate::from_ymd_opt(y, m0 + 1, d))
                .unwrap();
            at5(on_or_after(day))
        }
        other => panic!("unit {other}"),
    }
}

/// The expectation's term in the engine's notation, `None` for NONE.
fn engine_term(e: &str) -> Option<Term> {
    if e == "NONE" {
        return None;
    }
    let (n, unit) = e.split_once(' ').unwrap();
    let short = match unit {
        "WORKING_DAY" => "wd",
        "WORKING_HOUR" => "wh",
        "DAY" => "d",
        "HOUR" => "h",
        "MONTH" => "mo",
        other => panic!("unit {other}"),
    };
    Some(format!("{n}{short}").parse().unwrap())
}

fn read(stem: &str) -> motcua_core::catalog::Procedure {
    let path = format!(
        "{}/../../tests/fixtures/catalog/national/{stem}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut cat =
        parse_file(&text, &ImportOptions::default()).unwrap_or_else(|e| panic!("{stem}: {e}"));
    assert_eq!(cat.procedures.len(), 1, "{stem}");
    cat.procedures.remove(0)
}

#[test]
fn every_case_through_every_channel_follows_the_published_term() {
    let cal = WorkCalendar::with_builtin();
    let mut checked = 0;
    let mut appointments = 0;
    let files: std::collections::BTreeSet<String> = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/catalog/national"
    ))
    .unwrap()
    .filter_map(|e| {
        let name = e.unwrap().file_name().into_string().unwrap();
        name.strip_suffix(".json").map(str::to_string)
    })
    .collect();
    let listed: std::collections::BTreeSet<String> =
        EXPECT.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(files, listed, "every fixture record has its expectations");
    assert!(files.len() >= 40);
    for (stem, rows) in EXPECT {
        let p = read(stem);
        // Every case (or the procedure without cases) and every channel, once.
        let mut want: Vec<(String, char)> = Vec::new();
        let selectors: Vec<String> = if p.cases.is_empty() {
            vec![String::new()]
        } else {
            (0..p.cases.len()).map(|i| p.case_selector(i)).collect()
        };
        for s in &selectors {
            for m in ['D', 'P', 'O'] {
                want.push((s.clone(), m));
            }
        }
        let mut have: Vec<(String, char)> =
            rows.iter().map(|(s, m, _)| (s.to_string(), *m)).collect();
        want.sort();
        have.sort();
        assert_eq!(have, want, "{stem}: the rows cover every case and channel");
        for (sel, m, expect) in rows.iter() {
            let method = match m {
                'D' => SubmissionMethod::Direct,
                'P' => SubmissionMethod::Postal,
                _ => SubmissionMethod::Online,
            };
            let case = (!sel.is_empty()).then(|| {
                p.case(sel)
                    .unwrap_or_else(|| panic!("{stem}: no case «{sel}»"))
            });
            let at = format!("{stem} {sel} {m}");
            checked += 1;
            if *expect == "REFUSED" {
                assert!(!p.offers(method), "{at}: the record does not list it");
                continue;
            }
            assert!(p.offers(method), "{at}");
            let answer = p.applicable(case, method).term;
            if *expect == "MISSING" {
                assert!(
                    matches!(answer, TermAnswer::Missing { .. }),
                    "{at}: {answer:?}"
                );
                continue;
            }
            let expected: Vec<&str> = expect.split(" | ").collect();
            let got: Vec<Option<Term>> = answer.options().iter().map(|o| o.term).collect();
            let want: Vec<Option<Term>> = expected.iter().map(|e| engine_term(e)).collect();
            assert_eq!(got, want, "{at}: {answer:?}");
            assert_eq!(
                matches!(answer, TermAnswer::Choose { .. }),
                expected.len() > 1,
                "{at}: a choice exactly where the record's statements disagree"
            );
            for (e, term) in expected.iter().zip(&want) {
                let Some(term) = term else { continue };
                let due = cal
                    .due(received(), *term)
                    .unwrap_or_else(|e| panic!("{at}: {e}"));
                assert_eq!(due.at, oracle(e), "{at}: {e}");
                appointments += 1;
            }
        }
    }
    assert!(checked >= 250, "{checked}");
    assert!(appointments >= 200, "{appointments}");
    eprintln!("{checked} case × channel pairs, {appointments} appointments checked");
}
