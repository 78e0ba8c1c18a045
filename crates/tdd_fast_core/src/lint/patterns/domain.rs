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
use crate::lint::facts::Collector;

pub const META: super::PatternMeta = super::PatternMeta { id: "domain" };

/// One domain: the words that name it, a typical value (what a test passes when the case is not about this
/// parameter) and the tricky values this pattern reports (none for the domains that only give a typical value).
pub struct Domain {
    pub name: &'static str,
    /// Lower-case words; the parameter's last word (or a one-word name) must be one of them.
    pub words: &'static [&'static str],
    /// JavaScript source of a typical value, and the kind of that value (`string`, `number`, `boolean`, `date`).
    pub typical: Option<(&'static str, &'static str)>,
    pub tricky: &'static [&'static str],
}

const fn domain(
    name: &'static str,
    words: &'static [&'static str],
    typical: Option<(&'static str, &'static str)>,
    tricky: &'static [&'static str],
) -> Domain {
    Domain {
        name,
        words,
        typical,
        tricky,
    }
}

/// The one domain-value table of tdd-fast, checked in order; the first match wins.
pub const DOMAINS: &[Domain] = &[
    domain(
        "email",
        &["email", "mail"],
        Some(("'user@example.com'", "string")),
        &[
            "\"\"",
            "\"user+tag@example.co.uk\"",
            "\"no-at-sign\"",
            "\"a@b\"",
            "\" USER@Example.com \"",
        ],
    ),
    domain(
        "url",
        &["url", "uri", "href", "link", "endpoint"],
        Some(("'https://example.com/path?q=1'", "string")),
        &[
            "\"\"",
            "\"not a url\"",
            "\"https://example.com/a b?q=1#x\"",
            "\"javascript:alert(1)\"",
            "\"/relative\"",
        ],
    ),
    domain(
        "password",
        &["password", "passwd", "pwd", "passphrase", "secret"],
        Some(("'s3cret-Pa55'", "string")),
        &[
            "\"\"",
            "\" \"",
            "\"short\"",
            "\"x\".repeat(1000)",
            "\"pässwörd🔑\"",
        ],
    ),
    domain(
        "age",
        &["age"],
        Some(("30", "number")),
        &["-1", "0", "17", "18", "150", "1.5", "NaN"],
    ),
    domain(
        "money",
        &[
            "price", "amount", "cost", "total", "balance", "fee", "salary", "money",
        ],
        Some(("19.99", "number")),
        &[
            "0",
            "-0.01",
            "0.1 + 0.2",
            "1e21",
            "NaN",
            "Number.MAX_SAFE_INTEGER",
        ],
    ),
    domain(
        "quantity",
        &["quantity", "qty", "count", "size", "limit"],
        Some(("3", "number")),
        &["0", "1", "-1", "1.5", "Number.MAX_SAFE_INTEGER"],
    ),
    domain(
        "phone",
        &["phone", "tel", "mobile"],
        Some(("'+1-555-0100'", "string")),
        &[
            "\"\"",
            "\"+1 (555) 010-0100\"",
            "\"0044 20 7946 0958\"",
            "\"555\"",
            "\"phone\"",
        ],
    ),
    domain(
        "postal-code",
        &["zip", "postal", "postcode", "zipcode"],
        Some(("'90210'", "string")),
        &[
            "\"\"",
            "\"01234\"",
            "\"12345-6789\"",
            "\"SW1A 1AA\"",
            "\"1234\"",
        ],
    ),
    domain(
        "id",
        &["id", "uuid", "guid", "key"],
        None,
        &[
            "\"\"",
            "0",
            "-1",
            "\"00000000-0000-0000-0000-000000000000\"",
            "<an id that does not exist>",
        ],
    ),
    domain(
        "date",
        &[
            "date",
            "time",
            "timestamp",
            "birthday",
            "birthdate",
            "deadline",
            "at",
        ],
        Some(("new Date('2024-01-15T12:00:00.000Z')", "date")),
        &[
            "new Date(NaN)",
            "new Date(0)",
            "new Date(2024, 1, 29)",
            "new Date(2024, 11, 31, 23, 59, 59)",
            "<a DST change date>",
        ],
    ),
    domain(
        "percent",
        &["percent", "percentage", "pct", "ratio", "rate"],
        Some(("50", "number")),
        &["0", "100", "-1", "101", "0.5", "NaN"],
    ),
    domain(
        "name",
        &[
            "name",
            "username",
            "firstname",
            "lastname",
            "surname",
            "title",
        ],
        Some(("'Alice'", "string")),
        &[
            "\"\"",
            "\"  \"",
            "\"O'Brien\"",
            "\"José 李\"",
            "\"x\".repeat(256)",
            "\"<script>\"",
        ],
    ),
    // Domains that only give a typical value (no tricky values worth an edge case of their own).
    domain(
        "color",
        &["color", "colour"],
        Some(("'#ff8800'", "string")),
        &[],
    ),
    domain(
        "locale",
        &["locale", "lang", "language"],
        Some(("'en-US'", "string")),
        &[],
    ),
    domain("currency", &["currency"], Some(("'USD'", "string")), &[]),
    domain("json", &["json"], Some(("'{\"a\":1}'", "string")), &[]),
    domain(
        "path",
        &[
            "path", "file", "filename", "filepath", "dir", "dirname", "folder",
        ],
        Some(("'src/index.ts'", "string")),
        &[],
    ),
    domain("slug", &["slug"], Some(("'hello-world'", "string")), &[]),
    domain("token", &["token"], Some(("'s3cret-Pa55'", "string")), &[]),
    domain("port", &["port"], Some(("8080", "number")), &[]),
    domain(
        "duration",
        &[
            "ms", "timeout", "delay", "interval", "duration", "seconds", "minutes", "hours",
        ],
        Some(("1000", "number")),
        &[],
    ),
    domain(
        "index",
        &[
            "length",
            "max",
            "min",
            "num",
            "index",
            "idx",
            "n",
            "i",
            "k",
            "width",
            "height",
            "depth",
            "level",
            "times",
            "precision",
            "decimals",
            "digits",
            "step",
            "offset",
        ],
        Some(("3", "number")),
        &[],
    ),
    domain(
        "text",
        &[
            "str",
            "string",
            "text",
            "input",
            "value",
            "word",
            "s",
            "label",
            "message",
            "msg",
            "prefix",
            "suffix",
            "separator",
            "sep",
            "char",
            "pattern",
        ],
        Some(("'Hello World'", "string")),
        &[],
    ),
];

