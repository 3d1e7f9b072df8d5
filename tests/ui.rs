//! Compile-time behaviour of `#[scalr_action]`: every rejected declaration has a fixture under
//! `tests/ui/fail/` whose `.stderr` pins the message, and `tests/ui/pass/` holds accepted forms.
//! See `tests/ui/README.md` for how to add a fixture and re-bless the messages.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
