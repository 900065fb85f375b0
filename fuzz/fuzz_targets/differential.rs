//! The fast parser against the reference on the same bytes; see
//! `pinecone_restore_fuzz::differential`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pinecone_restore_fuzz::differential(data));
