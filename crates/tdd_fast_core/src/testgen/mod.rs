//! What test generation needs beyond the linter's facts: module shapes and export paths ([`exports`]), how parameters
//! are used ([`usage`]), the literals a function compares against ([`constants`]), pattern values as structured cases
//! ([`pattern_values`]), resolved types ([`types`]) and the JSON contract's sample ([`contract`]).

pub mod constants;
pub mod contract;
pub mod exports;
pub mod pattern_values;
pub mod types;
pub mod usage;
