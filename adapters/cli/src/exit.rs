//! Exit codes, and the one `error:` line a failure prints on stderr.

use std::error::Error as StdError;
use std::fmt;
use std::process::ExitCode;

use pinecone_restore_core::Error;
use pinecone_restore_core::text::{self, Secrets};

/// Success.
pub(crate) const OK: u8 = 0;
/// Something this command could not do that has no code of its own (stdout unwritable, the
/// demo server would not start).
pub(crate) const OTHER: u8 = 1;
/// Invalid usage or argument; nothing was sent.
pub(crate) const USAGE: u8 = 2;
/// The API answered with an error status (after retries), redirects included; also
/// `restore --from-index` for an index without a `Ready` backup.
pub(crate) const API: u8 = 3;
/// The response could not be accepted: malformed, invalid values, too large, undecodable, a
/// pagination loop.
pub(crate) const RESPONSE: u8 = 4;
/// Transport failure: connect, TLS, timeout, connection closed early.
pub(crate) const TRANSPORT: u8 = 5;
/// `wait`: the job ended `Failed` or `Cancelled`.
pub(crate) const JOB_ENDED: u8 = 6;
/// `wait`: the deadline passed.
pub(crate) const DEADLINE: u8 = 7;

/// Which error code wins when several things a command did ended in errors (waits on several
/// jobs or backups, deletes of several backups): the API's refusal (an unknown id, no
/// access), then an answer that cannot be accepted, then the transport; from what running
/// again is least likely to mend to what it most likely mends. The codes an error cannot have
/// there (nothing is sent with a bad argument) come last.
const ERROR_ORDER: [u8; 5] = [API, RESPONSE, TRANSPORT, USAGE, OTHER];

/// The worst of several exit codes: the first of [`ERROR_ORDER`] among them; else success
/// when each is a success (or there are none); else [`OTHER`].
pub(crate) fn worst(codes: &[u8]) -> u8 {
    ERROR_ORDER
        .iter()
        .copied()
        .find(|c| codes.contains(c))
        .unwrap_or(if codes.iter().all(|c| *c == OK) {
            OK
        } else {
            OTHER
        })
}

/// The exit code of a client error: core's class decides it.
pub(crate) fn code_of(e: &Error) -> u8 {
    if e.is_invalid_argument() {
        USAGE
    } else if e.is_api() {
        API
    } else if e.is_invalid_response() {
        RESPONSE
    } else if e.is_transport() {
        TRANSPORT
    } else {
        OTHER
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
    /// The failure for a client error: its exit code, and the line for it and its causes.
    pub(crate) fn of(error: &Error, secrets: &Secrets) -> Failure {
        Failure {
            code: code_of(error),
            line: Some(error_line(error, secrets)),
        }
    }

    /// A delete of `what` (``backup `ID` ``, ``schedule `ID` ``) that failed with `error`: its
    /// code, and `error: cannot delete <what>: <the error's line>`.
    pub(crate) fn cannot_delete(what: &str, error: &Error, secrets: &Secrets) -> Failure {
        let line = error_line(error, secrets);
        Failure {
            code: code_of(error),
            line: Some(format!(
                "error: cannot delete {what}: {}",
                line.strip_prefix("error: ").unwrap_or(&line)
            )),
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

/// `error: <error>: <cause>: <cause>`, on one line. Core's error is already safe to show; the
/// causes below it (a transport's own errors) go through core's text module too. A cause whose
/// text the line already ends with is not repeated.
pub(crate) fn error_line(error: &(dyn StdError + 'static), secrets: &Secrets) -> String {
    let mut line = format!(
        "error: {}",
        text::shown(&error.to_string(), text::MESSAGE_CHARS, secrets)
    );
    let mut source = error.source();
    while let Some(cause) = source {
        let shown = text::shown(&cause.to_string(), text::MESSAGE_CHARS, secrets);
        if !shown.is_empty() && !line.ends_with(&shown) {
            line.push_str(": ");
            line.push_str(&shown);
        }
        source = cause.source();
    }
    line
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
            error_line(&e, &Secrets::none()),
            r"error: cannot connect to `127.0.0.1:9`: connection refused\n(os error 111)"
        );
        let secrets = Secrets::of(["refused\n(os"]);
        assert!(!error_line(&e, &secrets).contains("refused"));
    }

    #[test]
    fn api_error_line_has_status_code_and_message() {
        let body = br#"{"error": {"code": "NOT_FOUND", "message": "Restore job x not found"}, "status": 404}"#;
        let e = Error::from(
            pinecone_restore_core::Response {
                status: 404,
                headers: &[],
                body,
            }
            .api_error(&Secrets::none(), std::time::SystemTime::now()),
        );
        let line = error_line(&e, &Secrets::none());
        assert!(line.starts_with("error: "), "{line}");
        assert!(line.contains("404") && line.contains("NOT_FOUND"), "{line}");
        assert!(line.contains("Restore job x not found"), "{line}");
    }

    #[test]
    fn the_worst_code_is_the_first_of_the_order() {
        assert_eq!(worst(&[]), OK);
        assert_eq!(worst(&[OK, OK]), OK);
        assert_eq!(worst(&[OK, TRANSPORT, RESPONSE, OK]), RESPONSE);
        assert_eq!(worst(&[USAGE, API, OTHER]), API);
        assert_eq!(worst(&[OK, JOB_ENDED]), OTHER, "a code outside the order");
    }

    #[test]
    fn codes() {
        let invalid = pinecone_restore_core::Limit::new(0).unwrap_err();
        assert_eq!(code_of(&invalid), 2);
        let unacceptable =
            pinecone_restore_core::parse_job(b"{", &pinecone_restore_core::ApiVersion::V2025_04)
                .unwrap_err();
        assert_eq!(code_of(&unacceptable), 4);
        assert_eq!((OK, API, TRANSPORT, JOB_ENDED, DEADLINE), (0, 3, 5, 6, 7));
    }
}
