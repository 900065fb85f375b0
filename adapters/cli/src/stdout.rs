//! Writing stdout: buffered, flushed once, and a closed pipe (`| head`) ending quietly.

use std::io::{self, BufWriter, Write};

use crate::exit::{self, Failure};

/// How much stdout output is held before it is written: a page of a listing (100 jobs as
/// NDJSON are about 28 KB) goes out in one `write`, and it is Linux's default pipe capacity, so
/// a reader of a pipe takes it in one piece.
const STDOUT_BUFFER: usize = 64 * 1024;

/// Runs `f` with buffered stdout and flushes it.
pub(crate) fn with_stdout<T>(
    f: impl FnOnce(&mut BufWriter<io::StdoutLock<'static>>) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let mut out = BufWriter::with_capacity(STDOUT_BUFFER, io::stdout().lock());
    let result = f(&mut out);
    let flushed = out.flush().map_err(|e| write_failure(&e));
    let value = result?;
    flushed?;
    Ok(value)
}

/// A failed write to stdout: a closed pipe (`| head`) ends quietly with success, anything else
/// is reported.
fn write_failure(e: &io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::quiet(exit::OK)
    } else {
        Failure::message(exit::OTHER, format_args!("cannot write output: {e}"))
    }
}

/// An `io::Result` from writing stdout, as a [`Failure`].
pub(crate) trait OrWriteFailure<T> {
    fn or_write_failure(self) -> Result<T, Failure>;
}

impl<T> OrWriteFailure<T> for io::Result<T> {
    fn or_write_failure(self) -> Result<T, Failure> {
        self.map_err(|e| write_failure(&e))
    }
}
