//! The render stage: findings in, bytes out, one file per format.

pub mod finding;
pub mod json;
pub mod text;
