//! A synthetic register for benchmarks and robustness tests (`motcua dev …`): realistic
//! Vietnamese names, ID numbers, phones and addresses from a fixed seed, spread over days.

use crate::counter::Counter;
use crate::error::{AppError, Result};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use motcua_core::dossier::{Channel, Document, Party, ProcedureRef, ResultDelivery, ValidInput};
use motcua_store::ReceiveRequest;

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

/// Makes synthetic dossiers for the current catalogue.
pub struct Generator {
    rng: Rng,
    procedures: Vec<ProcedureRef>,
    documents: Vec<Vec<Document>>,
    clerk: String,
}

impl std::fmt::Debug for Generator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generator").finish_non_exhaustive()
    }
}

/// What a seeding run did.
#[derive(Debug, Clone, Copy)]
pub struct Seeded {
    pub count: u64,
    pub days: u64,
    pub seconds: f64,
}

impl Generator {
    fn person(&mut self) -> Party {
        let rng = &mut self.rng;
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
            kind: motcua_core::dossier::PartyKind::Person,
            representative: None,
            phone: Some(format!("{prefix}{:08}", rng.below(100_000_000))),
            email: None,
            address: Some(format!(
                "Thôn {} {}, xã Tân Lập",
                rng.pick(HAMLETS),
                rng.below(20) + 1
            )),
        }
    }

    fn request(&mut self, at: NaiveDateTime) -> ReceiveRequest {
        let i = self.rng.below(self.procedures.len());
        ReceiveRequest {
            input: ValidInput {
                applicant: self.person(),
                owner: None,
                proxy: None,
                case_code: None,
                term_typed: None,
                documents: self.documents[i].clone(),
                sets: 1,
                channel: Channel::Direct,
                result_delivery: ResultDelivery::Counter,
                fee: None,
                note: None,
            },
            procedure: self.procedures[i].clone(),
            received_at: at,
            due_at: None,
            clerk: self.clerk.clone(),
        }
    }
}

impl Counter {
    /// A generator of dossiers received by `clerk`, from `seed` (same seed, same people).
    pub fn generator(&self, clerk: &str, seed: u64) -> Result<Generator> {
        let version = self.store.catalog_version()?;
        let procs = self.store.search_procedures("")?;
        if procs.is_empty() {
            return Err(AppError::Refused("danh mục thủ tục trống".into()));
        }
        let documents = procs
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
        let procedures = procs
            .into_iter()
            .map(|p| ProcedureRef {
                code: p.code,
                name: p.name,
                catalog_version: version.clone(),
                term_source: Some(motcua_core::dossier::TermSource::Catalogue {
                    unconfirmed: p.term_unconfirmed,
                    text: None,
                    chosen: false,
                }),
                term: p.term,
                case: None,
            })
            .collect();
        Ok(Generator {
            rng: Rng(seed),
            procedures,
            documents,
            clerk: clerk.to_string(),
        })
    }

    /// Receives `count` synthetic dossiers spread evenly over `days` days ending at `end`
    /// (07:00–17:00 each day), `batch` per transaction.
    pub fn seed(
        &mut self,
        generator: &mut Generator,
        count: u64,
        days: u64,
        end: NaiveDate,
        batch: usize,
    ) -> Result<Seeded> {
        let days = days.max(1);
        let batch = batch.max(1);
        let per_day = count.div_ceil(days);
        let started = std::time::Instant::now();
        let mut made = 0u64;
        let mut pending = Vec::with_capacity(batch);
        while made < count {
            let day_index = made / per_day;
            let day = end - chrono::Days::new(days - 1 - day_index.min(days - 1));
            let within = made % per_day;
            let secs = 7 * 3600 + (within * 36_000 / per_day.max(1)) as u32;
            let at = day.and_time(
                NaiveTime::from_num_seconds_from_midnight_opt(secs, 0)
                    .ok_or_else(|| AppError::Refused("giờ không hợp lệ".into()))?,
            );
            pending.push(generator.request(at));
            made += 1;
            if pending.len() == batch || made == count {
                let now = self.now();
                self.store.receive_batch(&pending, now)?;
                pending.clear();
            }
        }
        Ok(Seeded {
            count,
            days,
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// Receives one synthetic dossier now, in its own transaction; its code once durable.
    pub fn receive_generated(&mut self, generator: &mut Generator) -> Result<String> {
        let now = self.now();
        let req = generator.request(now.naive_local());
        Ok(self.store.receive(&req, now)?.code.to_string())
    }
}

#[cfg(test)]
mod tests {
    use crate::counter::testing::*;

    #[test]
    fn seeding_spreads_dossiers_over_days_and_verifies() {
        let mut f = fixture();
        let mut g = f.counter.generator("lan", 7).unwrap();
        let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let s = f.counter.seed(&mut g, 30, 3, end, 7).unwrap();
        assert_eq!(s.count, 30);
        let all = f.counter.search("", None, 100).unwrap();
        assert_eq!(all.len(), 30);
        let first = all.last().unwrap();
        assert_eq!(first.received_at.date(), end - chrono::Days::new(2));
        f.counter.receive_generated(&mut g).unwrap();
        f.counter.verify().unwrap();
    }
}
