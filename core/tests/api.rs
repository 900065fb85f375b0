//! Every method core's `Api` and `AsyncApi` give a transport: each sends its endpoint's
//! request, reads the answer, runs inside a scope named after the method, and the blocking
//! and async lists agree method for method.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant, SystemTime};

use pinecone_restore_core::drive::{
    Api, AsyncApi, AsyncItems, AsyncTransport, Hooks, Reply, Scope, Transport,
};
use pinecone_restore_core::{
    ApiKey, Attempt, BackupId, BackupName, Config, CreateBackup, CreateIndexFromBackup,
    IndexBackups, IndexName, JobId, Limit, Listing, Now, PaginationToken, Retention,
    TransportError, WaitOptions, WaitOutcome,
};

const JOB: &str = r#"{"restore_job_id":"rj-1","backup_id":"bk-1","target_index_name":"restored","target_index_id":"ix-1","status":"Completed","created_at":"2025-01-01T00:00:00Z"}"#;

fn backup(id: &str, status: &str, at: &str) -> String {
    format!(
        r#"{{"backup_id":"{id}","source_index_name":"docs","source_index_id":"ix","status":"{status}","cloud":"aws","region":"us-east-1","created_at":"{at}"}}"#
    )
}

/// A transport that answers from a script keyed by method and path-and-query, and records
/// what was sent and which scopes were entered.
#[derive(Clone)]
struct Scripted {
    hooks: Arc<Recorder>,
    answers: Arc<BTreeMap<String, (u16, String)>>,
}

struct Recorder {
    config: Config,
    sent: Mutex<Vec<String>>,
    scopes: Arc<Mutex<Vec<&'static str>>>,
}

/// A scope that records its name each time it is entered.
struct Named(&'static str, Arc<Mutex<Vec<&'static str>>>);

impl Scope for Named {
    fn enter(&self) -> impl Sized + '_ {
        self.1.lock().unwrap().push(self.0);
    }
}

impl Hooks for Recorder {
    type Scope = Named;

    fn config(&self) -> &Config {
        &self.config
    }

    fn now(&self) -> Now {
        Now {
            instant: Instant::now(),
            wall: SystemTime::now(),
        }
    }

    fn random(&self) -> u64 {
        0
    }

    fn scope(&self, name: &'static str) -> Named {
        Named(name, Arc::clone(&self.scopes))
    }
}

impl Scripted {
    fn new(answers: &[(&str, u16, String)]) -> Scripted {
        Scripted::with_version("2025-04", answers)
    }

    fn with_version(version: &str, answers: &[(&str, u16, String)]) -> Scripted {
        let config = Config::builder(ApiKey::new("k").unwrap())
            .base_url("http://127.0.0.1:9")
            .api_version(version)
            .build()
            .unwrap();
        Scripted {
            hooks: Arc::new(Recorder {
                config,
                sent: Mutex::default(),
                scopes: Arc::default(),
            }),
            answers: Arc::new(
                answers
                    .iter()
                    .map(|(k, s, b)| ((*k).to_owned(), (*s, b.clone())))
                    .collect(),
            ),
        }
    }

    fn answer(&self, attempt: &Attempt) -> Result<Reply, TransportError> {
        let target = attempt.request.url.trim_start_matches("http://127.0.0.1:9");
        let key = format!("{} {target}", attempt.request.method.as_str());
        self.hooks.sent.lock().unwrap().push(key.clone());
        let (status, body) = self
            .answers
            .get(&key)
            .cloned()
            .unwrap_or_else(|| panic!("nothing scripted for {key}"));
        Ok(Reply {
            status,
            headers: Vec::new(),
            body: body.into_bytes(),
        })
    }

    /// What was sent, and the distinct scopes entered, since the last look.
    fn take(&self) -> (Vec<String>, Vec<&'static str>) {
        let sent = std::mem::take(&mut *self.hooks.sent.lock().unwrap());
        let mut scopes = std::mem::take(&mut *self.hooks.scopes.lock().unwrap());
        scopes.dedup();
        (sent, scopes)
    }
}

impl Transport for Scripted {
    type Hooks = Recorder;

    fn hooks(&self) -> &Recorder {
        &self.hooks
    }

