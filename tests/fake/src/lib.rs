//! A fake Pinecone control plane for restore jobs, backups and backup schedules: a real HTTP
//! server on `127.0.0.1` that answers `GET /restore-jobs`, `GET /restore-jobs/{id}`,
//! `GET /backups`, `GET|POST /indexes/{index_name}/backups`, `GET|DELETE /backups/{backup_id}`,
//! `POST /backups/{backup_id}/create-index` and, in API 2026-07,
//! `GET|POST /indexes/{index_name}/backup-schedules`,
//! `GET|PATCH|DELETE /backup-schedules/{schedule_id}` and
//! `GET /backup-schedules/{schedule_id}/history` the way the real API does, in each API
//! version.
//!
//! It is the server side of the project's tests, the CLI's `--demo` mode and the benchmarks.
//! It behaves like the API where clients get it wrong: opaque base64 pagination tokens that
//! always contain `+`, `/` and `=` (a token sent without percent-encoding gets 400), pages
//! that may overlap, `"pagination": null` (or, in 2026-07, no `pagination`) on the last page,
//! `limit` checked to `1..=100`, 404 for unknown ids, 401 for a wrong key, jobs that progress
//! as they are polled or as the server's clock runs (with the instant each ends, for
//! measuring how late a client noticed), a 409 for a restore into a name that exists, backups
//! that are `Initializing` for a while, a 412 for deleting a backup a restore still needs, schedules
//! whose runs become backups as the server's clock passes them, answers delayed by a latency
//! of your choice, and faults queued at run time (429 with `Retry-After`, 5xx, an HTML 502
//! from a proxy, empty bodies, and connections that close or stall, before or after the
//! request took effect). Every answer carries a unique `x-pinecone-request-id`, and no two
//! runs hand out the same ids.
//!
//! The API is blocking: the server runs on its own thread and stops when the [`FakeServer`]
//! is dropped. It binds `127.0.0.1` on a free port, never anything else.
//!
//! It serves HTTPS too ([`FakeControlPlane::https`]): a CA generated at start-up signs its
//! certificate for `localhost` and `127.0.0.1` (or one that expired, or names another host),
//! and [`FakeServer::ca_pem`] hands out the CA for a client to trust.
//!
//! # Example
//!
//! ```
//! use pinecone_restore_fake::{Ending, FakeControlPlane, FakeJob, Fault};
//!
//! let server = FakeControlPlane::builder()
//!     .jobs(25)
//!     .job(FakeJob::progressing("restore-1", 2, Ending::Completed))
//!     .api_key(Some("secret"))
//!     .start()?;
//!
//! let agent: ureq::Agent = ureq::Agent::config_builder()
//!     .http_status_as_error(false)
//!     .build()
//!     .into();
//! let get = |path: &str| -> Result<(u16, serde_json::Value), Box<dyn std::error::Error>> {
//!     let mut response = agent
//!         .get(format!("{}{path}", server.base_url()))
//!         .header("Api-Key", "secret")
//!         .call()?;
//!     let body = response.body_mut().read_to_string()?;
//!     Ok((response.status().as_u16(), serde_json::from_str(&body)?))
//! };
//!
//! // 26 jobs in pages of 10: the first page points at the next with an opaque token
//! let (status, page) = get("/restore-jobs?limit=10")?;
//! assert_eq!(status, 200);
//! assert_eq!(page["data"].as_array().map(Vec::len), Some(10));
//! assert!(page["pagination"]["next"].is_string());
//!
//! // a progressing job advances each time it is described
//! assert_eq!(get("/restore-jobs/restore-1")?.1["status"], "Pending");
//! assert_eq!(get("/restore-jobs/restore-1")?.1["status"], "Completed");
//!
//! // faults are queued and answer the next request
//! server.inject(Fault::Status(503));
//! let (status, body) = get("/restore-jobs")?;
//! assert_eq!((status, body["error"]["code"].as_str()), (503, Some("UNAVAILABLE")));
//!
//! assert_eq!(server.stats().requests, 4);
//! assert_eq!(server.stats().connections, 1); // one kept-alive connection
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Starting a restore, and a POST that takes effect although its answer never arrives:
//!
//! ```
//! use pinecone_restore_fake::{Endpoint, FakeBackup, FakeControlPlane, Fault};
//!
//! let server = FakeControlPlane::builder()
//!     .backup(FakeBackup::ready("bkp-1"))
//!     .restore_polls(2)
//!     .start()?;
//! let agent: ureq::Agent = ureq::Agent::config_builder()
//!     .http_status_as_error(false)
//!     .build()
//!     .into();
//! let create = |name: &str| {
//!     agent
//!         .post(format!("{}/backups/bkp-1/create-index", server.base_url()))
//!         .header("X-Pinecone-Api-Version", "2026-07")
//!         .content_type("application/json")
//!         .send(format!(r#"{{"name":"{name}"}}"#))
//! };
//!
//! let mut response = create("restored-index")?;
//! assert_eq!(response.status().as_u16(), 202);
//! let started: serde_json::Value = serde_json::from_str(&response.body_mut().read_to_string()?)?;
//! let job_id = started["restore_job_id"].as_str().ok_or("no restore_job_id")?;
//!
//! // the new job is listed first and completes on its 2nd describe
//! assert_eq!(server.job(job_id).map(|job| job.status), Some("Pending".to_owned()));
//! let describe = format!("{}/restore-jobs/{job_id}", server.base_url());
//! agent.get(&describe).call()?;
//! let body = agent.get(&describe).call()?.body_mut().read_to_string()?;
//! let job: serde_json::Value = serde_json::from_str(&body)?;
//! assert_eq!((job["status"].as_str(), job["percent_complete"].as_u64()), (Some("Completed"), Some(100)));
//!
//! // the name now exists
//! assert_eq!(create("restored-index")?.status().as_u16(), 409);
//!
//! // the next create-index is processed, but the client hears nothing: no status line at all
//! server.inject_on(Endpoint::CreateIndex, Fault::ProcessThenDrop);
//! assert!(create("another-index").is_err());
//! assert_eq!(server.stats().restores_created, 2);
//! assert_eq!(create("another-index")?.status().as_u16(), 409);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Backups, per index and project-wide, and the pick a restore tool makes from them:
//!
//! ```
//! use pinecone_restore_fake::{FakeBackup, FakeControlPlane};
//!
//! let server = FakeControlPlane::builder()
//!     .backups([
//!         FakeBackup::ready("older").of_index("docs").created("2025-06-01T02:00:00.000Z"),
//!         FakeBackup::not_ready("newer").of_index("docs").created("2025-06-02T02:00:00.000Z"),
//!         FakeBackup::ready("other").of_index("products"),
//!     ])
//!     .index("empty")
//!     .start()?;
//! let agent: ureq::Agent = ureq::Agent::config_builder()
//!     .http_status_as_error(false)
//!     .build()
//!     .into();
//! let get = |path: &str| -> Result<(u16, serde_json::Value), Box<dyn std::error::Error>> {
//!     let mut response = agent.get(format!("{}{path}", server.base_url())).call()?;
//!     let body = response.body_mut().read_to_string()?;
//!     Ok((response.status().as_u16(), serde_json::from_str(&body)?))
//! };
//!
//! let (status, page) = get("/indexes/docs/backups")?;
//! assert_eq!(status, 200);
//! let newest_ready = page["data"]
//!     .as_array()
//!     .into_iter()
//!     .flatten()
//!     .filter(|b| b["status"] == "Ready")
//!     .max_by_key(|b| b["created_at"].as_str().map(str::to_owned));
//! assert_eq!(newest_ready.map(|b| &b["backup_id"]), Some(&"older".into()));
//!
//! assert_eq!(get("/backups?limit=2")?.1["data"].as_array().map(Vec::len), Some(2));
//! assert_eq!(get("/backups/other")?.1["source_index_name"], "products");
//! assert_eq!(get("/indexes/empty/backups")?.1["data"], serde_json::json!([]));
//! assert_eq!(get("/indexes/nope/backups")?.0, 404);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Taking a backup and following it, deleting one, and a schedule's history (2026-07):
//!
//! ```
//! use std::time::Duration;
//! use pinecone_restore_fake::{FakeBackup, FakeControlPlane, FakeSchedule};
//!
//! let server = FakeControlPlane::builder()
//!     .backup(FakeBackup::ready("old").of_index("docs"))
//!     .backup_polls(1)
//!     .schedule_created_ago(
//!         FakeSchedule::daily("nightly").of_index("docs"),
//!         Duration::from_secs(3 * 86_400),
//!     )
//!     .start()?;
//! let agent: ureq::Agent = ureq::Agent::config_builder()
//!     .http_status_as_error(false)
//!     .build()
//!     .into();
//! let send = |method: &str, path: &str, body: &str| {
//!     let request = ureq::http::Request::builder()
//!         .method(method)
//!         .uri(format!("{}{path}", server.base_url()))
//!         .header("X-Pinecone-Api-Version", "2026-07")
//!         .header("Content-Type", "application/json")
//!         .body(body.to_owned())?;
//!     let mut response = agent.run(request)?;
//!     let text = response.body_mut().read_to_string()?;
//!     let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
//!     Ok::<_, Box<dyn std::error::Error>>((response.status().as_u16(), json))
//! };
//!
//! // 200 in 2026-07 (201 before), Initializing for one describe, then Ready
//! let (status, backup) = send("POST", "/indexes/docs/backups", r#"{"name":"before-upgrade"}"#)?;
//! assert_eq!((status, backup["status"].as_str()), (200, Some("Initializing")));
//! let id = backup["backup_id"].as_str().ok_or("no backup_id")?;
//! assert_eq!(send("GET", &format!("/backups/{id}"), "")?.1["status"], "Initializing");
//! assert_eq!(send("GET", &format!("/backups/{id}"), "")?.1["status"], "Ready");
//!
//! // a delete is 202 with no body, then the backup is gone
//! assert_eq!(send("DELETE", "/backups/old", "")?.0, 202);
//! assert_eq!(send("GET", "/backups/old", "")?.0, 404);
//!
//! // the schedule ran daily for three days: a planned run first, then its backups
//! let (status, history) = send("GET", "/backup-schedules/nightly/history", "")?;
//! assert_eq!(status, 200);
//! assert_eq!(history["data"][0]["status"], "Scheduled");
//! assert_eq!(history["data"].as_array().map(Vec::len), Some(4));
//! // the three runs' backups and the one taken above (`old` is gone)
//! assert_eq!(server.backups_of("docs").len(), 4);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Endpoints
//!
//! Every request meets, in order: a queued fault if there is one (see [Faults](#faults)), the
//! version check (see [Versions](#versions)), the API key check
//! ([`FakeControlPlane::api_key`]), then its endpoint:
//!
//! - `GET {prefix}/restore-jobs?limit=N&paginationToken=T`: `limit` defaults to 10 and must be
//!   in `1..=100`; a token carries its own page size, which wins over `limit`. Answers
//!   `{"data":[...],"pagination":{"next":"..."}}`, or `"pagination":null` on the last page.
//! - `GET {prefix}/restore-jobs/{id}`: the job, or 404 `NOT_FOUND`. Describing a progressing
//!   job advances it; a timed job ([`TimedJob`]) moves with the clock only.
//! - `POST {prefix}/backups/{backup_id}/create-index` with a JSON body
//!   `{"name": "...", "tags": {...}, "deletion_protection": "enabled"|"disabled"}`: starts a
//!   restore of a backup the fake knows ([`FakeControlPlane::backup`]) into a new index, and
//!   answers 202 `{"restore_job_id": "...", "index_id": "..."}`. The new job is listed first,
//!   starts `Pending` with `created_at` set to the wall-clock time, and completes after
//!   [`FakeControlPlane::restore_polls`] describes (or, with
//!   [`FakeControlPlane::restore_runs_for`], that long after its creation); the name is then
//!   an existing index. The
//!   checks after the API key's, in order (each answers with the API's error body):
//!   1. the body: more than 1 MiB is 413 `INVALID_ARGUMENT`; a body that is not a JSON object
//!      with a string `name`, `tags` an object of strings (or null) and `deletion_protection`
//!      a string (or null) is 422 `UNPROCESSABLE_ENTITY` with serde's message (other keys are
//!      ignored);
//!   2. the rules, 400 `INVALID_ARGUMENT` naming the one broken: a name of 1 to 45 lowercase
//!      ASCII alphanumerics or `-` that starts and ends alphanumeric; tag keys of 1 to 80
//!      ASCII alphanumerics, `_` or `-`; tag values of at most 120 ASCII alphanumerics,
//!      `;@_-.+` or spaces; `deletion_protection` `enabled` or `disabled`;
//!   3. the backup, its id percent-decoded from the path like a job id: unknown is 404
//!      `NOT_FOUND`, not `Ready` is 412 `FAILED_PRECONDITION`;
//!   4. the name: an existing index ([`FakeControlPlane::index`], the target of any served job,
//!      or an index created before) is 409 `ALREADY_EXISTS`.
//! - `GET {prefix}/backups?limit=N&paginationToken=T`: every backup of the project
//!   ([`FakeControlPlane::backups`]), those of deleted indexes included, in the order they
//!   were added; paginated exactly as the restore jobs are (same `limit` rules and default,
//!   tokens, [`FakeControlPlane::page_overlap`], last page).
//! - `GET {prefix}/indexes/{index_name}/backups?limit=N&paginationToken=T`: the backups whose
//!   `source_index_name` is the (percent-decoded) name, paginated the same way. An index that
//!   does not exist is 404 `NOT_FOUND` (``Index {name} not found.``); an index that exists
//!   and has no backups is an empty page. A backup's source index exists unless it was
//!   deleted ([`FakeBackup::source_deleted`], [`FakeControlPlane::index_deleted`]); the
//!   backups of a deleted index are not listed per index. In 2026-07 only,
//!   `include_deleted=true` lists the backups of every index that has had the name, deleted
//!   ones included, and is 404 only for a name no index ever had; any other value than `true`
//!   or `false` is 400. This follows Pinecone's 2026-07 reference for the endpoint; earlier
//!   versions ignore the parameter (the fake's choice: they do not define it). A token is
//!   valid only for the listing that handed it out: another listing's (another index's, or
//!   with another `include_deleted`) is 400 like a malformed one.
//! - `GET {prefix}/backups/{backup_id}`: the backup, or 404 `NOT_FOUND`
//!   (``Backup {id} not found.``). Describing a backup taken through the API moves it towards
//!   its ending, as describing a job does (see below), unless the clock decides it
//!   ([`FakeControlPlane::backup_ready_after`]).
//! - `POST {prefix}/indexes/{index_name}/backups` with a JSON body
//!   `{"name": "...", "description": "..."}` (both optional; `{}` is a backup without a name):
//!   takes a backup of an existing index (as the per-index listing decides which exist) and
//!   answers 201 (200 in 2026-07) with it in the version's model: a fresh `backup_id`,
//!   `Initializing`, `created_at` the server's clock, the index's name and id, and the cloud,
//!   region, schema, counts and tags of the index's newest-listed backup (or values derived
//!   from its name). Names are not unique. It is listed last at once, and is `Initializing` for
//!   its first [`FakeControlPlane::backup_polls`] describes (or, with
//!   [`FakeControlPlane::backup_ready_after`], until that long after its creation), then
//!   `Ready` (or failed, with
//!   [`FakeControlPlane::backup_failures`]: `Failed`, `InitializationFailed` in 2026-07); a
//!   listing shows it as it is. The checks, in order: the body as create-index's (413; 422
//!   with serde's message for one that is not a JSON object with string or null `name` and
//!   `description`); in 2026-07 only, the name's rule (400, as an index name's); the index
//!   (404 ``Index {name} not found.``); the quota ([`FakeControlPlane::backup_quota`]: 403
//!   `FORBIDDEN`).
//! - `DELETE {prefix}/backups/{backup_id}`: 202 with an empty body, and the backup is gone from
//!   every listing and describe (the index stays); 404 `NOT_FOUND` for an unknown id. Until
//!   2026-04, 412 `FAILED_PRECONDITION` while a restore job from the backup has not finished
//!   (its status is not `Completed`, `Failed` or `Cancelled`; restores started through the API
//!   and jobs given to the builder alike), naming them as the API does:
//!   ``Unable to delete backup. There are pending restore jobs for this backup: ['...']``.
//!   2026-07 does not list the 412, and deletes.
//! - In 2026-07 only (before, these paths are unknown routes), backup schedules
//!   ([`FakeSchedule`]), each of them paginated as the other listings are where it is a
//!   listing:
//!   - `GET {prefix}/indexes/{index_name}/backup-schedules`: the index's schedules, in the
//!     order they were added; 404 for an unknown index.
//!   - `POST {prefix}/indexes/{index_name}/backup-schedules` with
//!     `{"name": "...", "schedule": {"type": "time-based", "frequency": "daily"|"weekly"|"monthly"},
//!     "retention": {"expire_after_days": N}}`: 200 with the new schedule, enabled, first
//!     running at the next 06:00 UTC. 422 for a body of the wrong shape, 400 for another type,
//!     frequency, or a retention outside `1..=3650` days; 403 `PERMISSION_DENIED` when the plan
//!     has no scheduled backups ([`FakeControlPlane::schedules_allowed`]); 404 for an unknown
//!     index; 409 `ALREADY_EXISTS` when the index has an enabled schedule.
//!   - `GET {prefix}/backup-schedules/{schedule_id}`: the schedule, or 404
//!     (`Backup schedule not found.`).
//!   - `PATCH {prefix}/backup-schedules/{schedule_id}` with `{"enabled": bool, "frequency":
//!     "...", "retention": {"expire_after_days": N}}`, every field optional: 200 with the
//!     schedule, the fields not given unchanged. Re-enabling a disabled schedule plans its next
//!     run (the next 06:00 UTC, a `Scheduled` history entry), and is 409 while another schedule
//!     of the index is enabled; disabling it makes `next_scheduled_run` `null`. 422, 400 and
//!     403 as for a create; 404 for an unknown schedule.
//!   - `DELETE {prefix}/backup-schedules/{schedule_id}`: 204 with no body (the backups it made
//!     stay), or 404.
//!   - `GET {prefix}/backup-schedules/{schedule_id}/history`: while the schedule is enabled, a
//!     `Scheduled` entry for its next run (with `scheduled_execution_at`), then the backups its
//!     runs made, newest first, as the API's `BackupScheduleHistoryItem`; 404 for an unknown
//!     schedule. Each run time the server's clock has passed became a `Ready` backup, created
//!     at that time and named `<schedule name>-<YYYYMMDDTHHMMSSZ>`, listed with the others.
//! - anything else, including another method on these paths: 404 `NOT_FOUND`.
//!
//! A listing advances nothing and shows what a describe at the same moment answers, for a
//! progressing job and for a backup taken through the API alike (a job's ending is listed
//! once a describe has answered it; see [`FakeJob::progressing`]), and for the jobs and
//! backups that change with the clock (see [Time](#time)). Every timestamp the fake writes
//! has exactly three fraction digits; [`FakeControlPlane::latency`] delays every answer.
//!
//! # Time
//!
//! A progressing job advances one step per describe, which suits a client that describes
//! the jobs it follows. A client that follows many by walking the listing needs jobs that
//! progress as real ones do, with time. These change with the server's clock only, never
//! with how often or how they are asked about:
//! - [`TimedJob`] ([`FakeControlPlane::timed_job`]) and [`FakeControlPlane::jobs_running`]
//!   (`rj-timed-0000`, ... ending at staggered times): `Pending`, the percent rising linearly,
//!   then their ending with `completed_at` their end on the server's clock;
//! - restores started through the API under [`FakeControlPlane::restore_runs_for`];
//! - backups taken through the API under [`FakeControlPlane::backup_ready_after`], and those
//!   of [`FakeControlPlane::backup_initializing_for`]: `Initializing`, then `Ready` or failed.
//!
//! Each request reads the clock once, so a listing and a describe at the same moment agree.
//! The clock is this machine's monotonic one from the server's start, shown in timestamps on
//! the server's clock ([`FakeControlPlane::clock_ahead_ms`] moves it). The ground truth of
//! each end is [`FakeServer::ended_at`], [`FakeServer::all_ended_at`] (the last job's) and
//! [`FakeServer::backup_ended_at`]: instants on the same clock, so an answer received before
//! one was decided before it, and a request sent after it is answered with the ending. The
//! [`Stats`] count the listings and describes a client spent on the wait.
//!
//! Waiting on 150 jobs by walking the listing, and measuring how late the last end was seen:
//!
//! ```
//! use std::time::{Duration, Instant};
//! use pinecone_restore_fake::FakeControlPlane;
//!
//! let server = FakeControlPlane::builder()
//!     .jobs(500)
//!     .jobs_running(150, Duration::from_millis(20), Duration::from_millis(30))
//!     .start()?;
//! let agent = ureq::Agent::new_with_defaults();
//! let following: Vec<String> = (0..150).map(|i| format!("rj-timed-{i:04}")).collect();
//! let mut done = std::collections::HashSet::new();
//! // however slow the machine, every end is seen within 10 s of the last
//! let give_up = server.all_ended_at().ok_or("timed jobs")? + Duration::from_secs(10);
//! while done.len() < following.len() {
//!     let seen = done.len();
//!     assert!(Instant::now() < give_up, "{seen} of 150 seen ended, 10 s past the last end");
//!     std::thread::sleep(Duration::from_millis(5)); // the poll interval
//!     // timed jobs are the newest, listed first: two pages of 100 hold them all
//!     let mut url = format!("{}/restore-jobs?limit=100", server.base_url());
//!     for _ in 0..2 {
//!         let text = agent.get(&url).call()?.body_mut().read_to_string()?;
//!         let page: serde_json::Value = serde_json::from_str(&text)?;
//!         for job in page["data"].as_array().into_iter().flatten() {
//!             let id = job["restore_job_id"].as_str().unwrap_or_default();
//!             if job["status"] == "Completed" && following.iter().any(|f| f == id) {
//!                 done.insert(id.to_owned());
//!             }
//!         }
//!         let next = page["pagination"]["next"].as_str().ok_or("a second page")?;
//!         let token: String = next
//!             .bytes()
//!             .map(|b| match b {
//!                 b'+' => "%2B".to_owned(),
//!                 b'/' => "%2F".to_owned(),
//!                 b'=' => "%3D".to_owned(),
//!                 b => char::from(b).to_string(),
//!             })
//!             .collect();
//!         url = format!("{}/restore-jobs?limit=100&paginationToken={token}", server.base_url());
//!     }
//! }
//! let seen_at = Instant::now();
//! let last_end = server.all_ended_at().ok_or("timed jobs")?;
//! assert!(seen_at >= last_end);
//! let lag = seen_at - last_end; // the poll interval and a walk, at most, here
//! assert!(lag < Duration::from_secs(5), "{lag:?}");
//! assert_eq!(server.stats().describe_requests, 0);
//! assert!(server.stats().list_requests >= 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Errors have the API's shape: `{"error":{"code":"...","message":"..."},"status":N}`.
//!
//! # Versions
//!
//! The `X-Pinecone-Api-Version` header picks the version a request is answered in: `2025-04`,
//! `2025-10`, `2026-04` or `2026-07`. A request without the header is answered as `2025-04`
//! (the fake's choice). Any other value gets 400 `INVALID_ARGUMENT` with a message naming it,
//! ``Unsupported API version `2027-01`: supported versions are 2025-04, 2025-10, 2026-04,
//! 2026-07.`` (also the fake's choice; the real API words it its own way).
//!
//! `2025-04`, `2025-10` and `2026-04` answer alike, as described above. `2026-07` differs
//! (for every job, the restores started through the API included):
//! - `percent_complete` is the integer `100` once a job is `Completed`, and absent while it is
//!   pending and after it failed or was cancelled (intermediate progress is not reported);
//! - `completed_at` is always present, `null` until the job has finished;
//! - the last page has no `pagination` key at all;
//! - `limit` defaults to 100 (it is still refused outside `1..=100`);
//! - a 401 is `text/plain; charset=utf-8` with the bare body `Invalid API key.`;
//! - a backup has no `dimension` or `metric` but a `schema` object, and
//!   `source_index_deleted_at` when its index was deleted (see [`FakeBackup`]); the per-index
//!   backup listing takes `include_deleted`;
//! - a backup taken through the API is answered with 200 instead of 201, its name must follow
//!   the index-name rule, and one that failed reads `InitializationFailed` instead of
//!   `Failed`;
//! - a backup is deleted even while a restore from it is pending (no 412);
//! - the backup schedule endpoints exist.
//!
//! # Faults
//!
//! [`FakeServer::inject`] queues a [`Fault`] for the next request, whatever its route;
//! [`FakeServer::inject_on`] queues one for the next request to one [`Endpoint`], ahead of the
//! first kind. A fault comes before every check. Some answer instead of the request
//! ([`Fault::Status`], [`Fault::Error`], [`Fault::TooManyRequests`], [`Fault::HtmlBadGateway`],
//! [`Fault::EmptyBody`], [`Fault::Unauthorized`], [`Fault::TextUnauthorized`]); some close the
//! connection without a byte of answer, at once or after a stall ([`Fault::Drop`],
//! [`Fault::Stall`]); and some let the request take effect first, then close, stall, or answer
//! an error ([`Fault::ProcessThenDrop`], [`Fault::ProcessThenStall`],
//! [`Fault::ProcessThenStatus`]), to test what a client does when a POST took effect but it
//! never heard so: a restore started, a backup taken or deleted, a schedule created, changed
//! or deleted.
//!
//! The `fake-control-plane` binary serves generated jobs from another process, or with
//! `--demo` the demo data set of [`FakeControlPlane::demo`]; with `--timed-jobs N` (and
//! `--timed-first-ms`, `--timed-spread-ms`) it also serves [`FakeControlPlane::jobs_running`]'s
//! jobs and prints, after the base URL, a line `timed-jobs-end-unix-ms T`: when the last one
//! ends, in ms since the Unix epoch on this machine's clock. See its `--help`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod backup;
mod create;
mod create_backup;
mod demo;
mod fault;
mod generate;
mod handler;
mod job;
mod listener;
mod query;
mod schedule;
mod schedule_request;
mod server;
mod store;
mod timed;
mod tls;
mod token;
mod version;

pub use backup::FakeBackup;
pub use demo::{
    DEMO_BACKUP_ID, DEMO_BACKUP_PENDING_ID, DEMO_INDEX_AGED_BACKUPS, DEMO_INDEX_DELETED,
    DEMO_INDEX_NEWEST_NOT_READY, DEMO_INDEX_NEWEST_READY, DEMO_INDEX_NO_READY,
    DEMO_INDEX_SCHEDULED, DEMO_INDEX_WITHOUT_BACKUPS, DEMO_SCHEDULE_ID,
};
pub use fault::{Endpoint, Fault};
pub use job::{Ending, FakeJob, Progress};
pub use schedule::{FakeSchedule, Frequency};
pub use server::{
    DEMO_FAILING_ID, DEMO_IN_PROGRESS_ID, FakeControlPlane, FakeServer, RecordedRequest, Stats,
};
pub use timed::TimedJob;
pub use tls::ServerCert;
