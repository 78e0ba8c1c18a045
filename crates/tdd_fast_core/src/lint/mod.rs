//! Analysis for the linter's side: what `analyze` reports without looking at any other file. The one visitor pass
//! ([`facts`]), the per-function [`metrics`], the [`smells`] (one file per rule), the edge-case [`patterns`] (one file
//! per pattern) and the cross-file [`duplicates`] from token fingerprints.

pub mod duplicates;
pub mod facts;
pub mod metrics;
pub mod patterns;
pub mod smells;
