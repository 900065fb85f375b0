//! Any status, headers and body; see `pinecone_restore_fuzz::error_response`.
#![no_main]

use pinecone_restore_fuzz::ErrorInput;

libfuzzer_sys::fuzz_target!(|input: ErrorInput| pinecone_restore_fuzz::error_response(input));
