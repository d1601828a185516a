//! Prints how much of a catalogue file gives the counter a term: per procedure offered
//! at the counter, whether every case through every channel the record offers has one
//! confirmed term, needs the clerk to choose among published terms, rests on a term read
//! from free text (unconfirmed), has no statutory term (the clerk gives the appointment),
//! or has none in the catalogue (the clerk types the listing's).
//!
//! `cargo run -p motcua-core --example catalog_coverage [FILE]` (default: the built-in
//! Vĩnh Bảo list). The figures in `assets/catalog/README.md` come from it.

use motcua_core::catalog::{ImportOptions, Procedure, SubmissionMethod, TermAnswer, parse_file};
use std::collections::BTreeMap;

/// What a procedure gives the counter, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Coverage {
    Missing,
    Choose,
    NoStatutory,
    Unconfirmed,
    Confirmed,
}

impl Coverage {
    fn label(self) -> &'static str {
        match self {
            Coverage::Confirmed => "one confirmed term for every case and channel",
            Coverage::Unconfirmed => "a term, some only read from the record's text",
            Coverage::NoStatutory => "no statutory term (the clerk gives the appointment)",
            Coverage::Choose => "published terms disagree somewhere: the clerk chooses",
            Coverage::Missing => "no term in the catalogue somewhere (the listing's is typed)",
        }
    }
}

fn coverage(p: &Procedure) -> Coverage {
    let methods: Vec<SubmissionMethod> = match p.methods() {
        m if m.is_empty() => vec![SubmissionMethod::Direct, SubmissionMethod::Postal],
        m => m
            .into_iter()
            .filter(|m| *m != SubmissionMethod::Online)
            .collect(),
    };
    let cases: Vec<Option<&motcua_core::catalog::ProcedureCase>> = if p.cases.is_empty() {
        vec![None]
    } else {
        p.cases.iter().map(Some).collect()
    };
    let mut worst = Coverage::Confirmed;
    for c in cases {
        for m in &methods {
            let here = match p.applicable(c, *m).term {
                TermAnswer::Missing { .. } => Coverage::Missing,
                TermAnswer::Choose { .. } => Coverage::Choose,
                TermAnswer::One(o) if o.term.is_none() => Coverage::NoStatutory,
                TermAnswer::One(o) if o.unconfirmed => Coverage::Unconfirmed,
                TermAnswer::One(_) => Coverage::Confirmed,
            };
            worst = worst.min(here);
        }
    }
    // Only counter channels count: a procedure received online only is not the counter's.
    if methods.is_empty() {
        return Coverage::Missing;
    }
    worst
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = match std::env::args().nth(1) {
        Some(f) => std::fs::read_to_string(f)?,
        None => include_str!("../../../assets/catalog/national/vinh-bao-hai-phong.json").into(),
    };
    let cat = parse_file(&text, &ImportOptions::default())?;
    let offered: Vec<&Procedure> = cat.procedures.iter().filter(|p| p.offered).collect();
    println!(
        "catalogue {}: {} procedures, {} offered at the counter",
        cat.version,
        cat.procedures.len(),
        offered.len()
    );
    let mut by: BTreeMap<Coverage, Vec<&str>> = BTreeMap::new();
    for p in &offered {
        by.entry(coverage(p)).or_default().push(&p.code);
    }
    let verbose = std::env::var_os("COVERAGE_DETAIL").is_some();
    for (c, codes) in by.iter().rev() {
        println!("{:>4}  {}", codes.len(), c.label());
        if codes.len() <= 40 || verbose {
            println!("      {}", codes.join(" "));
        }
    }
    if verbose {
        for p in &offered {
            if coverage(p) != Coverage::Choose {
                continue;
            }
            println!("\n{} {}", p.code, p.name);
            for m in p.methods() {
                let cases: Vec<Option<&motcua_core::catalog::ProcedureCase>> = if p.cases.is_empty()
                {
                    vec![None]
                } else {
                    p.cases.iter().map(Some).collect()
                };
                for c in cases {
                    if let TermAnswer::Choose { options } = p.applicable(c, m).term {
                        let texts: Vec<String> = options
                            .iter()
                            .map(|o| o.text.chars().take(120).collect())
                            .collect();
                        println!(
                            "  {} {}: {}",
                            c.map_or("-", |c| c.code.as_str()),
                            m.label(),
                            texts.join(" | ")
                        );
                    }
                }
            }
        }
    }
    Ok(())
}
