//! Raw bytes as the body of a `202` answer; see `pinecone_restore_fuzz::started_restore`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pinecone_restore_fuzz::started_restore(data));
