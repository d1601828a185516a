//! Pure renderer of the official forms (Mẫu 01, 02, 03, 05, Sổ theo dõi hồ sơ) to PDF bytes.
