//! Names, tags, deletion protection and backup ids; see
//! `pinecone_restore_fuzz::create_request`.
#![no_main]

use pinecone_restore_fuzz::CreateInput;

libfuzzer_sys::fuzz_target!(|input: CreateInput| pinecone_restore_fuzz::create_request(input));
