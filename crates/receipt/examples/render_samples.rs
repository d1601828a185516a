//! Writes every form of both sets, rendered from the test samples, into a directory
//! (default `target/receipt-samples`), to look at with a PDF viewer or `pdftoppm`:
//! `cargo run -p motcua-receipt --example render_samples -- /tmp/out`.

#[path = "../tests/common/samples.rs"]
mod samples;

use motcua_receipt::{
    FormSet, Layout, render_apology, render_control, render_ledger, render_receipt, render_refusal,
    render_stop, render_supplement,
};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/receipt-samples".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let mut forms: Vec<(String, motcua_receipt::Form)> = Vec::new();
    for (tag, set) in [("2025", FormSet::Tt03_2025), ("2018", FormSet::Tt01_2018)] {
        let apology = match set {
            FormSet::Tt03_2025 => samples::apology_2025(),
            FormSet::Tt01_2018 => samples::apology(),
        };
        let mut some = vec![
            (
                "01-receipt-a4",
                render_receipt(&samples::receipt(), Layout::A4x2, set)?,
            ),
            (
                "01-receipt-a5",
                render_receipt(&samples::receipt(), Layout::A5x2, set)?,
            ),
            (
                "01-awkward-a4",
                render_receipt(&samples::awkward_receipt(), Layout::A4x2, set)?,
            ),
            (
                "01-awkward-a5",
                render_receipt(&samples::awkward_receipt(), Layout::A5x2, set)?,
            ),
            (
                "02-supplement",
                render_supplement(&samples::supplement(), set)?,
            ),
            ("03-refusal", render_refusal(&samples::refusal(), set)?),
            ("04-apology", render_apology(&apology, set)?),
            ("07-ledger", render_ledger(&samples::ledger(40), set)?),
            ("07-ledger-empty", render_ledger(&samples::ledger(0), set)?),
        ];
        if set == FormSet::Tt03_2025 {
            some.extend([
                (
                    "01-proxy-a4",
                    render_receipt(&samples::proxy_receipt(), Layout::A4x2, set)?,
                ),
                (
                    "01-organisation-a4",
                    render_receipt(&samples::organisation_receipt(), Layout::A4x2, set)?,
                ),
                ("05-stop", render_stop(&samples::stop())?),
                ("06-control", render_control(&samples::control())?),
                ("06-control-long", render_control(&samples::long_control())?),
            ]);
        }
        forms.extend(
            some.into_iter()
                .map(|(name, bytes)| (format!("{tag}-{name}"), bytes)),
        );
    }
    for (name, bytes) in forms {
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &bytes)?;
        println!("{} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}
