//! Accounts, sign-in, and who may do what: the station's settings, accounts, schedules,
//! catalogue and backups are changed only with an [`Admin`], which only this module makes.
//! Every front end goes through the same rule, so none of them can forget it.

use crate::counter::{AccountForm, Counter};
use crate::error::{AppError, Result};
use motcua_core::Field;
use motcua_store::{Role, User};

/// The name recorded for changes made on the command line by the operating-system account
/// that owns the station's files, without naming a clerk account (see
/// [`Counter::station_owner`]).
pub const STATION_OWNER: &str = "system";

/// Proof that an administrator is acting, required by every method that changes the
/// station itself. Made only by [`Counter::admin`] (an active admin account) and
/// [`Counter::station_owner`]; it records who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    username: String,
}

impl Admin {
    /// Who acts, as recorded in the journal.
    pub fn username(&self) -> &str {
        &self.username
    }
}

/// Proof that someone may review what the office did (the access log, the reports, a
/// person's request for their data): an active admin or office head. Made only by
/// [`Counter::reviewer`] and from an [`Admin`]; it records who reviewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewer {
    username: String,
}

impl Reviewer {
    /// Who reviews, as recorded in the access log.
    pub fn username(&self) -> &str {
        &self.username
    }
}

impl From<&Admin> for Reviewer {
    fn from(a: &Admin) -> Reviewer {
        Reviewer {
            username: a.username.clone(),
        }
    }
}

/// What a clerk is told when they ask for a review.
pub const REVIEW_ONLY: &str = "chỉ quản trị viên và lãnh đạo văn phòng mới được xem nhật ký truy cập, báo cáo tổng hợp và trả lời đề nghị về dữ liệu cá nhân";

/// What a clerk who is not an admin is told.
pub const ADMIN_ONLY: &str = "chỉ quản trị viên mới được thay đổi thiết lập, tài khoản, lịch nghỉ, danh mục và sao lưu của quầy";

impl Counter {
    /// The admin rights of `username`: refused unless it is an active admin account.
    pub fn admin(&self, username: &str) -> Result<Admin> {
        let username = self.active_as(
            username,
            &[Role::Admin],
            ADMIN_ONLY,
            "không phải quản trị viên đang hoạt động",
        )?;
        Ok(Admin { username })
    }

    /// The review rights of `username`: refused unless it is an active admin or office
    /// head account.
    pub fn reviewer(&self, username: &str) -> Result<Reviewer> {
        let username = self.active_as(
            username,
            &[Role::Admin, Role::Head],
            REVIEW_ONLY,
            "là cán bộ hoặc không còn hoạt động",
        )?;
        Ok(Reviewer { username })
    }

    /// `username` when it is an active account of one of `roles`; refused with `only` and
    /// what the account `is` otherwise.
    fn active_as(&self, username: &str, roles: &[Role], only: &str, is: &str) -> Result<String> {
        let user = self.store.user(username)?;
        if roles.contains(&user.role) && user.active {
            Ok(user.username)
        } else {
            Err(AppError::Refused(format!(
                "{only}; tài khoản «{}» {is}",
                user.username
            )))
        }
    }

    /// The admin rights of the operating-system account that owns the station's data
    /// directory, for the command line run without naming an account (`--as`): that
    /// account can read and write the database file itself, so refusing it would protect
    /// nothing; it is how the first admin account is made after `motcua init`. The window
    /// never uses it.
    pub fn station_owner(&self) -> Admin {
        Admin {
            username: STATION_OWNER.to_string(),
        }
    }

    /// Adds an account (checked as a whole first), recorded as done by `by`.
    pub fn add_user(&mut self, form: &AccountForm, by: &Admin) -> Result<User> {
        let user = form.check().map_err(AppError::Invalid)?;
        let added = self.store.add_user(&user, &by.username, self.now())?;
        self.keep_slot(&added.username, &user.password)?;
        Ok(added)
    }

    /// Sets a new password for `username` (checked like a new one, typed twice).
    pub fn reset_password(
        &mut self,
        username: &str,
        password: &str,
        confirm: &str,
        by: &Admin,
    ) -> Result<User> {
        if password != confirm {
            return Err(AppError::field(
                Field::PasswordConfirm,
                "hai lần nhập mật khẩu không giống nhau",
            ));
        }
        let now = self.now();
        let user = self
            .store
            .reset_password(username, password, &by.username, now)?;
        self.keep_slot(&user.username, password)?;
        Ok(user)
    }

    /// Deactivates (or reactivates) an account; the last active admin stays.
    pub fn set_active(&mut self, username: &str, active: bool, by: &Admin) -> Result<User> {
        let now = self.now();
        let user = self.store.set_active(username, active, &by.username, now)?;
        if !user.active {
            self.drop_slot(&user.username)?;
        }
        Ok(user)
    }

    /// Every account, by username.
    pub fn users(&self) -> Result<Vec<User>> {
        Ok(self.store.users()?)
    }

