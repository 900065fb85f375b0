//! The API versions the fake serves, and everything that differs between them.
//!
//! A request picks its version with the `X-Pinecone-Api-Version` header. Every difference
//! between versions is decided here, in [`ApiVersion::rules`]; the handler only reads the
//! [`Rules`] it gets back.

use axum::http::{HeaderValue, StatusCode};

/// One version of the control-plane API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApiVersion {
    V2025_04,
    V2025_10,
    V2026_04,
    V2026_07,
}

/// How a restore job is rendered as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JobShape {
    /// 2025-04, 2025-10 and 2026-04: `percent_complete` is a number that rises while the job
    /// is pending (`33.3`); it and `completed_at` are left out when unknown.
    V2025_04,
    /// 2026-07: `percent_complete` is the integer `100` once `Completed` and absent otherwise
    /// (intermediate progress is not reported); `completed_at` is always present, `null` until
    /// the job has finished.
    V2026_07,
}

/// How a backup is rendered as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BackupShape {
    /// 2025-04, 2025-10 and 2026-04: `dimension` and `metric` at the top level.
    V2025_04,
    /// 2026-07: a `schema` object instead of `dimension` and `metric`,
    /// `source_index_deleted_at` for a backup of a deleted index, and `include_deleted` on the
    /// per-index listing.
    V2026_07,
}

impl BackupShape {
    /// The status a backup taken through the API reads when it failed: `Failed` until
    /// 2026-04, `InitializationFailed` in 2026-07.
    pub(crate) fn failed_status(self) -> &'static str {
        match self {
            BackupShape::V2025_04 => "Failed",
            BackupShape::V2026_07 => "InitializationFailed",
        }
    }
}

/// What the listing says on its last page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LastPage {
    /// `"pagination": null`.
    Null,
    /// No `pagination` key at all.
    Absent,
}

/// The body of a 401.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnauthorizedBody {
    /// The API's JSON error body with code `UNAUTHENTICATED`.
    Json,
    /// `text/plain` with the bare message.
    Text,
}

/// Everything that depends on the version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rules {
    pub(crate) job_shape: JobShape,
    pub(crate) backup_shape: BackupShape,
    /// The page size when a listing has neither `limit` nor a token. Every version refuses a
    /// `limit` outside `1..=100`.
    pub(crate) default_limit: u8,
    pub(crate) last_page: LastPage,
    pub(crate) unauthorized: UnauthorizedBody,
    /// The status of a `POST /indexes/{index_name}/backups` that created a backup: 201 until
    /// 2026-04, 200 in 2026-07.
    pub(crate) backup_created: StatusCode,
    /// Whether a backup's name must follow the index-name rule (1 to 45 lowercase
    /// alphanumerics or `-`, alphanumeric at both ends): only in 2026-07; before, any string.
    pub(crate) backup_name_rule: bool,
    /// Whether `DELETE /backups/{backup_id}` refuses (412) while a restore from the backup has
    /// not finished: until 2026-04; 2026-07 does not list the 412, and deletes.
    pub(crate) delete_waits_for_restores: bool,
    /// Whether the backup schedule endpoints exist: only in 2026-07; before, their paths are
    /// unknown routes.
    pub(crate) schedules: bool,
}

const RULES_2025_04: Rules = Rules {
    job_shape: JobShape::V2025_04,
    backup_shape: BackupShape::V2025_04,
    default_limit: 10,
    last_page: LastPage::Null,
    unauthorized: UnauthorizedBody::Json,
    backup_created: StatusCode::CREATED,
    backup_name_rule: false,
    delete_waits_for_restores: true,
    schedules: false,
};

const RULES_2026_07: Rules = Rules {
    job_shape: JobShape::V2026_07,
    backup_shape: BackupShape::V2026_07,
    default_limit: 100,
    last_page: LastPage::Absent,
    unauthorized: UnauthorizedBody::Text,
    backup_created: StatusCode::OK,
    backup_name_rule: true,
    delete_waits_for_restores: false,
    schedules: true,
};

impl ApiVersion {
    /// Every version served, oldest first.
    pub(crate) const ALL: [ApiVersion; 4] = [
        ApiVersion::V2025_04,
        ApiVersion::V2025_10,
        ApiVersion::V2026_04,
        ApiVersion::V2026_07,
    ];

    /// The version of a request without the header: the fake's choice, the oldest version
    /// (the real API's default depends on the version of the spec one reads).
    pub(crate) const DEFAULT: ApiVersion = ApiVersion::V2025_04;

    /// The header value that names this version.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ApiVersion::V2025_04 => "2025-04",
            ApiVersion::V2025_10 => "2025-10",
            ApiVersion::V2026_04 => "2026-04",
            ApiVersion::V2026_07 => "2026-07",
        }
    }

    /// The version a request asks for: [`DEFAULT`](Self::DEFAULT) without the header.
    ///
    /// # Errors
    ///
    /// The message of the 400 the fake answers for a value that is not a served version.
    pub(crate) fn from_header(value: Option<&HeaderValue>) -> Result<ApiVersion, String> {
        let Some(value) = value else {
            return Ok(ApiVersion::DEFAULT);
        };
        let bytes = value.as_bytes();
        if let Some(version) = ApiVersion::ALL
            .into_iter()
            .find(|v| v.name().as_bytes() == bytes)
        {
            return Ok(version);
        }
        let names: Vec<&str> = ApiVersion::ALL.iter().map(|v| v.name()).collect();
        Err(format!(
            "Unsupported API version `{}`: supported versions are {}.",
            String::from_utf8_lossy(bytes),
            names.join(", ")
        ))
    }

    /// What this version changes.
    pub(crate) fn rules(self) -> Rules {
        match self {
            ApiVersion::V2025_04 | ApiVersion::V2025_10 | ApiVersion::V2026_04 => RULES_2025_04,
            ApiVersion::V2026_07 => RULES_2026_07,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_picks_the_version_and_unknown_ones_are_named() {
        assert_eq!(ApiVersion::from_header(None), Ok(ApiVersion::V2025_04));
        for version in ApiVersion::ALL {
            let value = HeaderValue::from_static(version.name());
            assert_eq!(ApiVersion::from_header(Some(&value)), Ok(version));
        }
        let value = HeaderValue::from_static("2027-01");
        assert_eq!(
            ApiVersion::from_header(Some(&value)),
            Err(
                "Unsupported API version `2027-01`: supported versions are 2025-04, \
                 2025-10, 2026-04, 2026-07."
                    .to_owned()
            )
        );
        let empty = HeaderValue::from_static("");
        assert!(ApiVersion::from_header(Some(&empty)).is_err());
    }

    #[test]
    fn only_2026_07_changes_the_shapes() {
        for version in ApiVersion::ALL {
            let rules = version.rules();
            let new = version == ApiVersion::V2026_07;
            assert_eq!(rules.job_shape == JobShape::V2026_07, new);
            assert_eq!(rules.backup_shape == BackupShape::V2026_07, new);
            assert_eq!(rules.default_limit, if new { 100 } else { 10 });
            assert_eq!(rules.last_page == LastPage::Absent, new);
            assert_eq!(rules.unauthorized == UnauthorizedBody::Text, new);
            assert_eq!(rules.backup_created.as_u16(), if new { 200 } else { 201 });
            assert_eq!(rules.backup_name_rule, new);
            assert_eq!(rules.delete_waits_for_restores, !new);
            assert_eq!(rules.schedules, new);
            let failed = rules.backup_shape.failed_status();
            assert_eq!(failed == "InitializationFailed", new);
        }
    }
}