/// What a parameter's name says it holds, as it reaches the generator (`Param.domain`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamDomain {
    /// The domain's name (`email`, `date`, `flag`, ...).
    pub name: String,
    /// The kind of `typical`: `string`, `number`, `boolean` or `date`.
    pub kind: String,
    /// A typical value of the domain.
    pub typical: crate::testgen::pattern_values::CaseValue,
}

/// Prefixes that make a name a boolean flag (`isOpen`, `hasItems`, `allowEmpty`).
const FLAG_PREFIXES: &[&str] = &["is", "has", "should", "can", "enable", "allow", "use"];

/// The domain a parameter (or property) name falls in, if any: the last word decides (`emailCount` is a count).
pub fn domain_of(name: &str) -> Option<&'static Domain> {
    meaning(name).domain
}

/// What a name says: whether it starts with a flag prefix (`isOpen`) and the domain it names.
#[derive(Clone, Copy)]
struct Meaning {
    flag: bool,
    domain: Option<&'static Domain>,
}

/// [`Meaning`] of a name, remembered per thread: the same parameter names come back in every file, and splitting a
/// name into words allocates.
fn meaning(name: &str) -> Meaning {
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<String, Meaning>> = Default::default();
    }
    SEEN.with(|seen| {
        if let Some(known) = seen.borrow().get(name) {
            return *known;
        }
        let words = words(name);
        let found = Meaning {
            flag: words.len() > 1 && FLAG_PREFIXES.contains(&words[0].as_str()),
            domain: domain_by_words(name, &words),
        };
        let mut seen = seen.borrow_mut();
        if seen.len() >= 4096 {
            seen.clear();
        }
        seen.insert(name.to_string(), found);
        found
    })
}

fn domain_by_words(name: &str, words: &[String]) -> Option<&'static Domain> {
    let last = words.last()?;
    // `at` only as a suffix of a longer name (`createdAt`), never alone.
    if last == "at" && words.len() == 1 {
        return None;
    }
    // The whole name in lower case, for one-word names only (computed once, not per key).
    let lower = (words.len() == 1).then(|| name.to_lowercase());
    DOMAINS.iter().find(|d| {
        d.words.contains(&last.as_str()) || lower.as_deref().is_some_and(|l| d.words.contains(&l))
    })
}

/// The typical-value domain of a name, for the generator (flags by prefix included).
pub fn param_domain(name: &str) -> Option<ParamDomain> {
    let meaning = meaning(name);
    if meaning.flag {
        return Some(ParamDomain {
            name: "flag".into(),
            kind: "boolean".into(),
            typical: crate::testgen::pattern_values::CaseValue::from_code("true", None),
        });
    }
    let found = meaning.domain?;
    let (code, kind) = found.typical?;
    Some(ParamDomain {
        name: found.name.into(),
        kind: kind.into(),
        typical: crate::testgen::pattern_values::CaseValue::from_code(code, None),
    })
}

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

/// The tricky values for a parameter name, if it names a domain that has some (a `Date` type is a date).
pub fn values_for(name: &str, type_text: Option<&str>) -> Option<&'static [&'static str]> {
    if type_text.is_some_and(|t| t.trim() == "Date") {
        return DOMAINS.iter().find(|d| d.name == "date").map(|d| d.tricky);
    }
    domain_of(name)
        .map(|d| d.tricky)
        .filter(|tricky| !tricky.is_empty())
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
    use super::{param_domain, values_for};
    use crate::lint::patterns::test_support::cases;

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
    fn names_give_typical_values_of_their_domain() {
        let email = param_domain("userEmail").unwrap();
        assert_eq!(
            (email.name.as_str(), email.kind.as_str()),
            ("email", "string")
        );
        assert_eq!(
            email.typical.literal,
            Some(serde_json::json!("user@example.com"))
        );
        assert_eq!(param_domain("isOpen").unwrap().kind, "boolean");
        assert_eq!(param_domain("timeoutMs").unwrap().typical.code, "1000");
        assert_eq!(param_domain("createdAt").unwrap().kind, "date");
        assert!(param_domain("items").is_none());
        // A domain without tricky values gives a typical value but no edge case.
        assert!(param_domain("color").is_some());
        assert!(values_for("color", None).is_none());
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
