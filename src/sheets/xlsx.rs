//! Excel workbooks (XLSX) read as the sheet layout's CSV: the first worksheet, its first row the
//! column names, each cell as people see it (a whole number without decimals, a date as
//! `2026-09-01`), so that an XLSX goes through exactly the CSV import's checks. Read with the
//! `calamine` crate; the archive is measured first, so that a small file that would unpack to
//! something huge (a zip bomb) is refused before it is unpacked.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use crate::error::{AppError, AppResult};
use crate::sheets::{MAX_ROWS, sheet_error};

/// The most an uploaded workbook may unpack to.
const MAX_UNPACKED: u64 = 32 * 1024 * 1024;
/// The most files the archive may hold.
const MAX_ENTRIES: usize = 1_000;

/// Whether the bytes are a zip archive, as every XLSX is.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The workbook's first worksheet as the layout's CSV (`;`-separated).
pub fn to_csv(bytes: &[u8]) -> AppResult<String> {
    measure(bytes)?;
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| sheet_error("cannot be read as an Excel workbook (.xlsx); save it again, or as CSV"))?;
    let range = match workbook.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(_)) => {
            return Err(sheet_error("cannot be read as an Excel workbook (.xlsx); save it again, or as CSV"));
        }
        None => return Err(sheet_error("is empty")),
    };
    if range.height() > MAX_ROWS + 1 {
        return Err(sheet_error(format!("has more than {MAX_ROWS} rows; split it")));
    }
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    for row in range.rows() {
        writer.write_record(row.iter().map(cell)).map_err(internal)?;
    }
    let bytes = writer.into_inner().map_err(|e| internal(e.into_error()))?;
    String::from_utf8(bytes).map_err(internal)
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("writing a workbook as CSV: {e}"))
}

/// Refuses an archive that holds too many files or unpacks to too much, by its directory.
fn measure(bytes: &[u8]) -> AppResult<()> {
    let unreadable = || sheet_error("cannot be read as an Excel workbook (.xlsx); save it again, or as CSV");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    if archive.len() > MAX_ENTRIES {
        return Err(unreadable());
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).map_err(|_| unreadable())?;
        total = total.saturating_add(file.size());
        if total > MAX_UNPACKED {
            return Err(sheet_error("unpacks to more than 32 MB; split it, or save it as CSV"));
        }
    }
    Ok(())
}

/// A cell as the person sees it in the spreadsheet.
fn cell(data: &Data) -> String {
    match data {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            None => String::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    fn workbook(rows: &[&[&str]]) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *value).unwrap();
            }
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn a_workbook_reads_as_the_layouts_csv_with_numbers_and_dates_as_people_see_them() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (c, name) in ["titel", "samenvatting", "prijs", "startdatum"].iter().enumerate() {
            sheet.write_string(0, c as u16, *name).unwrap();
        }
        sheet.write_string(1, 0, "Taalcafé; elke dinsdag").unwrap();
        sheet.write_string(1, 1, "Regel één\nRegel twee").unwrap();
        sheet.write_number(1, 2, 12.5).unwrap();
        let date = ExcelDateTime::from_ymd(2026, 9, 1).unwrap();
        sheet.write_datetime_with_format(1, 3, &date, &Format::new().set_num_format("dd-mm-yyyy")).unwrap();
        sheet.write_number(2, 0, 42.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert!(is_xlsx(&bytes));
        let csv = to_csv(&bytes).unwrap();
        let sheet = crate::sheets::read(crate::sheets::Format::Csv, csv.as_bytes()).unwrap();
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[0].get("titel"), "Taalcafé; elke dinsdag");
        assert_eq!(sheet.rows[0].get("samenvatting"), "Regel één\nRegel twee");
        assert_eq!(sheet.rows[0].get("prijs"), "12.5");
        assert_eq!(sheet.rows[0].get("startdatum"), "2026-09-01");
        assert_eq!(sheet.rows[1].get("titel"), "42");
    }

    #[test]
    fn other_archives_and_broken_workbooks_are_refused_with_a_reason() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("hallo.txt", zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut zip, b"hallo").unwrap();
        let not_a_workbook = zip.finish().unwrap().into_inner();
        assert!(is_xlsx(&not_a_workbook));
        assert!(to_csv(&not_a_workbook).is_err());
        let mut truncated = workbook(&[&["titel"], &["A"]]);
        truncated.truncate(truncated.len() / 2);
        assert!(to_csv(&truncated).is_err());
        assert!(!is_xlsx(b"titel;samenvatting\n"));
    }

    #[test]
    fn a_small_file_that_unpacks_to_a_lot_is_refused_before_unpacking() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..40 {
            std::io::Write::write_all(&mut zip, &zeros).unwrap();
        }
        let bomb = zip.finish().unwrap().into_inner();
        assert!(bomb.len() < 1024 * 1024, "small: {}", bomb.len());
        let refused = to_csv(&bomb).unwrap_err();
        assert!(format!("{refused:?}").contains("32 MB"), "{refused:?}");
    }
}
