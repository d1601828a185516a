//! `motcua init`: first-run setup of a station; `motcua` alone: what to do next.

use super::print_json;
use crate::cli::out::{self, outln};
use crate::paths::Paths;
use anyhow::Result;
use motcua_app::{Counter, Env, StationForm};

/// Arguments of `motcua init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Agency identifier (mã định danh), e.g. 000.17.22.H56.
    #[arg(long)]
    agency_id: String,
    /// Agency name, e.g. "UBND xã Tân Lập".
    #[arg(long)]
    agency_name: String,
    /// Governing agency name, e.g. "UBND tỉnh Thanh Hóa".
    #[arg(long)]
    parent_name: Option<String>,
    /// Station (counter) number within the agency, 1–9; each counter of one agency needs its own.
    #[arg(long)]
    station: i64,
    /// Start with this catalogue file (motcua's format or the national portal's, as
    /// `motcua catalog import` reads) instead of the built-in list of xã Vĩnh Bảo, Hải
    /// Phòng.
    #[arg(long)]
    catalog: Option<std::path::PathBuf>,
    #[arg(long)]
    json: bool,
}

/// Creates the data directory, the station key and the database, records the station and
/// loads the built-in catalogue (or the one given, read and checked before anything is
/// created).
pub fn init(args: InitArgs, paths: &Paths) -> Result<()> {
    let catalog = match &args.catalog {
        Some(file) => Some(motcua_app::catalog::read_catalog_file(
            file,
            &Default::default(),
        )?),
        None => None,
    };
    let form = StationForm {
        agency_id: args.agency_id,
        agency_name: args.agency_name,
        parent_name: args.parent_name,
        station_no: args.station,
    };
    let (_, report) =
        Counter::set_up_with(paths.clone(), Env::system(), &form, None, catalog.as_ref())?;
    let saved = format!("Quầy ĐÃ được thiết lập tại {}", paths.data_dir.display());
    out::after_saving(saved, || init_report(&report, args.json, paths))
}

fn init_report(report: &motcua_app::SetupReport, json: bool, paths: &Paths) -> Result<()> {
    if json {
        return print_json(&report.station);
    }
    let info = &report.station;
    outln!(
        "Đã thiết lập quầy số {} của {} ({}).\nDữ liệu: {}\nDanh mục thủ tục: phiên bản {} ({} thủ tục tiếp nhận tại quầy{}).\nBước tiếp theo: tạo tài khoản cán bộ bằng «motcua user add».",
        info.station_no.get(),
        info.agency_name,
        info.agency_id,
        paths.data_dir.display(),
        report.catalog_version,
        report.offered,
        match report.procedures - report.offered {
            0 => String::new(),
            n => format!(
                ", {n} thủ tục khác chỉ lưu trong danh mục, xem bằng «motcua catalog search … --all»"
            ),
        }
    )?;
    Ok(())
}

/// `motcua` with no command and no window: on a new machine, the first-run steps;
/// afterwards, the station and where its data lives.
pub fn welcome(paths: &Paths) -> Result<()> {
    match Counter::station_in(paths)? {
        None => outln!(
            "Chào mừng đến với motcua — phần mềm tiếp nhận hồ sơ một cửa cấp xã.\n\
             Máy này chưa được thiết lập. Thiết lập lần đầu gồm hai bước:\n\
             \n  1. motcua init --agency-id 000.17.22.H56 --agency-name \"UBND xã …\" \\\n\
             \x20       --parent-name \"UBND tỉnh …\" --station 1\n\
             \x20 2. motcua user add <tên đăng nhập> --full-name \"Họ và tên\" --role admin --password-stdin\n\
             \nDữ liệu sẽ được lưu tại {} (đổi bằng --data-dir hoặc MOTCUA_DATA_DIR).\n\
             Xem các lệnh: motcua --help",
            paths.data_dir.display()
        )?,
        Some(st) => outln!(
            "motcua — quầy số {} của {} ({}).\nDữ liệu: {}\n\
             Tiếp nhận: motcua receive …   Tra cứu: motcua list --search …   Kiểm tra: motcua verify\n\
             Xem các lệnh: motcua --help",
            st.station_no.get(),
            st.agency_name,
            st.agency_id,
            paths.data_dir.display()
        )?,
    }
    Ok(())
}
