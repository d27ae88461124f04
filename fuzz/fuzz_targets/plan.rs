//! Fuzz target: `plangate::fuzzing::plan` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plangate::fuzzing::plan(data);
});
