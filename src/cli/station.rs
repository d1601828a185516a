//! `motcua init`: first-run setup of a station.

use super::{now_vn, print_json};
use crate::paths::Paths;
use anyhow::{Context, Result};
use motcua_core::catalog::Catalog;
use motcua_core::code::StationNo;
use motcua_store::{StationSetup, Store};

/// The built-in procedure catalogue.
pub const BUILTIN_CATALOG: &str = include_str!("../../assets/catalog/commune-procedures.json");

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
    #[arg(long)]
    json: bool,
}

/// Creates the data directory, the station key and the database, records the station and
/// loads the built-in catalogue.
pub fn init(args: InitArgs, paths: &Paths) -> Result<()> {
    let setup = StationSetup {
        agency_id: args.agency_id.parse()?,
        agency_name: args.agency_name,
        parent_name: args.parent_name,
        station_no: StationNo::new(args.station)?,
    };
    paths.create_data_dir()?;
    if paths.db.exists()
        && let Ok(st) = Store::open(&paths.db)?.station()
    {
        anyhow::bail!(
            "quầy đã được thiết lập tại {} (mã định danh {}, quầy số {})",
            paths.data_dir.display(),
            st.agency_id,
            st.station_no.get()
        );
    }
    let key = if paths.key.exists() {
        motcua_store::keys::load(&paths.key)?
    } else {
        motcua_store::keys::generate(&paths.key)?
    };
    let mut store = Store::open(&paths.db)?.with_signer(key);
    let now = now_vn();
    let info = store.init_station(&setup, now)?;
    let catalog = Catalog::from_json(BUILTIN_CATALOG).context("danh mục thủ tục đi kèm bị lỗi")?;
    store.load_catalog(&catalog, "system", now)?;
    if args.json {
        print_json(&info)
    } else {
        println!(
            "Đã thiết lập quầy số {} của {} ({}).\nDữ liệu: {}\nDanh mục thủ tục: phiên bản {} ({} thủ tục).\nBước tiếp theo: tạo tài khoản cán bộ bằng «motcua user add».",
            info.station_no.get(),
            info.agency_name,
            info.agency_id,
            paths.data_dir.display(),
            catalog.version,
            catalog.procedures.len()
        );
        Ok(())
    }
}

/// `motcua` with no command: on a new machine, the first-run steps; afterwards, the
/// station and where its data lives.
pub fn welcome(paths: &Paths) -> Result<()> {
    let station = if paths.db.exists() {
        Store::open(&paths.db)?.station().ok()
    } else {
        None
    };
    match station {
        None => println!(
            "Chào mừng đến với motcua — phần mềm tiếp nhận hồ sơ một cửa cấp xã.\n\
             Máy này chưa được thiết lập. Thiết lập lần đầu gồm hai bước:\n\
             \n  1. motcua init --agency-id 000.17.22.H56 --agency-name \"UBND xã …\" \\\n\
             \x20       --parent-name \"UBND tỉnh …\" --station 1\n\
             \x20 2. motcua user add <tên đăng nhập> --full-name \"Họ và tên\" --role admin --password-stdin\n\
             \nDữ liệu sẽ được lưu tại {} (đổi bằng --data-dir hoặc MOTCUA_DATA_DIR).\n\
             Xem các lệnh: motcua --help",
            paths.data_dir.display()
        ),
        Some(st) => println!(
            "motcua — quầy số {} của {} ({}).\nDữ liệu: {}\n\
             Tiếp nhận: motcua receive …   Tra cứu: motcua list --search …   Kiểm tra: motcua verify\n\
             Xem các lệnh: motcua --help",
            st.station_no.get(),
            st.agency_name,
            st.agency_id,
            paths.data_dir.display()
        ),
    }
    Ok(())
}
