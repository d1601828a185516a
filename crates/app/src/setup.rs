//! First-run setup of a station, durable before it says it is done, and a setup that a
//! power cut stopped short recognised and finished (see `motcua_store::mark::begin_setup`).

use crate::counter::{AccountForm, Counter, Env, SetupReport, StationForm};
use crate::error::{AppError, Result};
use crate::paths::Paths;
use motcua_core::Field;
use motcua_core::catalog::Catalog;
use motcua_core::code::{AgencyId, StationNo};
use motcua_store::{StationInfo, StationSetup, Store};

impl Counter {
    /// First-run setup with the 23-procedure list of 2025
    /// ([`crate::catalog::BUILTIN_2025_07`]): the stations of this crate's tests. A new
    /// station starts on the national list ([`crate::catalog::builtin_catalog`]) through
    /// [`Counter::set_up_with`], from `motcua init` and from the window's first-run
    /// screen alike.
    pub fn set_up(
        paths: Paths,
        env: Env,
        form: &StationForm,
        admin: Option<&AccountForm>,
    ) -> Result<(Counter, SetupReport)> {
        let catalog = crate::catalog::builtin_2025_07()?;
        Counter::set_up_with(paths, env, form, admin, Some(&catalog))
    }

    /// First-run setup: checks everything first (station and the first admin, every
    /// problem at once), then creates the data directory, the station key, the database,
    /// records the station, loads `catalog` (read and checked by the caller) or, with
    /// `None`, the catalogue every new station starts with
    /// ([`crate::catalog::builtin_catalog`], decided here only), and adds the admin.
    pub fn set_up_with(
        paths: Paths,
        env: Env,
        form: &StationForm,
        admin: Option<&AccountForm>,
        catalog: Option<&Catalog>,
    ) -> Result<(Counter, SetupReport)> {
        let builtin;
        let catalog = match catalog {
            Some(c) => c,
            None => {
                builtin = crate::catalog::builtin_catalog()?;
                &builtin
            }
        };
        let mut errors = Vec::new();
        let agency_id = form
            .agency_id
            .parse::<AgencyId>()
            .map_err(|e| errors.push(e))
            .ok();
        for (value, field) in [
            (Some(form.agency_name.as_str()), Field::AgencyName),
            (form.parent_name.as_deref(), Field::ParentName),
        ] {
            let min = usize::from(field == Field::AgencyName);
            if let Some(v) = value
                && let Err(e) = motcua_core::validation::bounded(v, field, min, 200)
            {
                errors.push(e);
            }
        }
        let station_no = StationNo::new(form.station_no)
            .map_err(|e| errors.push(e))
            .ok();
        let admin = match admin.map(AccountForm::check).transpose() {
            Ok(a) => a,
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        };
        let (Some(agency_id), Some(station_no), true) = (agency_id, station_no, errors.is_empty())
        else {
            return Err(AppError::Invalid(errors));
        };
        refuse_emptied_database(&paths)?;
        let existing = Counter::station_in(&paths)?;
        if let Some(st) = &existing {
            refuse_unless_half_made(&paths, st, &agency_id, station_no, admin.is_some())?;
        }
        paths.create_data_dir()?;
        let key = if paths.key.exists() {
            motcua_store::keys::load(&paths.key)?
        } else {
            // The mark says a setup began before the key exists (see `begin_setup`).
            motcua_store::mark::begin_setup(
                &paths.db,
                &format!("{}#{}", agency_id, station_no.get()),
            )?;
            motcua_store::keys::generate(&paths.key)?
        };
        let mut store = Store::open(&paths.db)?.with_signer(key);
        // The database's name reaches the disk before anything is recorded in it.
        crate::paths::sync_dir(&paths.data_dir)?;
        let now = env.clock.now();
        // A setup cut short by a power cut is finished with what it lacks.
        let station = match existing {
            Some(st) => st,
            None => store.init_station(
                &StationSetup {
                    agency_id,
                    agency_name: form.agency_name.clone(),
                    parent_name: form.parent_name.clone(),
                    station_no,
                },
                now,
            )?,
        };
        if store.setting("catalog_version")?.is_none() {
            store.load_catalog(catalog, "system", now)?;
        }
        let admin = match admin {
            Some(a) if store.users()?.iter().all(|u| u.username != a.username) => {
                Some(store.add_user(&a, "system", now)?)
            }
            Some(a) => Some(store.user(&a.username)?),
            None => None,
        };
        // Everything the setup made is on the disk before it says it is done.
        crate::paths::sync_dir(&paths.data_dir)?;
        let report = SetupReport {
            station,
            catalog_version: catalog.version.clone(),
            procedures: catalog.procedures.len(),
            offered: catalog.procedures.iter().filter(|p| p.offered).count(),
            admin,
        };
        Ok((Counter::from_parts(store, paths, env), report))
    }
}

/// A station found where a setup is asked for: refused, unless it is this same station
/// whose setup a power cut stopped short (no catalogue yet, or no account while the setup
/// brings the first admin), which the setup then finishes.
fn refuse_unless_half_made(
    paths: &Paths,
    st: &StationInfo,
    agency_id: &AgencyId,
    station_no: StationNo,
    with_admin: bool,
) -> Result<()> {
    let store = Store::open(&paths.db)?;
    let lacks =
        store.setting("catalog_version")?.is_none() || (with_admin && store.users()?.is_empty());
    if lacks && st.agency_id == *agency_id && st.station_no == station_no {
        return Ok(());
    }
    let hint = if lacks {
        format!(
            "; việc thiết lập lần trước chưa xong (mất điện?): hãy thiết lập lại với đúng mã định danh {} và quầy số {} để hoàn tất",
            st.agency_id,
            st.station_no.get()
        )
    } else {
        String::new()
    };
    Err(AppError::Refused(format!(
        "quầy đã được thiết lập tại {} (mã định danh {}, quầy số {}){hint}",
        paths.data_dir.display(),
        st.agency_id,
        st.station_no.get()
    )))
}

/// A 0-byte database beside the station key is a station whose register was lost (a
/// truncated copy, a failed disk), never a new station: giving it a fresh schema would
/// restart the codes at 0001 under the same station key. It is refused, unless the mark
/// is the one a setup writes before making the key (sequence 0): then it is a setup cut
/// short before its first record reached the disk, started again with the same key.
pub(crate) fn refuse_emptied_database(paths: &Paths) -> Result<()> {
    let empty = std::fs::metadata(&paths.db).is_ok_and(|m| m.len() == 0);
    let setup_begun = matches!(
        motcua_store::mark::read_state(&paths.db)?,
        motcua_store::mark::State::Valid(m) if m.seq == 0
    );
    if empty && paths.key.exists() && setup_begun {
        std::fs::remove_file(&paths.db)
            .map_err(|e| AppError::file(format!("không xóa được {}", paths.db.display()), e))?;
        return Ok(());
    }
    if empty && paths.key.exists() {
        return Err(AppError::Refused(format!(
            "tệp cơ sở dữ liệu {} trống trong khi khóa quầy {} vẫn còn: quầy này đã được thiết lập và dữ liệu có thể đã mất; không tạo cơ sở dữ liệu mới đè lên; hãy khôi phục bản sao lưu («motcua restore») hoặc lấy lại từ máy chủ tỉnh («motcua sync enroll --recover»)",
            paths.db.display(),
            paths.key.display()
        )));
    }
    Ok(())
}
