//! Fuzz target: `plangate::fuzzing::findings` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plangate::fuzzing::findings(data);
});
