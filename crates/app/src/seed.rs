//! A synthetic register for benchmarks and robustness tests (`motcua dev …`): dossiers of
//! the current catalogue received from the core's synthetic citizens
//! (`motcua_core::sample`: realistic and valid names, ID numbers, phones and addresses)
//! from a fixed seed, spread over days.

use crate::counter::Counter;
use crate::error::{AppError, Result};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use motcua_core::dossier::{Channel, Document, ProcedureRef, ResultDelivery, ValidInput};
use motcua_core::sample::{Person, Rng};
use motcua_store::ReceiveRequest;

/// Where the synthetic applicants live.
const COMMUNE: &str = "xã Tân Lập";

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
    fn request(&mut self, at: NaiveDateTime) -> ReceiveRequest {
        let i = self.rng.below(self.procedures.len() as u64) as usize;
        ReceiveRequest {
            input: ValidInput {
                applicant: Person::generate(&mut self.rng, COMMUNE).into_party(),
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
                field: Some(p.field).filter(|f| !f.trim().is_empty()),
            })
            .collect();
        Ok(Generator {
            rng: Rng::new(seed),
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
