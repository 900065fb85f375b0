//! A wait on many jobs in rounds that walk the listing, against a model control plane with
//! ground truth; see `pinecone_restore_fuzz::wait_rounds`.
#![no_main]

use pinecone_restore_fuzz::RoundsInput;

libfuzzer_sys::fuzz_target!(|input: RoundsInput| pinecone_restore_fuzz::wait_rounds(input));
