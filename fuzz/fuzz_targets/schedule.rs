//! Backup schedule bodies (one, a page, a history page); see `pinecone_restore_fuzz::schedule`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pinecone_restore_fuzz::schedule(data));
