//! `motcua config …`: the station's local settings for forms and printing.

use super::{open_store, print_json};
use crate::paths::Paths;
use anyhow::{Result, bail};

/// A setting the station can change, with its meaning and default.
pub struct Key {
    pub name: &'static str,
    pub help: &'static str,
    pub default: &'static str,
}

/// Every known setting.
pub const KEYS: &[Key] = &[
    Key {
        name: "lookup-url",
        help: "Địa chỉ tra cứu hồ sơ in trong mã QR (mã hồ sơ và mã tra cứu được thêm vào sau)",
        default: "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html",
    },
    Key {
        name: "place",
        help: "Địa danh ghi ở dòng ngày tháng (mặc định lấy từ tên cơ quan)",
        default: "",
    },
    Key {
        name: "receipt-layout",
        help: "Khổ giấy biên nhận: a4x2 (hai trang A4) hoặc a5x2 (hai nửa A5 trên một tờ A4)",
        default: "a4x2",
    },
    Key {
        name: "printer",
        help: "Máy in dùng cho giấy tờ (mặc định: máy in mặc định của hệ thống)",
        default: "",
    },
    Key {
        name: "ledger-book",
        help: "Quyển số của Sổ theo dõi hồ sơ ({năm} được thay bằng năm nhận hồ sơ)",
        default: "01/{năm}",
    },
    Key {
        name: "office-phone",
        help: "Số điện thoại liên hệ của bộ phận một cửa (in trên phiếu yêu cầu bổ sung)",
        default: "",
    },
];

/// Config subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum ConfigCmd {
    /// Show every setting and its value.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Change a setting.
    Set { key: String, value: String },
}

fn key(name: &str) -> Result<&'static Key> {
    match KEYS.iter().find(|k| k.name == name) {
        Some(k) => Ok(k),
        None => bail!(
            "không có thiết lập «{name}»; các thiết lập: {}",
            KEYS.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// A setting's value, or its default.
pub fn get(store: &motcua_store::Store, name: &str) -> Result<String> {
    let k = key(name)?;
    Ok(store
        .setting(k.name)?
        .unwrap_or_else(|| k.default.to_string()))
}

fn check(name: &str, value: &str) -> Result<()> {
    match name {
        "lookup-url" if !(value.starts_with("https://") || value.starts_with("http://")) => {
            bail!("địa chỉ tra cứu phải bắt đầu bằng https:// hoặc http://")
        }
        "receipt-layout" if !matches!(value, "a4x2" | "a5x2") => {
            bail!("khổ giấy phải là a4x2 hoặc a5x2")
        }
        "office-phone" if !value.is_empty() => {
            motcua_core::identity::normalize_phone(value)?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Runs a config subcommand.
pub fn run(cmd: ConfigCmd, paths: &Paths) -> Result<()> {
    let store = open_store(paths)?;
    match cmd {
        ConfigCmd::Show { json } => {
            let values: Vec<(String, String)> = KEYS
                .iter()
                .map(|k| Ok((k.name.to_string(), get(&store, k.name)?)))
                .collect::<Result<_>>()?;
            if json {
                return print_json(
                    &values
                        .into_iter()
                        .collect::<std::collections::BTreeMap<_, _>>(),
                );
            }
            for (k, (name, value)) in KEYS.iter().zip(values) {
                println!("{name} = {value}\n    {}", k.help);
            }
            Ok(())
        }
        ConfigCmd::Set { key: name, value } => {
            let k = key(&name)?;
            let value = motcua_core::text::clean(&value);
            check(k.name, &value)?;
            store.set_setting(k.name, &value)?;
            println!("Đã đặt {} = {value}", k.name);
            Ok(())
        }
    }
}
