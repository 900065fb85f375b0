//! Exit codes, and the one `error:` line a failure prints on stderr.

use std::error::Error as StdError;
use std::fmt;
use std::process::ExitCode;

/// Success.
pub(crate) const OK: u8 = 0;
/// Something this command could not do that has no code of its own (stdout unwritable, the
/// demo server would not start).
pub(crate) const OTHER: u8 = 1;
/// Invalid usage or argument; nothing was sent.
pub(crate) const USAGE: u8 = 2;
/// The API answered with an error status (after retries), redirects included.
pub(crate) const API: u8 = 3;
/// The response could not be accepted: malformed, invalid values, too large, a pagination loop.
pub(crate) const RESPONSE: u8 = 4;
/// Transport failure: connect, TLS, timeout, connection closed early.
pub(crate) const TRANSPORT: u8 = 5;
/// `wait`: the job ended `Failed` or `Cancelled`.
pub(crate) const JOB_ENDED: u8 = 6;
/// `wait`: the deadline passed.
pub(crate) const DEADLINE: u8 = 7;

/// What kind of failure an error is, as far as the exit code goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    InvalidArgument,
    Api,
    InvalidResponse,
    /// A body over the size cap: reported by the transport, but the answer is what is wrong.
    TooLarge,
    Transport,
}

impl Class {
    pub(crate) fn code(self) -> u8 {
        match self {
            Class::InvalidArgument => USAGE,
            Class::Api => API,
            Class::InvalidResponse | Class::TooLarge => RESPONSE,
            Class::Transport => TRANSPORT,
        }
    }
}

/// How a command ends when it does not succeed: an exit code and, unless the end is quiet (a
/// closed stdout), the `error:` line.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) line: Option<String>,
}

impl Failure {
    /// A failure with `code` and the line for `error` and its causes.
    pub(crate) fn new(code: u8, error: &(dyn StdError + 'static)) -> Failure {
        Failure {
            code,
            line: Some(error_line(error)),
        }
    }

    /// A failure with `code` and a plain message.
    pub(crate) fn message(code: u8, message: impl fmt::Display) -> Failure {
        Failure {
            code,
            line: Some(format!("error: {message}")),
        }
    }

    /// An end without a message, with `code`.
    pub(crate) fn quiet(code: u8) -> Failure {
        Failure { code, line: None }
    }

    /// Prints the line (if any) and gives the exit code.
    pub(crate) fn report(self) -> ExitCode {
        if let Some(line) = self.line {
            eprintln_safe(&line);
        }
        ExitCode::from(self.code)
    }
}

/// Writes one line on stderr, ignoring a stderr that is closed (nothing else could be done).
pub(crate) fn eprintln_safe(line: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    drop(writeln!(err, "{line}"));
}

/// `error: <error>: <cause>: <cause>`, on one line. A cause whose text the line already ends
/// with is not repeated; line breaks inside messages become spaces.
pub(crate) fn error_line(error: &(dyn StdError + 'static)) -> String {
    let mut line = format!("error: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !text.is_empty() && !line.ends_with(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = cause.source();
    }
    line.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    #[derive(Debug)]
    struct Outer(io::Error);

    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("cannot connect to `127.0.0.1:9`")
        }
    }

    impl StdError for Outer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn chain_on_one_line() {
        let e = Outer(io::Error::new(
            io::ErrorKind::ConnectionRefused,
            "connection refused\n(os error 111)",
        ));
        assert_eq!(
            error_line(&e),
            "error: cannot connect to `127.0.0.1:9`: connection refused (os error 111)"
        );
    }

    #[test]
    fn api_error_line_has_status_code_and_message() {
        let body = br#"{"error": {"code": "NOT_FOUND", "message": "Restore job x not found"}, "status": 404}"#;
        let e = pinecone_restore_core::Response {
            status: 404,
            headers: &[],
            body,
        }
        .job()
        .unwrap_err();
        let line = error_line(&e);
        assert!(line.starts_with("error: "), "{line}");
        assert!(line.contains("404") && line.contains("NOT_FOUND"), "{line}");
        assert!(line.contains("Restore job x not found"), "{line}");
    }

    #[test]
    fn codes() {
        assert_eq!(Class::InvalidArgument.code(), 2);
        assert_eq!(Class::Api.code(), 3);
        assert_eq!(Class::InvalidResponse.code(), 4);
        assert_eq!(Class::TooLarge.code(), 4);
        assert_eq!(Class::Transport.code(), 5);
        assert_eq!((OK, JOB_ENDED, DEADLINE), (0, 6, 7));
    }
}
