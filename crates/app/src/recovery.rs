//! Getting back events a counter lost, so that no dossier code is ever issued twice.
//!
//! * [`Counter::recover`]: the database is behind the journal's high-water mark (a deleted
//!   `-wal`, an old backup restored): the missing tail is fetched from the hub; what the
//!   hub does not hold either can be accepted as lost, which moves every code counter past
//!   anything the lost events could have minted.
//! * [`Counter::rebuild_from_hub`]: a replacement PC for a station whose disk was lost
//!   enrols with a fresh token and rebuilds the whole register from the hub.

use crate::counter::{Counter, Env};
use crate::error::{AppError, Result};
use crate::paths::Paths;
use chrono::{Duration as Days, NaiveDate};
use motcua_store::Store;
use motcua_sync::{Recovery, SyncError};
use std::time::Duration;

/// Longest wait for one hub request during a recovery.
const TIMEOUT: Duration = Duration::from_secs(60);

/// What a recovery found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecoveryReport {
    /// Journal head before and after.
    pub before: u64,
    pub after: u64,
    /// The last event this station is known to have committed (its high-water mark).
    pub mark: Option<u64>,
    /// What came back from the hub, when it was asked.
    pub hub: Option<Recovery>,
    /// Why the hub could not be asked or answered badly.
    pub hub_error: Option<String>,
    /// Events accepted as lost (their codes and ledger numbers are skipped).
    pub lost: u64,
    /// Code and ledger numbers skipped on each day of the loss window (the lost events,
    /// and earlier losses a restored backup did not know of).
    pub skipped: u64,
    /// The mark file could not be read back (still so, unless the loss was accepted).
    pub mark_damaged: bool,
    /// The database holds another journal than the one the station last committed.
    pub diverged: bool,
    /// Events still missing: the counter refuses to write until they are recovered or
    /// accepted as lost.
    pub missing: u64,
}

impl RecoveryReport {
    /// Plain Vietnamese lines for the clerk or support staff.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(h) = &self.hub {
            let r = &h.recovered;
            out.push(format!(
                "Đã lấy lại từ máy chủ tỉnh {} sự kiện ({} hồ sơ, {} lần đổi trạng thái); nhật ký nay đến sự kiện số {}.",
                r.events, r.dossiers, r.status_changes, self.after
            ));
            if !r.accounts.is_empty() {
                out.push(format!(
                    "Các tài khoản được tạo lại cần quản trị viên đặt mật khẩu mới: {}.",
                    r.accounts.join(", ")
                ));
            }
            if !r.catalogs.is_empty() {
                out.push(format!(
                    "Danh mục thủ tục đã nạp trong phần nhật ký lấy lại ({}) sẽ được tải lại ở lần đồng bộ sau (hoặc nạp lại bằng «motcua catalog import»).",
                    r.catalogs.join(", ")
                ));
            }
            if let Some(p) = &r.problem {
                out.push(format!("Lưu ý: {p}."));
            }
        }
        if let Some(e) = &self.hub_error {
            out.push(format!("Chưa lấy lại được từ máy chủ tỉnh: {e}."));
        }
        if self.diverged {
            out.push("Nhật ký trong cơ sở dữ liệu khác với nhật ký quầy đã ghi gần nhất (một bản sao lưu khác đã được khôi phục, hoặc tệp đã bị thay): quầy tạm dừng cấp mã. Chạy «motcua recover --accept-loss» để quầy bỏ qua một khoảng số hồ sơ và ghi lại mốc mới.".into());
        }
        if self.skipped > 0 && self.lost == 0 {
            out.push(format!(
                "{} số mã hồ sơ và số vào sổ mỗi ngày mà cơ sở dữ liệu vừa bị thay đã có thể dùng được bỏ qua, không cấp lại (ghi vào nhật ký quầy).",
                self.skipped
            ));
        } else if self.skipped > 0 {
            out.push(format!(
                "{} sự kiện không còn ở đâu cả được ghi nhận là đã mất (ghi vào nhật ký quầy); {} số mã hồ sơ và số vào sổ mỗi ngày mà chúng có thể đã dùng được bỏ qua, không cấp lại.",
                self.lost, self.skipped
            ));
        }
        if self.mark_damaged {
            out.push("Tệp mốc nhật ký bị hỏng: chưa biết cơ sở dữ liệu có thiếu sự kiện nào không; quầy tạm dừng cấp mã. Sau khi đã lấy lại được những gì có thể từ máy chủ tỉnh, chạy «motcua recover --accept-loss» để quầy bỏ qua một khoảng số hồ sơ và ghi lại mốc mới.".into());
        }
        if self.missing > 0 {
            out.push(format!(
                "Cơ sở dữ liệu vẫn thiếu {} sự kiện quầy đã ghi: quầy tạm dừng cấp mã cho đến khi lấy lại được chúng từ máy chủ tỉnh (khi có mạng), hoặc quản trị viên chấp nhận là đã mất nếu chắc chắn không còn nơi nào giữ chúng.",
                self.missing
            ));
        } else if self.hub.is_none() && self.lost == 0 && self.hub_error.is_none() {
            out.push("Cơ sở dữ liệu đầy đủ, không thiếu sự kiện nào.".into());
        }
        out
    }
}

