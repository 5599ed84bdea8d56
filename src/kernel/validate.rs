//! Input checks shared by the services; each failure names the input field it concerns.

use crate::error::{AppError, AppResult};

/// A required text: trimmed, not empty, at most `max` characters.
pub fn required(field: &str, value: &str, max: usize) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::invalid(field, "is required"));
    }
    max_len(field, value, max)?;
    Ok(line_ends(value))
}

/// Line ends as the registry keeps them: LF, whatever the writer sent (a browser's form sends a
/// textarea's lines as CR LF), so that an unchanged text compares equal to what is stored.
fn line_ends(value: &str) -> String {
    if value.contains('\r') { value.replace("\r\n", "\n").replace('\r', "\n") } else { value.to_string() }
}

/// An optional text: trimmed, empty becomes absent, at most `max` characters.
pub fn optional(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => {
            max_len(field, v, max)?;
            Ok(Some(line_ends(v)))
        }
    }
}

/// A free text that may be empty, at most `max` characters.
pub fn text(field: &str, value: &str, max: usize) -> AppResult<String> {
    let value = value.trim();
    max_len(field, value, max)?;
    Ok(line_ends(value))
}

fn max_len(field: &str, value: &str, max: usize) -> AppResult<()> {
    if value.chars().count() > max {
        return Err(AppError::invalid(field, format!("must be at most {max} characters")));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(AppError::invalid(field, "must not contain control characters"));
    }
    Ok(())
}

/// An optional absolute http(s) URL.
pub fn url(field: &str, value: Option<&str>) -> AppResult<Option<String>> {
    let Some(value) = optional(field, value, 500)? else {
        return Ok(None);
    };
    match url::Url::parse(&value) {
        Ok(u) if (u.scheme() == "https" || u.scheme() == "http") && u.host().is_some() => Ok(Some(value)),
        _ => Err(AppError::invalid(field, "must be an absolute http or https URL")),
    }
}

/// An optional e-mail address, checked for shape only.
pub fn email(field: &str, value: Option<&str>) -> AppResult<Option<String>> {
    let Some(value) = optional(field, value, 254)? else {
        return Ok(None);
    };
    let valid = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    };
    if valid { Ok(Some(value)) } else { Err(AppError::invalid(field, "must be an e-mail address")) }
}

/// A code of the common model: upper-case letters, digits and underscores.
pub fn code(field: &str, value: &str) -> AppResult<String> {
    let value = required(field, value, 64)?;
    let ok = value.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && value.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(value)
    } else {
        Err(AppError::invalid(field, "must be upper-case letters, digits and underscores, starting with a letter"))
    }
}

/// A URL slug: lower-case letters, digits and single hyphens.
pub fn slug(field: &str, value: &str) -> AppResult<String> {
    let value = required(field, value, 100)?;
    let ok = value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--");
    if ok { Ok(value) } else { Err(AppError::invalid(field, "must be lower-case letters, digits and single hyphens")) }
}

/// A Dutch postcode, normalised to `1234 AB`.
pub fn postcode(field: &str, value: &str) -> AppResult<String> {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let bytes = compact.as_bytes();
    let ok = bytes.len() == 6
        && bytes[0] != b'0'
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4..].iter().all(u8::is_ascii_uppercase);
    if ok {
        Ok(format!("{} {}", &compact[..4], &compact[4..]))
    } else {
        Err(AppError::invalid(field, "must be a Dutch postcode such as 2711 AB"))
    }
}

/// Latitude and longitude, both or neither, within range.
pub fn coordinates(lat: Option<f64>, lon: Option<f64>) -> AppResult<(Option<f64>, Option<f64>)> {
    match (lat, lon) {
        (None, None) => Ok((None, None)),
        (Some(la), Some(lo)) => {
            if !(-90.0..=90.0).contains(&la) || !la.is_finite() {
                return Err(AppError::invalid("latitude", "must be between -90 and 90"));
            }
            if !(-180.0..=180.0).contains(&lo) || !lo.is_finite() {
                return Err(AppError::invalid("longitude", "must be between -180 and 180"));
            }
            Ok((Some(la), Some(lo)))
        }
        (Some(_), None) => Err(AppError::invalid("longitude", "is required with a latitude")),
        (None, Some(_)) => Err(AppError::invalid("latitude", "is required with a longitude")),
    }
}

/// A CBS municipality code such as GM0637.
pub fn municipality_code(field: &str, value: &str) -> AppResult<String> {
    let value = value.trim().to_uppercase();
    let ok = value.len() == 6 && value.starts_with("GM") && value[2..].chars().all(|c| c.is_ascii_digit());
    if ok { Ok(value) } else { Err(AppError::invalid(field, "must be a CBS code such as GM0637")) }
}

/// A list of short texts (touchpoints, pains, gains): each trimmed, not empty, at most `max` characters,
/// at most 50 of them.
pub fn text_list(field: &str, values: &[String], max: usize) -> AppResult<Vec<String>> {
    if values.len() > 50 {
        return Err(AppError::invalid(field, "must hold at most 50 entries"));
    }
    values.iter().map(|v| required(field, v, max)).collect()
}

/// Participants' quotes: the text is required (at most 2000 characters), the attribution optional.
pub fn quotes(field: &str, values: &[entity::json::Quote]) -> AppResult<Vec<entity::json::Quote>> {
    if values.len() > 50 {
        return Err(AppError::invalid(field, "must hold at most 50 quotes"));
    }
    values
        .iter()
        .map(|q| {
            Ok(entity::json::Quote {
                text: required(field, &q.text, 2000)?,
                attribution: optional(field, q.attribution.as_deref(), 200)?,
            })
        })
        .collect()
}

/// Text that is not an amount in euros.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAnAmount;

/// An amount in euros as people write it (`12,50`, `12.50`, `€ 12`, `1 250`) in cents; empty is
/// none. At most seven digits before the decimal mark and two after it.
pub fn euros(text: &str) -> Result<Option<i32>, NotAnAmount> {
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace() && *c != '€').collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let cleaned = cleaned.replace(',', ".");
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| !s.is_empty() && s.len() <= 7 && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || fraction.len() > 2 || !(fraction.is_empty() || digits(fraction)) {
        return Err(NotAnAmount);
    }
    let whole: i32 = whole.parse().map_err(|_| NotAnAmount)?;
    let fraction: i32 = format!("{fraction:0<2}").parse().map_err(|_| NotAnAmount)?;
    Ok(Some(whole * 100 + fraction))
}
