//! ## domain
//!
//! **What:** parameters whose name (or type) says what they hold: email, url, password, age, price/amount,
//! quantity/count, phone, zip/postal code, id, date/time, percent/rate, name. Values are the well-known tricky inputs
//! of that domain. The confidence is lower (0.4): a name is a hint, not a fact.
//!
//! **Why:** domain values break code in ways the types do not show: `"O'Brien"` in a name, `0.1 + 0.2` in a price,
//! a postal code with a leading zero, an email with a `+` tag, a leap day.
//!
//! **Example:** `function register(email: string, age: number)` -> try `"user+tag@example.co.uk"`, `"no-at-sign"`;
//! `17`, `18`, `-1`, `150`.

use super::{current, push, strings, DOMAIN};
use crate::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "domain" };

/// (words that name the domain, values to try), checked in order; the first match wins.
const DOMAINS: &[(&[&str], &[&str])] = &[
    (
        &["email", "mail"],
        &[
            "\"\"",
            "\"user+tag@example.co.uk\"",
            "\"no-at-sign\"",
            "\"a@b\"",
            "\" USER@Example.com \"",
        ],
    ),
    (
        &["url", "uri", "href", "link", "endpoint"],
        &[
            "\"\"",
            "\"not a url\"",
            "\"https://example.com/a b?q=1#x\"",
            "\"javascript:alert(1)\"",
            "\"/relative\"",
        ],
    ),
    (
        &["password", "passwd", "pwd", "passphrase", "secret"],
        &[
            "\"\"",
            "\" \"",
            "\"short\"",
            "\"x\".repeat(1000)",
            "\"pässwörd🔑\"",
        ],
    ),
    (&["age"], &["-1", "0", "17", "18", "150", "1.5", "NaN"]),
    (
        &[
            "price", "amount", "cost", "total", "balance", "fee", "salary", "money",
        ],
        &[
            "0",
            "-0.01",
            "0.1 + 0.2",
            "1e21",
            "NaN",
            "Number.MAX_SAFE_INTEGER",
        ],
    ),
    (
        &["quantity", "qty", "count", "size", "limit"],
        &["0", "1", "-1", "1.5", "Number.MAX_SAFE_INTEGER"],
    ),
    (
        &["phone", "tel", "mobile"],
        &[
            "\"\"",
            "\"+1 (555) 010-0100\"",
            "\"0044 20 7946 0958\"",
            "\"555\"",
            "\"phone\"",
        ],
    ),
    (
        &["zip", "postal", "postcode", "zipcode"],
        &[
            "\"\"",
            "\"01234\"",
            "\"12345-6789\"",
            "\"SW1A 1AA\"",
            "\"1234\"",
        ],
    ),
    (
        &["id", "uuid", "guid", "key"],
        &[
            "\"\"",
            "0",
            "-1",
            "\"00000000-0000-0000-0000-000000000000\"",
            "<an id that does not exist>",
        ],
    ),
    (
        &[
            "date",
            "time",
            "timestamp",
            "birthday",
            "birthdate",
            "deadline",
            "at",
        ],
        &[
            "new Date(NaN)",
            "new Date(0)",
            "new Date(2024, 1, 29)",
            "new Date(2024, 11, 31, 23, 59, 59)",
            "<a DST change date>",
        ],
    ),
    (
        &["percent", "percentage", "pct", "ratio", "rate"],
        &["0", "100", "-1", "101", "0.5", "NaN"],
    ),
    (
        &[
            "name",
            "username",
            "firstname",
            "lastname",
            "surname",
            "title",
        ],
        &[
            "\"\"",
            "\"  \"",
            "\"O'Brien\"",
            "\"José 李\"",
            "\"x\".repeat(256)",
            "\"<script>\"",
        ],
    ),
];

/// Lower-case words of an identifier: `userEmail` -> [user, email], `zip_code` -> [zip, code].
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if ch == '_' || ch == '-' || ch == '$' {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_uppercase() && prev_lower && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        word.extend(ch.to_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The values for a parameter name, if it names a known domain (the last word decides: `emailCount` is a count).
pub fn values_for(name: &str, type_text: Option<&str>) -> Option<&'static [&'static str]> {
    let words = words(name);
    let last = words.last()?;
    if type_text.is_some_and(|t| t.trim() == "Date") {
        return DOMAINS
            .iter()
            .find(|(keys, _)| keys.contains(&"date"))
            .map(|(_, v)| *v);
    }
    // `at` only as a suffix of a longer name (`createdAt`), never alone.
    if last == "at" && words.len() == 1 {
        return None;
    }
    // The whole name in lower case, for one-word names only (computed once, not per key).
    let lower = (words.len() == 1).then(|| name.to_lowercase());
    DOMAINS
        .iter()
        .find(|(keys, _)| {
            keys.contains(&last.as_str())
                || lower.as_deref().is_some_and(|lower| keys.contains(&lower))
        })
        .map(|(_, v)| *v)
}

pub fn on_function(c: &mut Collector) {
    let Some(report) = current(c) else { return };
    let found: Vec<(String, &'static [&'static str])> = report
        .params
        .iter()
        .filter(|p| !p.name.starts_with('{') && !p.name.starts_with('['))
        .filter_map(|p| values_for(&p.name, p.r#type.as_deref()).map(|v| (p.name.clone(), v)))
        .collect();
    let span = c.frames.last().map(|f| f.span).unwrap_or_default();
    for (name, values) in found {
        push(
            c,
            META.id,
            span,
            name,
            DOMAIN,
            strings(values),
            "the parameter's name suggests a domain with known tricky values",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::values_for;
    use crate::patterns::test_support::cases;

    #[test]
    fn names_map_to_domains() {
        assert!(values_for("userEmail", None)
            .unwrap()
            .contains(&"\"no-at-sign\""));
        assert!(values_for("zip_code", None).is_none()); // last word "code" names nothing
        assert!(values_for("postalCode", None).is_none());
        assert!(values_for("zip", None).unwrap().contains(&"\"01234\""));
        assert!(values_for("createdAt", None)
            .unwrap()
            .contains(&"new Date(NaN)"));
        assert!(values_for("when", Some("Date")).is_some());
        assert!(values_for("items", None).is_none());
    }

    #[test]
    fn parameters_get_low_confidence_domain_cases() {
        let found = cases(
            "function register(email: string, age: number, options) {}",
            "domain",
        );
        let subjects: Vec<&str> = found.iter().map(|p| p.subject.as_str()).collect();
        assert_eq!(subjects, vec!["email", "age"]);
        assert!(found.iter().all(|p| p.confidence < 0.5));
    }
}
