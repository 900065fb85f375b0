//! `error_response`: any status, headers and body, as the answer to a describe.

use arbitrary::{Arbitrary, Unstructured};
use pinecone_restore_core::{
    ApiKey, ApiVersion, Config, Error, InvalidResponseKind, JobId, Operation, Response,
    RetryPolicy, Step, parse_job,
};

use super::{error_text_is_safe, now};

/// A key that the checks look for in every message.
const KEY: &str = "pcsk_fuzz_SECRET_0123456789";

/// A response with any status, headers and body.
///
/// `Arbitrary` is written out so that the body is the rest of the input byte for byte: a seed
/// is the status (2 bytes, little-endian), `0x00` for "no headers", then the body as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorInput {
    /// The status code.
    pub status: u16,
    /// Header names and raw values.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: Vec<u8>,
}

impl<'a> Arbitrary<'a> for ErrorInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(ErrorInput {
            status: u.arbitrary()?,
            headers: u.arbitrary()?,
            body: u.arbitrary()?,
        })
    }

    fn arbitrary_take_rest(mut u: Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(ErrorInput {
            status: u.arbitrary()?,
            headers: u.arbitrary()?,
            body: u.take_rest().to_vec(),
        })
    }
}

impl ErrorInput {
    /// The bytes that [`ErrorInput::arbitrary_take_rest`] reads back as a response with
    /// `status`, no headers and `body`.
    pub fn seed(status: u16, body: &[u8]) -> Vec<u8> {
        let mut out = status.to_le_bytes().to_vec();
        out.push(0);
        out.extend_from_slice(body);
        out
    }
}

/// Any answer to a describe that is not retried: never panics; 200 parses as the parser does;
/// a 3xx-5xx is always an API error with that status, whatever the body says; anything else is
/// an unexpected status; every message is printable, bounded and free of the key.
pub fn error_response(input: ErrorInput) {
    let headers: Vec<(&str, &[u8])> = input
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let response = Response {
        status: input.status,
        headers: &headers,
        body: &input.body,
    };
    let config = Config::builder(ApiKey::new(KEY).unwrap_or_else(|e| panic!("{e}")))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let at = now();
    let api = response.api_error(config.secrets(), at.wall);
    assert_eq!(api.status(), input.status, "api_error changed the status");
    let api_shown = Error::from(api.clone());
    error_text_is_safe(&api_shown);
    assert!(
        !format!("{api_shown} {api_shown:?}").contains(KEY),
        "the key shows: {api_shown:?}"
    );

    let mut call = config.describe(&JobId::new("rj").unwrap_or_else(|e| panic!("{e}")));
    let result = loop {
        match call.next_step(at) {
            Step::Send(_) => call.handle(Ok(response), at, 0),
            Step::Sleep(delay) => panic!("retried though retries are off: slept {delay:?}"),
            Step::Yield(never) => match never {},
            Step::Done(result) => break result,
        }
    };
    match input.status {
        200 if !input.body.windows(KEY.len()).any(|w| w == KEY.as_bytes()) => {
            assert_eq!(
                result,
                parse_job(&input.body, &ApiVersion::V2025_04),
                "status 200 must parse the job"
            );
        }
        200 => {}
        300..=599 => match &result {
            Err(Error::Api(e)) => assert_eq!(**e, api, "API errors differ"),
            other => panic!(
                "status {}: expected an API error, found {other:?}",
                input.status
            ),
        },
        _ => assert_eq!(
            result.as_ref().err().and_then(Error::invalid_response_kind),
            Some(InvalidResponseKind::UnexpectedStatus),
            "status {}: {result:?}",
            input.status
        ),
    }
    if let Err(e) = &result {
        assert_eq!(
            e.status(),
            (300..=599).contains(&input.status).then_some(input.status)
        );
        error_text_is_safe(e);
        assert!(!format!("{e} {e:?}").contains(KEY), "the key shows: {e:?}");
    }
}
