//! Every operation on a simulated clock against a scripted server; see
//! `pinecone_restore_fuzz::operations`.
#![no_main]

use pinecone_restore_fuzz::OperationsInput;

libfuzzer_sys::fuzz_target!(|input: OperationsInput| pinecone_restore_fuzz::operations(input));
