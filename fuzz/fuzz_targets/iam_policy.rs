//! Fuzz target: `plangate::fuzzing::iam_policy` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    plangate::fuzzing::iam_policy(data);
});
