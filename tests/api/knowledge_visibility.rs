//! Visibility and write rights of shared customer knowledge, for every role.
