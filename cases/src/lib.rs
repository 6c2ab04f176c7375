//! The catalogue (in progress).
