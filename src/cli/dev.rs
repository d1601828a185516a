//! `motcua dev …`: tools for benchmarks and robustness tests, not for the counter.

use super::{now_vn, open_store};
use crate::paths::Paths;
use anyhow::{Context, Result, bail};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use motcua_core::dossier::{Document, Party, ProcedureRef, ResultDelivery, ValidInput};
use motcua_store::ReceiveRequest;
use std::io::Write;

/// Development subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum DevCmd {
    /// Generate N realistic dossiers spread over days (benchmarks).
    Seed {
        #[arg(long)]
        clerk: String,
        #[arg(long)]
        count: u64,
        /// Spread over this many days ending at --end.
        #[arg(long, default_value_t = 1)]
        days: u64,
        /// Last day (default today).
        #[arg(long)]
        end: Option<NaiveDate>,
        /// Dossiers per transaction.
        #[arg(long, default_value_t = 5000)]
        batch: usize,
        /// Seed of the generator (same seed, same people).
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Receive dossiers one transaction at a time and print each code once it is durable
    /// (the crash test kills this process at random moments).
    ReceiveLoop {
        #[arg(long)]
        clerk: String,
        #[arg(long)]
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Runs a development subcommand.
pub fn run(cmd: DevCmd, paths: &Paths) -> Result<()> {
    match cmd {
        DevCmd::Seed {
            clerk,
            count,
            days,
            end,
            batch,
            seed,
        } => seed_register(paths, &clerk, count, days.max(1), end, batch.max(1), seed),
        DevCmd::ReceiveLoop { clerk, count, seed } => receive_loop(paths, &clerk, count, seed),
    }
}

/// splitmix64: tiny, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Mai",
];
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Thu",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hằng", "Hiếu", "Hoa", "Hùng",
    "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Ngọc", "Phúc", "Phương", "Quân",
    "Quỳnh", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Uyên", "Việt", "Yến",
];
const HAMLETS: &[&str] = &[
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Thượng",
    "Hạ",
    "Trung",
    "Đồng Tâm",
    "Tân Lập",
];
const PROVINCE_CODES: &[&str] = &["001", "038", "040", "079", "022", "031", "046", "066"];

fn person(rng: &mut Rng) -> Party {
    let name = format!(
        "{} {} {}",
        rng.pick(SURNAMES),
        rng.pick(MIDDLE),
        rng.pick(GIVEN)
    );
    let id = format!(
        "{}{}{:02}{:06}",
        rng.pick(PROVINCE_CODES),
        rng.below(4),
        rng.below(100),
        rng.below(1_000_000)
    );
    let prefix = ["09", "03", "08", "07", "05"][rng.below(5)];
    Party {
        full_name: name,
        id_number: Some(id),
        phone: Some(format!("{prefix}{:08}", rng.below(100_000_000))),
        email: None,
        address: Some(format!(
            "Thôn {} {}, xã Tân Lập",
            rng.pick(HAMLETS),
            rng.below(20) + 1
        )),
    }
}

fn request(
    rng: &mut Rng,
    procs: &[ProcedureRef],
    docs: &[Vec<Document>],
    clerk: &str,
    at: NaiveDateTime,
) -> ReceiveRequest {
    let i = rng.below(procs.len());
    ReceiveRequest {
        input: ValidInput {
            applicant: person(rng),
            owner: None,
            documents: docs[i].clone(),
            sets: 1,
            channel: motcua_core::dossier::Channel::Direct,
            result_delivery: ResultDelivery::Counter,
            fee: None,
            note: None,
        },
        procedure: procs[i].clone(),
        received_at: at,
        due_at: None,
        clerk: clerk.to_string(),
    }
}

fn catalogue(store: &motcua_store::Store) -> Result<(Vec<ProcedureRef>, Vec<Vec<Document>>)> {
    let version = store.catalog_version()?;
    let procs = store.search_procedures("")?;
    if procs.is_empty() {
        bail!("danh mục thủ tục trống");
    }
    let docs = procs
        .iter()
        .map(|p| {
            p.documents
                .iter()
                .map(|d| Document {
                    name: d.name.clone(),
                    kind: d.kind,
                    count: 1,
                })
                .collect()
        })
        .collect();
    let refs = procs
        .into_iter()
        .map(|p| ProcedureRef {
            code: p.code,
            name: p.name,
            catalog_version: version.clone(),
            term: p.term,
        })
        .collect();
    Ok((refs, docs))
}

fn seed_register(
    paths: &Paths,
    clerk: &str,
    count: u64,
    days: u64,
    end: Option<NaiveDate>,
    batch: usize,
    seed: u64,
) -> Result<()> {
    let mut store = open_store(paths)?;
    let (procs, docs) = catalogue(&store)?;
    let end = end.unwrap_or_else(|| now_vn().date_naive());
    let per_day = count.div_ceil(days);
    let mut rng = Rng(seed);
    let started = std::time::Instant::now();
    let mut made = 0u64;
    let mut pending = Vec::with_capacity(batch);
    while made < count {
        let day_index = made / per_day;
        let day = end - chrono::Days::new(days - 1 - day_index.min(days - 1));
        let within = made % per_day;
        let secs = 7 * 3600 + (within * 36_000 / per_day.max(1)) as u32;
        let at = day.and_time(
            NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).context("time of day")?,
        );
        pending.push(request(&mut rng, &procs, &docs, clerk, at));
        made += 1;
        if pending.len() == batch || made == count {
            store.receive_batch(&pending, now_vn())?;
            pending.clear();
        }
    }
    eprintln!(
        "seeded {count} dossiers over {days} day(s) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn receive_loop(paths: &Paths, clerk: &str, count: u64, seed: u64) -> Result<()> {
    let mut store = open_store(paths)?;
    let (procs, docs) = catalogue(&store)?;
    let mut rng = Rng(seed);
    let out = std::io::stdout();
    for _ in 0..count {
        let now = now_vn();
        let req = request(&mut rng, &procs, &docs, clerk, now.naive_local());
        let d = store.receive(&req, now)?;
        let mut lock = out.lock();
        writeln!(lock, "{}", d.code)?;
        lock.flush()?;
    }
    Ok(())
}
