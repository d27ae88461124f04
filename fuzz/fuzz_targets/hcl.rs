//! Fuzz target: `plangate::fuzzing::hcl` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plangate::fuzzing::hcl(data);
});
