//! `request_build`: requests from any limit, token, id, base URL and key.

use arbitrary::Arbitrary;
use pinecone_restore_core::{
    ApiKey, Config, Error, JobId, Limit, MAX_ID_LEN, MAX_TOKEN_LEN, PaginationToken, Request,
    restore_jobs,
};

/// Everything a caller passes to build requests.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct RequestInput {
    /// The page size asked for.
    pub limit: u64,
    /// The pagination token.
    pub token: String,
    /// The restore job id.
    pub id: String,
    /// The base URL.
    pub base: String,
    /// The API key.
    pub key: String,
    /// Whether plain `http://` to any host is allowed.
    pub insecure: bool,
}

/// A key that passes `ApiKey::new`, used to show that output does not depend on the real key.
const OTHER_KEY: &str = "placeholder-api-key";

/// Builds requests from any input: validation agrees with the documented rules, the token and
/// id come back exactly from the URL, headers are safe, and the key never shows.
pub fn request_build(input: RequestInput) {
    let RequestInput {
        limit,
        token,
        id,
        base,
        key,
        insecure,
    } = &input;

    let limit_checked = Limit::new(*limit);
    assert_eq!(
        limit_checked.is_ok(),
        (1..=100).contains(limit),
        "Limit::new({limit})"
    );
    if let Ok(l) = limit_checked {
        assert_eq!(u64::from(l.get()), *limit);
    }
    let id_checked = JobId::new(id.as_str());
    assert_eq!(
        id_checked.is_ok(),
        !matches!(id.as_str(), "" | "." | "..") && id.len() <= MAX_ID_LEN,
        "JobId::new({id:?})"
    );
    let token_checked = PaginationToken::new(token.as_str());
    assert_eq!(
        token_checked.is_ok(),
        !token.is_empty() && token.len() <= MAX_TOKEN_LEN,
        "PaginationToken::new({token:?})"
    );

    // The key can show in a message by chance when another input or the message's own text
    // holds it; it is a secret worth checking for when neither is so.
    let secret = key.len() >= 8
        && ![token, id, base, &limit.to_string(), OTHER_KEY]
            .iter()
            .any(|other| other.contains(key.as_str()));

    let build = |api_key: ApiKey| {
        Config::builder(api_key)
            .base_url(base.as_str())
            .allow_insecure_http(*insecure)
            .build()
    };
    let other = build(ApiKey::new(OTHER_KEY).unwrap_or_else(|e| panic!("{OTHER_KEY}: {e}")));
    let api_key = match ApiKey::new(key.as_str()) {
        Ok(api_key) => api_key,
        Err(e) => {
            assert!(e.is_invalid_argument(), "{e:?}");
            // The message may say where the key breaks a rule, but nothing of what it holds:
            // the same message for the key with every visible character replaced.
            let masked: String = key
                .chars()
                .map(|c| if c.is_ascii_graphic() { 'x' } else { c })
                .collect();
            match ApiKey::new(masked) {
                Err(m) => {
                    assert_eq!(m, e, "the API key error depends on the key's content");
                    no_secret_in(&e, &m, key, secret);
                }
                Ok(_) => panic!("masking made a refused key acceptable"),
            }
            return;
        }
    };
    assert_eq!(api_key.expose_secret(), key);
    let other_key = ApiKey::new(OTHER_KEY).unwrap_or_else(|e| panic!("{OTHER_KEY}: {e}"));
    assert_eq!(
        format!("{api_key:?}"),
        format!("{other_key:?}"),
        "ApiKey's Debug depends on the key"
    );

    let config = match build(api_key) {
        Ok(config) => config,
        Err(e) => {
            assert!(e.is_invalid_argument(), "{e:?}");
            match &other {
                Err(o) => {
                    assert_eq!(o, &e, "the config error depends on the key");
                    no_secret_in(&e, o, key, secret);
                }
                Ok(_) => panic!("the key decided whether the config builds"),
            }
            return;
        }
    };
    let other = other.unwrap_or_else(|e| panic!("only the key differs, yet: {e}"));
    assert_eq!(
        format!("{config:?}"),
        format!("{other:?}"),
        "Config's Debug depends on the key"
    );

    let base_shown = config.base_url().to_string();
    let token_sent = token_checked.as_ref().ok();
    let list = restore_jobs::list(limit_checked.as_ref().ok().copied(), token_sent)
        .request(&config)
        .expect("a list request needs no later version");
    request_invariants(&list, key, &base_shown);
    let list_other = restore_jobs::list(limit_checked.as_ref().ok().copied(), token_sent)
        .request(&other)
        .expect("a list request needs no later version");
    assert_eq!(list.url, list_other.url);
    assert_eq!(
        format!("{list:?}"),
        format!("{list_other:?}"),
        "Debug shows the key"
    );

    let rest = list
        .url
        .strip_prefix(&base_shown)
        .and_then(|r| r.strip_prefix("/restore-jobs"))
        .unwrap_or_else(|| panic!("list URL {} does not start with the base", list.url));
    let query = match rest.strip_prefix('?') {
        Some(q) => q,
        None => {
            assert_eq!(rest, "", "list URL {} has more than a query", list.url);
            ""
        }
    };
    let mut seen_limit = None;
    let mut seen_token = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("limit", v)) if seen_limit.is_none() => seen_limit = Some(v),
            Some(("paginationToken", v)) if seen_token.is_none() => seen_token = Some(v),
            _ => panic!("unexpected query part {pair:?} in {}", list.url),
        }
    }
    let want_limit = limit_checked.as_ref().ok().map(|l| l.to_string());
    assert_eq!(seen_limit, want_limit.as_deref(), "limit in {}", list.url);
    match seen_token {
        None => assert!(
            token_sent.is_none(),
            "token {token:?} missing from {}",
            list.url
        ),
        Some(encoded) => {
            assert!(token_sent.is_some(), "refused token sent in {}", list.url);
            assert_eq!(
                percent_decode(encoded).as_deref(),
                Some(token.as_bytes()),
                "token does not decode back from {}",
                list.url
            );
        }
    }

    if let Ok(job_id) = &id_checked {
        let describe = restore_jobs::describe(job_id)
            .request(&config)
            .expect("a describe needs no later version");
        request_invariants(&describe, key, &base_shown);
        let segment = describe
            .url
            .strip_prefix(&base_shown)
            .and_then(|r| r.strip_prefix("/restore-jobs/"))
            .unwrap_or_else(|| {
                panic!("describe URL {} does not start with the base", describe.url)
            });
        let last = describe.url.rsplit('/').next().unwrap_or_default();
        assert_eq!(segment, last, "the id is more than one path segment");
        assert!(
            !matches!(segment, "" | "." | ".."),
            "id segment {segment:?} addresses another path"
        );
        assert_eq!(
            percent_decode(segment).as_deref(),
            Some(id.as_bytes()),
            "id does not decode back from {}",
            describe.url
        );
    }
}

