//! Shared customer knowledge: the questions the API answers, mutations, validation, conflicts and history.
