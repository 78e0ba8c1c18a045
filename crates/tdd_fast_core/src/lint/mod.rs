//! Analysis for the linter's side: what `analyze` reports without looking at any other file. The one visitor pass
//! ([`facts`]), the per-function [`metrics`], the file's [`classes`], the [`smells`] (one file per rule, each
//! collecting its own signals), the edge-case [`patterns`] (one file per pattern) and the cross-file [`duplicates`]
//! from token fingerprints.

pub mod classes;
pub mod duplicates;
pub mod facts;
pub mod metrics;
pub mod patterns;
pub mod smells;
