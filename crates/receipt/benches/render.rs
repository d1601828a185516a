//! Rendering cost of the forms, in process (fonts already parsed, as in a running app).
//! Prints the PDF sizes once. Run with
//! `cargo bench -p motcua-receipt --bench render -- --warm-up-time 1 --measurement-time 3`.

#[path = "../tests/common/samples.rs"]
mod samples;

use criterion::{Criterion, criterion_group, criterion_main};
use motcua_receipt::{FormSet, Layout, render_ledger, render_receipt, render_supplement};
use std::hint::black_box;

/// The default set, which the counter prints.
const SET: FormSet = FormSet::Tt03_2025;

fn render(c: &mut Criterion) {
    let receipt = samples::receipt();
    let awkward = samples::awkward_receipt();
    let supplement = samples::supplement();
    let ledger = samples::ledger(20);
    for (name, bytes) in [
        ("Mẫu 01 A4x2", render_receipt(&receipt, Layout::A4x2, SET)),
        ("Mẫu 01 A5x2", render_receipt(&receipt, Layout::A5x2, SET)),
        (
            "Mẫu 01 A4x2, 40 documents",
            render_receipt(&awkward, Layout::A4x2, SET),
        ),
        ("Mẫu 02", render_supplement(&supplement, SET)),
        ("Sổ theo dõi, 20 rows", render_ledger(&ledger, SET)),
    ] {
        let bytes = bytes.expect("sample renders");
        println!(
            "{name}: {} bytes ({:.1} KB)",
            bytes.len(),
            bytes.len() as f64 / 1024.0
        );
    }

    c.bench_function("mau01_a4x2", |b| {
        b.iter(|| render_receipt(black_box(&receipt), Layout::A4x2, SET))
    });
    c.bench_function("mau01_a5x2", |b| {
        b.iter(|| render_receipt(black_box(&receipt), Layout::A5x2, SET))
    });
    c.bench_function("mau01_a4x2_40_documents", |b| {
        b.iter(|| render_receipt(black_box(&awkward), Layout::A4x2, SET))
    });
    c.bench_function("mau02", |b| {
        b.iter(|| render_supplement(black_box(&supplement), SET))
    });
    c.bench_function("ledger_20_rows", |b| {
        b.iter(|| render_ledger(black_box(&ledger), SET))
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