    fn send(&self, attempt: &Attempt) -> Result<Reply, TransportError> {
        self.answer(attempt)
    }

    fn sleep(&self, _: Duration) {}
}

/// The async walk is core's own items here.
impl AsyncTransport for Scripted {
    type Hooks = Recorder;
    type Items<L: Listing> = AsyncItems<Scripted, L>;

    fn hooks(&self) -> &Recorder {
        &self.hooks
    }

    fn send(
        &self,
        attempt: Attempt,
    ) -> impl Future<Output = Result<Reply, TransportError>> + Send + 'static {
        std::future::ready(self.answer(&attempt))
    }

    fn sleep(&self, _: Duration) -> impl Future<Output = ()> + Send + 'static {
        std::future::ready(())
    }
}

/// Polls a future whose transport answers at once.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

fn script() -> Scripted {
    let page = |data: &str, next: &str| format!(r#"{{"data":[{data}],"pagination":{next}}}"#);
    let backups = [
        backup("bk-1", "Ready", "2025-01-01T00:00:00Z"),
        backup("bk-2", "Ready", "2025-02-01T00:00:00Z"),
        backup("bk-3", "Initializing", "2025-03-01T00:00:00Z"),
    ]
    .join(",");
    Scripted::new(&[
        (
            "GET /restore-jobs?limit=1",
            200,
            page(JOB, r#"{"next":"t/1"}"#),
        ),
        (
            "GET /restore-jobs?limit=1&paginationToken=t%2F1",
            200,
            page("", "null"),
        ),
        ("GET /restore-jobs/rj-1", 200, JOB.to_owned()),
        (
            "POST /backups/bk-1/create-index",
            202,
            r#"{"restore_job_id":"rj-1","index_id":"ix-1"}"#.to_owned(),
        ),
        ("GET /backups?limit=100", 200, page(&backups, "null")),
        (
            "GET /indexes/docs/backups?limit=100",
            200,
            page(&backups, "null"),
        ),
        (
            "GET /backups/bk-2",
            200,
            backup("bk-2", "Ready", "2025-02-01T00:00:00Z"),
        ),
        (
            "POST /indexes/docs/backups",
            201,
            backup("bk-4", "Initializing", "2025-04-01T00:00:00Z"),
        ),
        ("DELETE /backups/bk-1", 202, String::new()),
        ("GET /restore-jobs?limit=100", 200, page(JOB, "null")),
    ])
}

fn blocking(t: &Scripted) -> Vec<(Vec<String>, Vec<&'static str>, String)> {
    let one = Some(Limit::new(1).unwrap());
    let hundred = Some(Limit::MAX);
    let token = PaginationToken::new("t/1").unwrap();
    let docs = IndexBackups::new(IndexName::new("docs").unwrap());
    let options = WaitOptions::default().interval(Duration::from_millis(1));
    let restore = CreateIndexFromBackup::new(IndexName::new("restored").unwrap());
    let mut seen = Vec::new();
    let mut log = |what: String| {
        let (sent, scopes) = t.take();
        seen.push((sent, scopes, what));
    };
    log(format!(
        "{:?}",
        Api::list_page(t, one, None).map(|p| p.jobs.len())
    ));
    log(format!("{}", Api::list_all(t, one).count()));
    log(format!(
        "{}",
        Api::list_all_from(t, one, Some(&token)).count()
    ));
    log(format!(
        "{:?}",
        Api::describe(t, &JobId::new("rj-1").unwrap()).map(|j| j.status().clone())
    ));
    let mut snapshots = 0;
    let waited = Api::wait(t, &JobId::new("rj-1").unwrap(), &options, |_| {
        snapshots += 1
    });
    log(format!(
        "{} {snapshots}",
        matches!(waited, Ok(WaitOutcome::Completed(_)))
    ));
    let ends = Api::wait_all(t, &[JobId::new("rj-1").unwrap()], &options, |_, _| {});
    log(format!("{}", ends.len()));
    let started = Api::create_index_from_backup(t, &BackupId::new("bk-1").unwrap(), &restore);
    log(format!(
        "{:?}",
        started.map(|s| s.restore_job_id().to_owned())
    ));
    log(format!(
        "{:?}",
        Api::list_backups(t, hundred, None).map(|p| p.backups.len())
    ));
    log(format!("{}", Api::list_all_backups(t, hundred).count()));
    log(format!(
        "{}",
        Api::list_all_backups_from(t, hundred, None).count()
    ));
    log(format!(
        "{:?}",
        Api::list_index_backups(t, &docs, hundred, None).map(|p| p.backups.len())
    ));
    log(format!(
        "{}",
        Api::list_all_index_backups(t, docs.clone(), hundred).count()
    ));
    log(format!(
        "{}",
        Api::list_all_index_backups_from(t, docs.clone(), hundred, None).count()
    ));
    log(format!(
        "{:?}",
        Api::describe_backup(t, &BackupId::new("bk-2").unwrap()).map(|b| b.backup_id().to_owned())
    ));
    let newest = Api::newest_ready_backup(t, &IndexName::new("docs").unwrap());
    log(format!(
        "{:?}",
        newest.map(|b| b.map(|b| b.backup_id().to_owned()))
    ));
    let taken = Api::create_backup(t, &IndexName::new("docs").unwrap(), &backup_request());
    log(format!("{:?}", taken.map(|b| b.backup_id().to_owned())));
    let deleted = Api::delete_backup(t, &BackupId::new("bk-1").unwrap());
    log(format!("{deleted:?}"));
    let mut seen_ready = 0;
    let waited = Api::wait_backup(t, &BackupId::new("bk-2").unwrap(), &options, |_| {
        seen_ready += 1
    });
    log(format!(
        "{} {seen_ready}",
        matches!(waited, Ok(WaitOutcome::Completed(_)))
    ));
    let ends = Api::wait_backups(t, &[BackupId::new("bk-2").unwrap()], &options, |_, _| {});
    log(format!("{}", ends.len()));
    let plan = Api::plan_prune(t, &IndexName::new("docs").unwrap(), &Retention::newest(1)).unwrap();
    log(format!(
        "{:?}",
        plan.to_delete().map(|b| b.backup_id()).collect::<Vec<_>>()
    ));
    let report = Api::prune(t, &plan, |_, _| {});
    log(format!("{:?}", report.map(|r| r.deleted.len())));
    seen
}

fn backup_request() -> CreateBackup {
    CreateBackup::new(BackupName::new("nightly").unwrap())
}

/// Drains an async walk.
fn count<L: Listing>(mut items: AsyncItems<Scripted, L>) -> usize {
    let mut n = 0;
    while let Some(item) = ready(items.next()) {
        item.unwrap();
        n += 1;
    }
    n
}

fn asynchronous(t: &Scripted) -> Vec<(Vec<String>, Vec<&'static str>, String)> {
    let one = Some(Limit::new(1).unwrap());
    let hundred = Some(Limit::MAX);
    let token = PaginationToken::new("t/1").unwrap();
    let docs = IndexBackups::new(IndexName::new("docs").unwrap());
    let options = WaitOptions::default().interval(Duration::from_millis(1));
    let restore = CreateIndexFromBackup::new(IndexName::new("restored").unwrap());
    let mut seen = Vec::new();
    let mut log = |what: String| {
        let (sent, scopes) = t.take();
        seen.push((sent, scopes, what));
    };
    log(format!(
        "{:?}",
        ready(AsyncApi::list_page(t, one, None)).map(|p| p.jobs.len())
    ));
    log(format!("{}", count(AsyncApi::list_all(t, one))));
    log(format!(
        "{}",
        count(AsyncApi::list_all_from(t, one, Some(&token)))
    ));
    log(format!(
        "{:?}",
        ready(AsyncApi::describe(t, &JobId::new("rj-1").unwrap())).map(|j| j.status().clone())
    ));
    let mut snapshots = 0;
    let waited = ready(AsyncApi::wait(
        t,
        &JobId::new("rj-1").unwrap(),
        &options,
        |_| snapshots += 1,
    ));
    log(format!(
        "{} {snapshots}",
        matches!(waited, Ok(WaitOutcome::Completed(_)))
    ));
    let ends = ready(AsyncApi::wait_all(
        t,
        &[JobId::new("rj-1").unwrap()],
        &options,
        |_, _| {},
    ));
    log(format!("{}", ends.len()));
    let started = ready(AsyncApi::create_index_from_backup(
        t,
        &BackupId::new("bk-1").unwrap(),
        &restore,
    ));
    log(format!(
        "{:?}",
        started.map(|s| s.restore_job_id().to_owned())
    ));
    log(format!(
        "{:?}",
        ready(AsyncApi::list_backups(t, hundred, None)).map(|p| p.backups.len())
    ));
    log(format!("{}", count(AsyncApi::list_all_backups(t, hundred))));
    log(format!(
        "{}",
        count(AsyncApi::list_all_backups_from(t, hundred, None))
    ));
    log(format!(
        "{:?}",
        ready(AsyncApi::list_index_backups(t, &docs, hundred, None)).map(|p| p.backups.len())
    ));
    log(format!(
        "{}",
        count(AsyncApi::list_all_index_backups(t, docs.clone(), hundred))
    ));
    log(format!(
        "{}",
        count(AsyncApi::list_all_index_backups_from(
            t,
            docs.clone(),
            hundred,
            None
        ))
    ));
    log(format!(
        "{:?}",
        ready(AsyncApi::describe_backup(
            t,
            &BackupId::new("bk-2").unwrap()
        ))
        .map(|b| b.backup_id().to_owned())
    ));
    let newest = ready(AsyncApi::newest_ready_backup(
        t,
        &IndexName::new("docs").unwrap(),
    ));
    log(format!(
        "{:?}",
        newest.map(|b| b.map(|b| b.backup_id().to_owned()))
    ));
    let taken = ready(AsyncApi::create_backup(
        t,
        &IndexName::new("docs").unwrap(),
        &backup_request(),
    ));
    log(format!("{:?}", taken.map(|b| b.backup_id().to_owned())));
    let deleted = ready(AsyncApi::delete_backup(t, &BackupId::new("bk-1").unwrap()));
    log(format!("{deleted:?}"));
    let mut seen_ready = 0;
    let waited = ready(AsyncApi::wait_backup(
        t,
        &BackupId::new("bk-2").unwrap(),
        &options,
        |_| seen_ready += 1,
    ));
    log(format!(
        "{} {seen_ready}",
        matches!(waited, Ok(WaitOutcome::Completed(_)))
    ));
    let ends = ready(AsyncApi::wait_backups(
        t,
        &[BackupId::new("bk-2").unwrap()],
        &options,
        |_, _| {},
    ));
    log(format!("{}", ends.len()));
    let plan = ready(AsyncApi::plan_prune(
        t,
        &IndexName::new("docs").unwrap(),
        &Retention::newest(1),
    ))
    .unwrap();
    log(format!(
        "{:?}",
        plan.to_delete().map(|b| b.backup_id()).collect::<Vec<_>>()
    ));
    let report = ready(AsyncApi::prune(t, &plan, |_, _| {}));
    log(format!("{:?}", report.map(|r| r.deleted.len())));
    seen
}

#[test]
fn every_method_sends_its_endpoint_reads_its_answer_and_runs_in_its_own_scope() {
    let t = script();
    let seen = blocking(&t);
    let expected: [(&[&str], &str, &str); 21] = [
        (&["GET /restore-jobs?limit=1"], "list_page", "Ok(1)"),
        (
            &[
                "GET /restore-jobs?limit=1",
                "GET /restore-jobs?limit=1&paginationToken=t%2F1",
            ],
            "list_all",
            "1",
        ),
        (
            &["GET /restore-jobs?limit=1&paginationToken=t%2F1"],
            "list_all",
            "0",
        ),
        (&["GET /restore-jobs/rj-1"], "describe", "Ok(Completed)"),
        (&["GET /restore-jobs/rj-1"], "wait", "true 1"),
        (&["GET /restore-jobs/rj-1"], "wait_all", "1"),
        (
            &["POST /backups/bk-1/create-index"],
            "create_index_from_backup",
            "Ok(\"rj-1\")",
        ),
        (&["GET /backups?limit=100"], "list_backups", "Ok(3)"),
        (&["GET /backups?limit=100"], "list_all_backups", "3"),
        (&["GET /backups?limit=100"], "list_all_backups", "3"),
        (
            &["GET /indexes/docs/backups?limit=100"],
            "list_index_backups",
            "Ok(3)",
        ),
        (
            &["GET /indexes/docs/backups?limit=100"],
            "list_all_index_backups",
            "3",
        ),
        (
            &["GET /indexes/docs/backups?limit=100"],
            "list_all_index_backups",
            "3",
        ),
        (&["GET /backups/bk-2"], "describe_backup", "Ok(\"bk-2\")"),
        (
            &["GET /indexes/docs/backups?limit=100"],
            "newest_ready_backup",
            "Ok(Some(\"bk-2\"))",
        ),
        (
            &["POST /indexes/docs/backups"],
            "create_backup",
            "Ok(\"bk-4\")",
        ),
        (&["DELETE /backups/bk-1"], "delete_backup", "Ok(Deleted)"),
        (&["GET /backups/bk-2"], "wait_backup", "true 1"),
        (&["GET /backups/bk-2"], "wait_backups", "1"),
        (
            &[
                "GET /indexes/docs/backups?limit=100",
                "GET /restore-jobs?limit=100",
            ],
            "plan_prune",
            "[\"bk-1\"]",
        ),
        (&["DELETE /backups/bk-1"], "prune", "Ok(1)"),
    ];
    assert_eq!(seen.len(), expected.len());
    for ((sent, scopes, what), (want_sent, scope, want)) in seen.iter().zip(expected) {
        assert_eq!(sent, want_sent, "{scope}");
        assert_eq!(scopes, &[scope], "{want_sent:?}");
        assert_eq!(what, want, "{scope}");
    }
    assert_eq!(
        asynchronous(&t),
        seen,
        "the async list is the blocking one, with `.await`"
    );
}

const SCHEDULE: &str = r#"{"schedule_id":"s-1","name":"nightly","index_id":"ix","project_id":"p","schedule_type":"time-based","frequency":"daily","retention_expire_after_days":7,"enabled":true,"next_scheduled_run":"2026-12-08T06:00:00Z","created_at":"2026-12-06T00:00:00Z"}"#;

fn schedules_script() -> Scripted {
    let page = |data: &str| format!(r#"{{"data":[{data}],"pagination":null}}"#);
    let history = r#"{"backup_id":"b-1","source_index_id":"ix","source_index_name":"docs","name":"nightly-1","status":"Ready","cloud":"aws","region":"r","created_at":"2026-12-06T06:00:00Z"}"#;
    Scripted::with_version(
        "2026-07",
        &[
            (
                "GET /indexes/docs/backup-schedules?limit=100",
                200,
                page(SCHEDULE),
            ),
            (
                "POST /indexes/docs/backup-schedules",
                200,
                SCHEDULE.to_owned(),
            ),
            ("GET /backup-schedules/s-1", 200, SCHEDULE.to_owned()),
            ("PATCH /backup-schedules/s-1", 200, SCHEDULE.to_owned()),
            ("DELETE /backup-schedules/s-1", 204, String::new()),
            (
                "GET /backup-schedules/s-1/history?limit=100",
                200,
                page(history),
            ),
        ],
    )
}

#[test]
fn every_schedule_method_sends_its_endpoint_blocking_and_async_alike() {
    use pinecone_restore_core::{
        CreateSchedule, Frequency, IndexSchedules, RetainDays, ScheduleHistory, ScheduleId,
        ScheduleName, UpdateSchedule,
    };
    let index = IndexName::new("docs").unwrap();
    let id = ScheduleId::new("s-1").unwrap();
    let hundred = Some(Limit::MAX);
    let create = CreateSchedule::new(
        ScheduleName::new("nightly").unwrap(),
        Frequency::Daily,
        RetainDays::new(7).unwrap(),
    );
    let change = UpdateSchedule::new().enabled(true);
    let expected: [(&str, &str, &str); 10] = [
        (
            "GET /indexes/docs/backup-schedules?limit=100",
            "list_schedules",
            "1",
        ),
        (
            "GET /indexes/docs/backup-schedules?limit=100",
            "list_all_schedules",
            "1",
        ),
        (
            "GET /indexes/docs/backup-schedules?limit=100",
            "list_all_schedules",
            "1",
        ),
        (
            "POST /indexes/docs/backup-schedules",
            "create_schedule",
            "s-1",
        ),
        ("GET /backup-schedules/s-1", "describe_schedule", "s-1"),
        ("PATCH /backup-schedules/s-1", "update_schedule", "s-1"),
        ("DELETE /backup-schedules/s-1", "delete_schedule", "Deleted"),
        (
            "GET /backup-schedules/s-1/history?limit=100",
            "schedule_history",
            "1",
        ),
        (
            "GET /backup-schedules/s-1/history?limit=100",
            "schedule_history",
            "1",
        ),
        (
            "GET /backup-schedules/s-1/history?limit=100",
            "schedule_history",
            "1",
        ),
    ];
    let t = schedules_script();
    let mut blocking = Vec::new();
    let mut log = |what: String| {
        let (sent, scopes) = t.take();
        blocking.push((sent, scopes, what));
    };
    log(Api::list_schedules(&t, &index, hundred, None)
        .unwrap()
        .schedules
        .len()
        .to_string());
    log(
        Api::list_all_schedules(&t, IndexSchedules::new(index.clone()), hundred)
            .count()
            .to_string(),
    );
    log(
        Api::list_all_schedules_from(&t, IndexSchedules::new(index.clone()), hundred, None)
            .count()
            .to_string(),
    );
    log(Api::create_schedule(&t, &index, &create)
        .unwrap()
        .schedule_id()
        .to_owned());
    log(Api::describe_schedule(&t, &id)
        .unwrap()
        .schedule_id()
        .to_owned());
    log(Api::update_schedule(&t, &id, &change)
        .unwrap()
        .schedule_id()
        .to_owned());
    log(format!("{:?}", Api::delete_schedule(&t, &id).unwrap()));
    log(Api::schedule_history(&t, &id, hundred, None)
        .unwrap()
        .backups
        .len()
        .to_string());
    log(
        Api::all_schedule_history(&t, ScheduleHistory::new(id.clone()), hundred)
            .count()
            .to_string(),
    );
    log(
        Api::all_schedule_history_from(&t, ScheduleHistory::new(id.clone()), hundred, None)
            .count()
            .to_string(),
    );
    for ((sent, scopes, what), (want_sent, scope, want)) in blocking.iter().zip(expected) {
        assert_eq!(sent, &[want_sent], "{scope}");
        assert_eq!(scopes, &[scope], "{want_sent}");
        assert_eq!(what, want, "{scope}");
    }
    assert_eq!(blocking.len(), expected.len());
    let mut asynchronous = Vec::new();
    let mut log = |what: String| {
        let (sent, scopes) = t.take();
        asynchronous.push((sent, scopes, what));
    };
    log(ready(AsyncApi::list_schedules(&t, &index, hundred, None))
        .unwrap()
        .schedules
        .len()
        .to_string());
    log(count(AsyncApi::list_all_schedules(
        &t,
        IndexSchedules::new(index.clone()),
        hundred,
    ))
    .to_string());
    log(count(AsyncApi::list_all_schedules_from(
        &t,
        IndexSchedules::new(index.clone()),
        hundred,
        None,
    ))
    .to_string());
    log(ready(AsyncApi::create_schedule(&t, &index, &create))
        .unwrap()
        .schedule_id()
        .to_owned());
    log(ready(AsyncApi::describe_schedule(&t, &id))
        .unwrap()
        .schedule_id()
        .to_owned());
    log(ready(AsyncApi::update_schedule(&t, &id, &change))
        .unwrap()
        .schedule_id()
        .to_owned());
    log(format!(
        "{:?}",
        ready(AsyncApi::delete_schedule(&t, &id)).unwrap()
    ));
    log(ready(AsyncApi::schedule_history(&t, &id, hundred, None))
        .unwrap()
        .backups
        .len()
        .to_string());
    log(count(AsyncApi::all_schedule_history(
        &t,
        ScheduleHistory::new(id.clone()),
        hundred,
    ))
    .to_string());
    log(count(AsyncApi::all_schedule_history_from(
        &t,
        ScheduleHistory::new(id.clone()),
        hundred,
        None,
    ))
    .to_string());
    assert_eq!(asynchronous, blocking);
}