/// What to do with events still missing after the hub was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// Keep refusing to mint until they are recovered.
    Refuse,
    /// Accept them as lost (`--accept-loss`).
    Accept,
    /// Accept them as lost when nobody else can hold them: no hub, or the hub answered
    /// (a restore asked for by support staff; the copy set aside still holds them).
    AcceptUnlessHubUnreachable,
}

impl Counter {
    /// Brings a database that is behind its high-water mark back: the missing tail from
    /// the hub when the station is enrolled; then, as `loss` says, whatever nobody holds
    /// is accepted as lost (see the module). Safe to run any time: a complete
    /// database is left as it is.
    pub fn recover(&mut self, loss: Loss) -> Result<RecoveryReport> {
        self.recover_with(loss, None)
    }

    /// [`Counter::recover`] right after a restore replaced a database that had used the
    /// numbers `replaced` says: none of them is issued again (see `motcua_store::loss`).
    pub(crate) fn recover_with(
        &mut self,
        loss: Loss,
        replaced: Option<&motcua_store::UsedNumbers>,
    ) -> Result<RecoveryReport> {
        let (mark, damaged) = match motcua_store::mark::read_state(&self.paths.db)? {
            motcua_store::mark::State::Absent => (None, false),
            motcua_store::mark::State::Valid(m) => (Some(m), false),
            motcua_store::mark::State::Damaged => (None, true),
        };
        let before = self.store.journal_head()?.0;
        let mut report = RecoveryReport {
            before,
            after: before,
            mark: mark.as_ref().map(|m| m.seq),
            mark_damaged: damaged,
            ..RecoveryReport::default()
        };
        let behind = |at: u64| mark.as_ref().map_or(0, |m| m.seq.saturating_sub(at));
        let diverged = matches!(
            self.store.check_mark(),
            Err(motcua_store::StoreError::Diverged { .. })
        );
        report.diverged = diverged;
        if behind(before) == 0 && !damaged && !diverged && replaced.is_none() {
            return Ok(report);
        }
        let state = self.store.sync_state()?;
        if let Some(hub) = &state.hub_url {
            let station = self.store.station()?;
            let fetched = motcua_sync::load_credential(&self.paths.sync_credential).and_then(|c| {
                let ca = crate::sync::kept_hub_ca(&self.paths)
                    .map_err(|e| SyncError::Protocol(e.to_string()))?;
                motcua_sync::recover(
                    &mut self.store,
                    hub,
                    &c,
                    &station.station_id,
                    TIMEOUT,
                    ca.as_deref(),
                )
            });
            match fetched {
                Ok(r) => report.hub = Some(r),
                Err(e) => report.hub_error = Some(e.to_string()),
            }
        }
        report.after = self.store.journal_head()?.0;
        report.missing = behind(report.after);
        let accept = match loss {
            Loss::Refuse => false,
            Loss::Accept => true,
            Loss::AcceptUnlessHubUnreachable => report.hub_error.is_none(),
        };
        if (report.missing > 0 || damaged || diverged || replaced.is_some()) && accept {
            let (first, last) = self.loss_window()?;
            report.lost = report.missing;
            report.skipped = self.store.accept_loss(first, last, self.now(), replaced)?;
            report.missing = 0;
            report.mark_damaged = false;
            report.diverged = false;
        }
        Ok(report)
    }

