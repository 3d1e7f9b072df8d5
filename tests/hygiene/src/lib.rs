//! Holds no code: the tests in `tests/` are what this package is for.
