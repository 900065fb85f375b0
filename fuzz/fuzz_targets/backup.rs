//! Raw bytes as the body of a `200` answer to a backup listing and to describing a backup;
//! see `pinecone_restore_fuzz::backup`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pinecone_restore_fuzz::backup(data));