    /// Signs a clerk in with an offline account. A wrong username and a wrong password
    /// get the same message and take the same time.
    /// Signs `username` in: from here on reads are logged under that account
    /// (`access.rs`).
    pub fn login(&mut self, username: &str, password: &str) -> Result<User> {
        if self.store.check_password(username, password)? {
            let user = self.store.user(username)?;
            self.set_reader(Some(&user.username))?;
            self.slot_at_sign_in(&user.username, password)?;
            Ok(user)
        } else {
            Err(AppError::Refused(
                "tên đăng nhập hoặc mật khẩu không đúng".to_string(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::counter::AccountForm;
    use crate::counter::testing::*;
    use crate::settings::Key;
    use motcua_core::Field;
    use motcua_store::Role;

    #[test]
    fn only_an_admin_may_change_the_station() {
        let mut f = fixture();
        let lan = f.counter.admin("lan").unwrap();
        f.counter
            .add_user(
                &AccountForm {
                    username: "hoa".into(),
                    full_name: "Lê Thị Hoa".into(),
                    role: Role::Clerk,
                    password: "mật khẩu của hoa".into(),
                    confirm: None,
                },
                &lan,
            )
            .unwrap();
        let e = f.counter.admin("hoa").unwrap_err();
        assert!(e.to_string().contains("chỉ quản trị viên"), "{e}");
        assert!(f.counter.admin("khong-co").is_err());
        let e = f
            .counter
            .reset_password("hoa", "mật khẩu mới dài", "khác", &lan)
            .unwrap_err();
        assert_eq!(e.fields()[0].field, Field::PasswordConfirm);
        f.counter
            .reset_password("hoa", "mật khẩu mới dài", "mật khẩu mới dài", &lan)
            .unwrap();
        assert!(f.counter.login("hoa", "mật khẩu mới dài").is_ok());
        assert!(
            f.counter.set_active("lan", false, &lan).is_err(),
            "the last admin"
        );
        f.counter.set_active("hoa", false, &lan).unwrap();
        assert!(f.counter.login("hoa", "mật khẩu mới dài").is_err());
        // An admin account that was deactivated has no rights left.
        f.counter
            .add_user(
                &AccountForm {
                    username: "minh".into(),
                    full_name: "Vũ Minh".into(),
                    role: Role::Admin,
                    password: "mật khẩu của minh".into(),
                    confirm: None,
                },
                &lan,
            )
            .unwrap();
        let minh = f.counter.admin("minh").unwrap();
        f.counter.set_active("minh", false, &lan).unwrap();
        assert!(f.counter.admin("minh").is_err());
        // A right obtained earlier is still a right: the window asks again for each job.
        f.counter.set_setting(&minh, Key::Copies, "2").unwrap();
    }

    #[test]
    fn the_office_head_reviews_and_changes_nothing() {
        let mut f = fixture();
        let lan = f.counter.admin("lan").unwrap();
        for (username, role) in [("truong", Role::Head), ("hoa", Role::Clerk)] {
            f.counter
                .add_user(
                    &AccountForm {
                        username: username.into(),
                        full_name: "Nguyễn Văn Trưởng".into(),
                        role,
                        password: "mật khẩu đủ dài".into(),
                        confirm: None,
                    },
                    &lan,
                )
                .unwrap();
        }
        let code = f
            .counter
            .receive(&form("Đặng Thị Hằng"))
            .unwrap()
            .dossier
            .code;
        f.counter.show(&code.to_string()).unwrap();
        f.counter.settle_access_now().unwrap();
        f.counter.login("truong", "mật khẩu đủ dài").unwrap();
        let head = f.counter.reviewer("truong").unwrap();
        assert_eq!(head.username(), "truong");
        let period = f
            .counter
            .current_period(motcua_core::report::PeriodKind::Month)
            .unwrap();
        let board = f.counter.dashboard(period, &head).unwrap();
        assert_eq!(board.busiest.iter().map(|b| b.1).sum::<u64>(), 1);
        assert!(
            !f.counter
                .access_log(&crate::access::AccessQuery::default(), &head)
                .unwrap()
                .is_empty()
        );
        f.counter.person_data("001099012345", &head).unwrap();
        // Nothing of the station: no settings, accounts, catalogue or backup.
        let e = f.counter.admin("truong").unwrap_err();
        assert!(e.to_string().contains("chỉ quản trị viên"), "{e}");
        // A clerk reviews nothing; an admin does.
        let e = f.counter.reviewer("hoa").unwrap_err();
        assert!(e.to_string().contains("lãnh đạo văn phòng"), "{e}");
        assert_eq!(
            crate::Reviewer::from(&lan),
            f.counter.reviewer("lan").unwrap()
        );
        // A head who left reviews nothing either.
        f.counter.set_active("truong", false, &lan).unwrap();
        assert!(f.counter.reviewer("truong").is_err());
    }
}
