//! Fuzz target: `plangate::fuzzing::config` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plangate::fuzzing::config(data);
});