/// The properties every built request has.
fn request_invariants(request: &Request, key: &str, base: &str) {
    assert!(
        request.url.starts_with(base),
        "{} vs base {base}",
        request.url
    );
    assert!(
        request.url.bytes().all(|b| b.is_ascii_graphic()),
        "URL not plain ASCII: {:?}",
        request.url
    );
    for (name, value) in &request.headers {
        assert!(
            !name.contains(['\r', '\n']) && !value.contains(['\r', '\n']),
            "CR/LF in header {name:?}: {value:?}"
        );
        assert!(
            value.chars().all(|c| c == ' ' || c.is_ascii_graphic()),
            "header {name:?} not printable ASCII: {value:?}"
        );
    }
    assert_eq!(request.header("api-key"), Some(key));
}

/// Asserts that `e` does not show `key`, unless `secret` is false or `reference` (the same
/// error made without the key) shows that text too, by chance.
fn no_secret_in(e: &Error, reference: &Error, key: &str, secret: bool) {
    for (shown, chance) in [
        (e.to_string(), reference.to_string()),
        (format!("{e:?}"), format!("{reference:?}")),
    ] {
        if secret && !chance.contains(key) {
            assert!(!shown.contains(key), "the key shows in {shown:?}");
        }
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape or a byte that should have been
/// escaped (anything but RFC 3986 unreserved characters).
pub fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'%' => {
                let hi = hex(bytes.next()?)?;
                let lo = hex(bytes.next()?)?;
                out.push(hi << 4 | lo);
            }
            b if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => out.push(b),
            _ => return None,
        }
    }
    Some(out)
}

fn hex(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}
