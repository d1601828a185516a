//! Biểu 06 as an XLSX workbook: the title lines, the header with its merged group cells
//! (three rows: the groups, the 13 columns, their numbers), one row per field and the
//! totals, with the counts as number cells, and the counting notes under the table.

use crate::error::{AppError, Result};
use motcua_core::report::{COLUMNS, Report};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// The row (0-based) of the table's first header row.
pub const HEADER_ROW: u32 = 5;
/// The row (0-based) of the first field.
pub const FIRST_ROW: u32 = HEADER_ROW + 3;

/// The three groups of columns: first and last column (0-based) and title.
const GROUPS: [(u16, u16, &str); 3] = [
    (2, 5, "Số hồ sơ nhận giải quyết"),
    (6, 9, "Số hồ sơ đã giải quyết"),
    (10, 12, "Số hồ sơ đang giải quyết"),
];

fn xlsx(e: XlsxError) -> AppError {
    AppError::Refused(format!("không tạo được tệp XLSX: {e}"))
}

/// The workbook's bytes.
pub fn xlsx_bytes(r: &Report, agency: &str) -> Result<Vec<u8>> {
    build(r, agency).map_err(xlsx)
}

fn build(r: &Report, agency: &str) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Biểu 06")?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let centre = Format::new().set_align(FormatAlign::Center);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let head = cell
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let number_head = cell.clone().set_italic().set_align(FormatAlign::Center);
    let text = cell.clone().set_text_wrap();
    let total_text = text.clone().set_bold();
    let number = cell.clone().set_num_format("0");
    let total_number = number.clone().set_bold();

    sheet.merge_range(
        0,
        0,
        0,
        12,
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        &title,
    )?;
    let period = format!("Kỳ báo cáo: {} ({})", r.period.label(), r.period.days());
    sheet.merge_range(1, 0, 1, 12, &period, &centre)?;
    sheet.write_string(2, 0, format!("Đơn vị báo cáo: {agency}"))?;
    sheet.write_string(3, 0, "Đơn vị tính: Số hồ sơ TTHC")?;
    if let Some(at) = r.counted_to_line() {
        sheet.merge_range(4, 0, 4, 12, &at, &centre)?;
    }

    let h = HEADER_ROW;
    for (col, name) in COLUMNS.iter().enumerate().take(2) {
        sheet.merge_range(h, col as u16, h + 1, col as u16, name, &head)?;
    }
    for (first, last, name) in GROUPS {
        sheet.merge_range(h, first, h, last, name, &head)?;
    }
    for (col, name) in COLUMNS.iter().enumerate().skip(2) {
        // "Tiếp nhận: Tổng số" → "Tổng số" under its group.
        let short = name.split_once(": ").map_or(*name, |(_, n)| n);
        sheet.write_string_with_format(h + 1, col as u16, short, &head)?;
    }
    for col in 0..13u16 {
        sheet.write_string_with_format(h + 2, col, format!("({})", col + 1), &number_head)?;
    }
    let mut row = FIRST_ROW;
    for (k, field) in r.rows.iter().enumerate() {
        sheet.write_number_with_format(row, 0, (k + 1) as f64, &number)?;
        sheet.write_string_with_format(row, 1, &field.field, &text)?;
        for (i, n) in field.counts().iter().enumerate() {
            sheet.write_number_with_format(row, (i + 2) as u16, *n as f64, &number)?;
        }
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "", &total_text)?;
    sheet.write_string_with_format(row, 1, &r.total.field, &total_text)?;
    for (i, n) in r.total.counts().iter().enumerate() {
        sheet.write_number_with_format(row, (i + 2) as u16, *n as f64, &total_number)?;
    }
    row += 2;
    sheet.write_string(row, 0, "Ghi chú:")?;
    for note in &r.notes {
        row += 1;
        sheet.write_string(row, 0, format!("- {note}"))?;
    }
    sheet.set_column_width(0, 5)?;
    sheet.set_column_width(1, 36)?;
    for col in 2..13u16 {
        sheet.set_column_width(col, 11)?;
    }
    sheet.set_row_height(h + 1, 45)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests;
