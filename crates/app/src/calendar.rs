//! The office's working calendar: which schedules apply to which year, and office hours.
//!
//! Precedence for a year, last wins: the schedules built into the app
//! (`assets/calendar/`), then those pulled from the province hub (stored in the database
//! with the sync cursor), then the office's own files `<data dir>/calendar/<year>.json`.
//! A year with none of them uses the statutory days computed from the Labour Code.

use crate::error::{AppError, Result};
use crate::paths::Paths;
use chrono::NaiveDate;
use motcua_core::calendar::{WorkCalendar, WorkConfig, YearSchedule, builtin_schedules};
use motcua_store::Store;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the schedule of a year comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Shipped with the app.
    BuiltIn,
    /// Pulled from the province hub.
    Hub,
    /// The office's own file.
    Office(PathBuf),
}

/// Something the clerk should know about the calendar, which does not stop it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A schedule file lacks statutory days; it still replaces the year's defaults whole.
    IncompleteSchedule {
        file: PathBuf,
        year: i32,
        missing: Vec<(NaiveDate, String)>,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::IncompleteSchedule {
                file,
                year,
                missing,
            } => {
                let list: Vec<String> = missing
                    .iter()
                    .map(|(d, name)| format!("{} {name}", d.format("%d/%m")))
                    .collect();
                write!(
                    f,
                    "tệp lịch nghỉ {} không có các ngày lễ: {}. Lịch này thay hoàn toàn lịch mặc định của năm {year}.",
                    file.display(),
                    list.join(", ")
                )
            }
        }
    }
}

/// The working calendar and what was noticed while building it.
#[derive(Debug, Clone)]
pub struct OfficeCalendar {
    pub calendar: WorkCalendar,
    /// The origin of every year that has a schedule.
    pub origins: BTreeMap<i32, Origin>,
    pub warnings: Vec<Warning>,
}

/// Builds the office calendar from the three sources (see the module) and `work` hours.
/// `store` is the station's register when there is one (the calendar commands also work
/// on a machine that was never set up).
pub fn office_calendar(
    paths: &Paths,
    store: Option<&Store>,
    work: WorkConfig,
) -> Result<OfficeCalendar> {
    let mut schedules = Vec::new();
    let mut origins = BTreeMap::new();
    for s in builtin_schedules() {
        origins.insert(s.year, Origin::BuiltIn);
        schedules.push(s);
    }
    if let Some(store) = store {
        for stored in store.holiday_schedules()? {
            // Checked when it was pulled; a row edited since is refused here by name.
            let s = YearSchedule::from_json(&stored.body).map_err(|e| {
                AppError::from(e).context(format!(
                    "lịch nghỉ năm {} nhận từ máy chủ tỉnh không dùng được",
                    stored.year
                ))
            })?;
            origins.insert(s.year, Origin::Hub);
            schedules.push(s);
        }
    }
    let mut warnings = Vec::new();
    for path in schedule_files(&paths.calendar)? {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            AppError::file(
                format!("không đọc được tệp lịch nghỉ {}", path.display()),
                e,
            )
        })?;
        let schedule = YearSchedule::from_json(&text).map_err(|e| {
            AppError::from(e).context(format!("tệp lịch nghỉ {} không dùng được", path.display()))
        })?;
        let missing = schedule.missing_statutory_days()?;
        if !missing.is_empty() {
            warnings.push(Warning::IncompleteSchedule {
                file: path.clone(),
                year: schedule.year,
                missing,
            });
        }
        origins.insert(schedule.year, Origin::Office(path));
        schedules.push(schedule);
    }
    Ok(OfficeCalendar {
        calendar: WorkCalendar::new(schedules, work)?,
        origins,
        warnings,
    })
}

/// The office calendar of a data directory, whether or not a station was set up there
/// (the calendar commands work on any machine); nothing is created.
pub fn for_data_dir(paths: &Paths) -> Result<OfficeCalendar> {
    if !paths.db.exists() {
        return office_calendar(paths, None, WorkConfig::default());
    }
    let store = Store::open(&paths.db)?;
    let work = crate::settings::load(&store)?.work;
    office_calendar(paths, Some(&store), work)
}

impl crate::counter::Counter {
    /// The days off and make-up days of `year`, with where the year's schedule comes from
    /// (`None`: computed from the Labour Code, no schedule known).
    pub fn holidays(
        &self,
        year: i32,
    ) -> Result<(Vec<motcua_core::calendar::DayEntry>, Option<Origin>)> {
        let office = self.calendar()?;
        let days = office.calendar.days_of_year(year)?.to_vec();
        Ok((days, office.origins.get(&year).cloned()))
    }

    /// Takes an office schedule file into `<data dir>/calendar/<year>.json` after checking
    /// it; returns its year and what it lacks. The file overrides the built-in schedule
    /// and the hub's for that year.
    pub fn import_schedule(
        &self,
        _by: &crate::accounts::Admin,
        file: &Path,
    ) -> Result<(i32, Vec<Warning>)> {
        let text = std::fs::read_to_string(file).map_err(|e| {
            AppError::file(
                format!("không đọc được tệp lịch nghỉ {}", file.display()),
                e,
            )
        })?;
        let schedule = YearSchedule::from_json(&text).map_err(|e| {
            AppError::from(e).context(format!("tệp lịch nghỉ {} không dùng được", file.display()))
        })?;
        crate::paths::create_private_dir(&self.paths.calendar)?;
        let dest = self.paths.calendar.join(format!("{}.json", schedule.year));
        crate::paths::replace_private(&dest, text.as_bytes())?;
        let warnings = self
            .calendar()?
            .warnings
            .into_iter()
            .filter(
                |w| matches!(w, Warning::IncompleteSchedule { year, .. } if *year == schedule.year),
            )
            .collect();
        Ok((schedule.year, warnings))
    }
}

/// The `*.json` files of `dir`, sorted by name; none when the folder does not exist.
fn schedule_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let fail = |e| AppError::file(format!("không đọc được thư mục {}", dir.display()), e);
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(fail)? {
        let path = entry.map_err(fail)?.path();
        if path.is_file()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_files_override_and_warn_when_incomplete() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        std::fs::create_dir_all(&paths.calendar).unwrap();
        let partial = r#"{"year": 2028, "days": [{"date": "2028-01-03", "kind": "day_off", "name": "Nghỉ", "source": "test"}]}"#;
        std::fs::write(paths.calendar.join("2028.json"), partial).unwrap();
        let cal = office_calendar(&paths, None, WorkConfig::default()).unwrap();
        assert!(matches!(cal.origins[&2028], Origin::Office(_)));
        assert_eq!(cal.origins[&2026], Origin::BuiltIn);
        let w = cal.warnings[0].to_string();
        assert!(w.contains("2028.json") && w.contains("Giỗ Tổ"), "{w}");
        let off = NaiveDate::from_ymd_opt(2028, 1, 3).unwrap();
        assert!(!cal.calendar.is_working_day(off).unwrap());

        std::fs::write(paths.calendar.join("2029.json"), "{hỏng").unwrap();
        let e = office_calendar(&paths, None, WorkConfig::default()).unwrap_err();
        assert!(e.to_string().contains("2029.json"), "{e}");
    }
}
