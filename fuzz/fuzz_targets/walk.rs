//! A walk over any sequence of pages; see `pinecone_restore_fuzz::walk`.
#![no_main]

use pinecone_restore_fuzz::WalkInput;

libfuzzer_sys::fuzz_target!(|input: WalkInput| pinecone_restore_fuzz::walk(input));
