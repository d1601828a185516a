//! Writes every form, rendered from the test samples, into a directory (default
//! `target/receipt-samples`), to look at with a PDF viewer or `pdftoppm`:
//! `cargo run -p motcua-receipt --example render_samples -- /tmp/out`.

#[path = "../tests/common/samples.rs"]
mod samples;

use motcua_receipt::{
    Layout, render_apology, render_ledger, render_receipt, render_refusal, render_supplement,
};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/receipt-samples".into()),
    );
    std::fs::create_dir_all(&dir)?;
    let forms: Vec<(&str, Vec<u8>)> = vec![
        (
            "receipt-a4",
            render_receipt(&samples::receipt(), Layout::A4x2)?,
        ),
        (
            "receipt-a5",
            render_receipt(&samples::receipt(), Layout::A5x2)?,
        ),
        (
            "awkward-a4",
            render_receipt(&samples::awkward_receipt(), Layout::A4x2)?,
        ),
        (
            "awkward-a5",
            render_receipt(&samples::awkward_receipt(), Layout::A5x2)?,
        ),
        ("supplement", render_supplement(&samples::supplement())?),
        ("refusal", render_refusal(&samples::refusal())?),
        ("apology", render_apology(&samples::apology())?),
        ("ledger", render_ledger(&samples::ledger(40))?),
        ("ledger-empty", render_ledger(&samples::ledger(0))?),
    ];
    for (name, bytes) in forms {
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &bytes)?;
        println!("{} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}
