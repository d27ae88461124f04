//! The controls stage: the `ctrl.v1` catalogue and its three-valued evaluation.

pub mod catalogue;
pub mod evaluate;
pub mod predicate;
