//! What a batch's summary and a CLI exit code need from a cached report, kept beside its JSON text.

use serde::{Deserialize, Serialize};

use crate::model::{FileReport, Severity};

/// What a batch's summary (and a CLI exit code) needs from a report without reading its JSON.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportCounts {
    pub functions: u32,
    pub smells: u32,
    pub errors: u32,
    /// Smells of severity `error`.
    pub error_smells: u32,
    /// Smells of severity `warning`.
    pub warning_smells: u32,
    /// Smells of severity `info`.
    pub info_smells: u32,
}

impl ReportCounts {
    pub fn of(report: &FileReport) -> Self {
        let severity = |wanted: Severity| {
            report
                .smells
                .iter()
                .filter(|s| s.severity == wanted)
                .count() as u32
        };
        Self {
            functions: report.functions.len() as u32,
            smells: report.smells.len() as u32,
            errors: report.errors.len() as u32,
            error_smells: severity(Severity::Error),
            warning_smells: severity(Severity::Warning),
            info_smells: severity(Severity::Info),
        }
    }
}
