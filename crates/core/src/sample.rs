//! Deterministic synthetic citizens for benchmarks, robustness tests and `motcua dev …`:
//! Vietnamese names, 12-digit ID numbers, mobile numbers and addresses from a splitmix64
//! stream, so the same seed always gives the same people. Everything it makes passes the
//! core's own checks ([`crate::identity::parse_id_number`] for any day from 2008 on,
//! [`crate::identity::normalize_phone`]). Pure: no clock, no I/O, no global state.

use crate::dossier::{Party, PartyKind};
use crate::identity::{CURRENT_PROVINCES, Sex};

/// splitmix64: tiny, fast, deterministic; good enough to spread test inputs (not for
/// secrets).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A stream that starts from `seed` (same seed, same numbers).
    pub const fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// One of `items` (not empty).
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Mai",
];
const MIDDLE_MALE: &[&str] = &["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Xuân", "Công"];
const MIDDLE_FEMALE: &[&str] = &["Thị", "Ngọc", "Thanh", "Thu", "Minh", "Xuân", "Kim", "Mỹ"];
const GIVEN_MALE: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khánh", "Long", "Nam", "Phúc",
    "Quân", "Sơn", "Tâm", "Thắng", "Tuấn", "Việt", "Hoàng", "Trung",
];
const GIVEN_FEMALE: &[&str] = &[
    "Giang", "Hà", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngọc", "Phương", "Quỳnh",
    "Thảo", "Trang", "Uyên", "Yến", "Hạnh", "Thủy", "Loan", "Vân",
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
/// Mobile prefixes of the Vietnamese networks (Viettel, VinaPhone, MobiFone,
/// Vietnamobile, Gmobile), each followed by seven digits.
const MOBILE_PREFIXES: &[&str] = &[
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098", "081",
    "082", "083", "084", "085", "088", "091", "094", "070", "076", "077", "078", "079", "089",
    "090", "093", "056", "058", "092", "059", "099",
];
/// Birth years of the people made: adults at any counter from 2025 on, and never in the
/// future of a day from 2008 on (the ID check refuses a birth year after today's).
const BIRTH_YEARS: std::ops::RangeInclusive<i32> = 1945..=2007;

/// A synthetic citizen: everything a counter records of an applicant who is a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// "Nguyễn Thị Lan": surname, a middle name and a given name that agree with `sex`.
    pub full_name: String,
    pub sex: Sex,
    pub birth_year: i32,
    /// Twelve digits: a province code of birth registration, the century/sex digit, the
    /// last two digits of the birth year and six random digits.
    pub id_number: String,
    /// A mobile number of ten digits, as the counter stores it.
    pub phone: String,
    /// "Thôn Đông 5, xã Tân Lập".
    pub address: String,
}

impl Person {
    /// The next person from `rng`, living in `commune` ("xã Tân Lập").
    pub fn generate(rng: &mut Rng, commune: &str) -> Person {
        let sex = if rng.below(2) == 0 {
            Sex::Male
        } else {
            Sex::Female
        };
        let (middle, given) = match sex {
            Sex::Male => (MIDDLE_MALE, GIVEN_MALE),
            Sex::Female => (MIDDLE_FEMALE, GIVEN_FEMALE),
        };
        let full_name = format!(
            "{} {} {}",
            rng.pick(SURNAMES),
            rng.pick(middle),
            rng.pick(given)
        );
        let span = (BIRTH_YEARS.end() - BIRTH_YEARS.start() + 1) as u64;
        let birth_year = BIRTH_YEARS.start() + rng.below(span) as i32;
        // Digit 4: 0/1 for a man/woman born in the 1900s, 2/3 in the 2000s.
        let century_sex = (birth_year / 100 - 19) * 2 + i32::from(sex == Sex::Female);
        let id_number = format!(
            "{}{century_sex}{:02}{:06}",
            rng.pick(CURRENT_PROVINCES).0,
            birth_year % 100,
            rng.below(1_000_000)
        );
        let phone = format!("{}{:07}", rng.pick(MOBILE_PREFIXES), rng.below(10_000_000));
        let address = format!(
            "Thôn {} {}, {commune}",
            rng.pick(HAMLETS),
            rng.below(20) + 1
        );
        Person {
            full_name,
            sex,
            birth_year,
            id_number,
            phone,
            address,
        }
    }

    /// The person as a dossier's applicant (or owner).
    pub fn into_party(self) -> Party {
        Party {
            kind: PartyKind::Person,
            full_name: self.full_name,
            id_number: Some(self.id_number),
            phone: Some(self.phone),
            email: None,
            address: Some(self.address),
            representative: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{normalize_phone, parse_id_number};
    use crate::text::nfc;
    use chrono::NaiveDate;

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let people = |seed| {
            let mut rng = Rng::new(seed);
            (0..50)
                .map(|_| Person::generate(&mut rng, "xã Tân Lập"))
                .collect::<Vec<_>>()
        };
        assert_eq!(people(7), people(7));
        assert_ne!(people(7), people(8));
    }

    #[test]
    fn every_person_passes_the_cores_checks() {
        let today = NaiveDate::from_ymd_opt(2008, 1, 1).unwrap();
        let mut rng = Rng::new(0x6d6f_7463_7561);
        for _ in 0..20_000 {
            let p = Person::generate(&mut rng, "xã Tân Lập");
            let id = parse_id_number(&p.id_number, today)
                .unwrap_or_else(|e| panic!("{}: {e}", p.id_number));
            assert_eq!((id.sex, id.birth_year), (p.sex, p.birth_year), "{p:?}");
            assert!(id.current_province.is_some(), "{p:?}");
            assert_eq!(normalize_phone(&p.phone).unwrap(), p.phone);
            assert_eq!(p.full_name.split(' ').count(), 3, "{p:?}");
            assert_eq!(nfc(&p.full_name), p.full_name);
            assert!(p.address.ends_with(", xã Tân Lập"), "{p:?}");
            let middle = p.full_name.split(' ').nth(1).unwrap();
            assert!(middle != "Thị" || p.sex == Sex::Female, "{p:?}");
            assert!(middle != "Văn" || p.sex == Sex::Male, "{p:?}");
        }
    }

    #[test]
    fn people_spread_over_names_sexes_and_centuries() {
        let mut rng = Rng::new(1);
        let people: Vec<_> = (0..2000)
            .map(|_| Person::generate(&mut rng, "xã Tân Lập"))
            .collect();
        let distinct = |f: fn(&Person) -> String| {
            people
                .iter()
                .map(f)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        };
        assert!(distinct(|p| p.full_name.clone()) > 1000);
        assert!(distinct(|p| p.id_number.clone()) > 1990);
        assert!(distinct(|p| p.id_number[..3].to_string()) == CURRENT_PROVINCES.len());
        assert!(distinct(|p| p.id_number[3..4].to_string()) == 4);
        assert!(people.iter().any(|p| p.birth_year == *BIRTH_YEARS.end()));
        assert!(people.iter().any(|p| p.birth_year == *BIRTH_YEARS.start()));
    }
}
