//! Raw bytes as the body of a `200` answer; see `pinecone_restore_fuzz::list_page`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pinecone_restore_fuzz::list_page(data));
