//! Requests from any limit, token, id, base URL and key; see
//! `pinecone_restore_fuzz::request_build`.
#![no_main]

use pinecone_restore_fuzz::RequestInput;

libfuzzer_sys::fuzz_target!(|input: RequestInput| pinecone_restore_fuzz::request_build(input));
