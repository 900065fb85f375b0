//! A page walk over any sequence of pages; see `pinecone_restore_fuzz::pager`.
#![no_main]

use pinecone_restore_fuzz::PagerInput;

libfuzzer_sys::fuzz_target!(|input: PagerInput| pinecone_restore_fuzz::pager(input));
