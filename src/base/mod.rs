//! The ground floor: what every layer uses and which imports nothing else of Unlatch.

pub mod causes;
pub mod clock;
pub mod metrics;
pub mod types;
