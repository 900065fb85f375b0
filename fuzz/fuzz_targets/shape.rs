//! A large body built from a small shape, for `-timeout` to catch superlinear parsing; see
//! `pinecone_restore_fuzz::shape`.
#![no_main]

use pinecone_restore_fuzz::ShapeInput;

libfuzzer_sys::fuzz_target!(|input: ShapeInput| pinecone_restore_fuzz::shape(input));
