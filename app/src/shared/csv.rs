//! CSV for spreadsheets (the owner's exports, a group buy's purchase list): UTF-8 with a BOM so
//! Excel on Windows reads the Chinese, CRLF line ends, and never a formula.

/// A CSV field: quoted when it holds a comma, quote or line break; a leading = + - @ is
/// defused so a spreadsheet never runs it as a formula.
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One record (without its line end).
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    fields.iter().map(|f| field(f.as_ref())).collect::<Vec<_>>().join(",")
}

/// A whole document: the byte-order mark, the header, the rows.
pub fn document<S: AsRef<str>>(header: &[S], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&line(header));
    out.push_str("\r\n");
    for r in rows {
        out.push_str(&line(r));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_never_formulas() {
        assert_eq!(field("脐橙"), "脐橙");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("=1+1"), "'=1+1");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        // A negative figure (a fall on last period) stays a number.
        assert_eq!(field("-12.5"), "-12.5");
        assert_eq!(field("-12.5%"), "'-12.5%");
    }

    #[test]
    fn a_document_has_a_bom_and_crlf() {
        assert_eq!(document(&["a", "b"], &[vec!["1".into(), "x,y".into()]]), "\u{feff}a,b\r\n1,\"x,y\"\r\n");
    }
}