    /// The days a lost event could have minted a code for: from the backdating limit
    /// before the last event the database holds, to tomorrow (a receipt may be dated a few
    /// minutes ahead, across midnight).
    fn loss_window(&self) -> Result<(NaiveDate, NaiveDate)> {
        let today = self.now().date_naive();
        let back = i64::from(self.settings()?.max_backdate_days);
        let last_known = self
            .store
            .last_event_time()?
            .map_or(today, |t| t.date_naive())
            .min(today);
        Ok((last_known - Days::days(back), today + Days::days(1)))
    }

    /// Sets up this data directory as the replacement PC of station `station_id`,
    /// rebuilding its whole register from the hub: enrols with the one-time `token` (the
    /// hub then takes this PC's key for the station), fetches and checks the journal,
    /// signs on with the new key, loads the built-in catalogue if none came back, and gives
    /// the admin `admin` the password `password` (accounts come back without passwords).
    #[allow(clippy::too_many_arguments)]
    pub fn rebuild_from_hub(
        paths: Paths,
        env: Env,
        hub: &str,
        token: &str,
        station_id: &str,
        ca_file: Option<&std::path::Path>,
        admin: &str,
        password: &str,
    ) -> Result<(Counter, RecoveryReport)> {
        if Counter::station_in(&paths)?.is_some() {
            return Err(AppError::Refused(format!(
                "thư mục {} đã có cơ sở dữ liệu của một quầy; chỉ dựng lại vào một thư mục mới (hoặc dùng «motcua recover» cho quầy này)",
                paths.data_dir.display()
            )));
        }
        let ca = crate::sync::read_ca_file(ca_file)?;
        paths.create_data_dir()?;
        // An empty database left by a lost disk is replaced; nothing else is.
        if std::fs::metadata(&paths.db).is_ok_and(|m| m.len() == 0) {
            std::fs::remove_file(&paths.db)
                .map_err(|e| AppError::file(format!("không xóa được {}", paths.db.display()), e))?;
        }
        let key = if paths.key.exists() {
            motcua_store::keys::load(&paths.key)?
        } else {
            motcua_store::keys::generate(&paths.key)?
        };
        let public_key = motcua_store::keys::public_hex(&key);
        let resp =
            crate::sync::enroll_key(&paths, hub, token, station_id, &public_key, ca.as_deref())?;
        let mut store = Store::open(&paths.db)?.with_signer(key);
        crate::sync::keep_lookup_url(&store, &resp)?;
        let mut fetched = motcua_sync::recover(
            &mut store,
            hub,
            &resp.credential,
            &resp.station_id,
            TIMEOUT,
            ca.as_deref(),
        )?;
        let station = store.station().map_err(|_| {
            AppError::Refused(format!(
                "máy chủ tỉnh không giữ nhật ký nào có thể kiểm tra của quầy {}; không dựng lại được",
                resp.station_id
            ))
        })?;
        let now = env.clock.now();
        if station.public_key != public_key {
            store.rekey(fetched.recovered.events, now)?;
        }
        store.set_hub(hub, now)?;
        if store.setting("catalog_version")?.is_none() {
            // The built-in list the station had, if its journal says so; else today's.
            let old = crate::catalog::builtin_2025_07()?;
            let catalog = if fetched.recovered.catalogs.contains(&old.version) {
                old
            } else {
                crate::catalog::builtin_catalog()?
            };
            store.load_catalog(&catalog, "system", now)?;
            // The built-in version is back; only others wait for the next sync.
            fetched.recovered.catalogs.retain(|v| *v != catalog.version);
        }
        let mut counter = Counter::from_parts(store, paths, env);
        let who = counter
            .users()?
            .into_iter()
            .find(|u| u.username == admin.trim().to_lowercase());
        if !who.is_some_and(|u| u.role == motcua_store::Role::Admin && u.active) {
            return Err(AppError::Refused(format!(
                "nhật ký đã được dựng lại nhưng không có quản trị viên đang hoạt động tên «{admin}»; chạy lại với tên đăng nhập của một quản trị viên của quầy"
            )));
        }
        // The rebuild is run by the station's owner on the command line.
        let owner = counter.station_owner();
        counter.reset_password(admin, password, password, &owner)?;
        let admin_name = admin.trim().to_lowercase();
        fetched.recovered.accounts.retain(|a| *a != admin_name);
        let after = counter.store.journal_head()?.0;
        let report = RecoveryReport {
            before: 0,
            after,
            mark: None,
            hub: Some(fetched),
            ..RecoveryReport::default()
        };
        counter.verify()?;
        Ok((counter, report))
    }
}
