//! The restore job model served by the fake, and how a job is rendered as JSON.

use serde_json::{Map, Value};

use crate::generate;
use crate::version::JobShape;

/// One restore job as the fake serves it.
///
/// The fields mirror the API's `RestoreJobModel` in version 2025-04. `created_at` is rendered
/// as `null` when it is `None` (the backend does that for a job not yet timestamped);
/// `completed_at` and `percent_complete` are left out of the JSON when they are `None`.
///
/// Version 2026-07 reports less, and the fake derives it from the same job: `percent_complete`
/// is the integer `100` when `status` is `Completed` and absent otherwise (whatever
/// `percent_complete` holds), and `completed_at` is always present, `null` when it is `None`.
///
/// A job with `progress: None` never changes. A job with `progress: Some(..)` advances one step
/// every time it is described (see [`FakeJob::progressing`]); the server lists it as that
/// describes, whatever `status` and `percent_complete` hold.
///
/// ```
/// use pinecone_restore_fake::FakeJob;
///
/// let job = FakeJob {
///     status: "Cancelled".to_owned(),
///     percent_complete: None,
///     ..FakeJob::completed("my-restore")
/// };
/// assert_eq!(job.restore_job_id, "my-restore");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FakeJob {
    /// `restore_job_id`: the id used in `GET /restore-jobs/{id}`.
    pub restore_job_id: String,
    /// `backup_id`: the backup being restored.
    pub backup_id: String,
    /// `target_index_name`: the index the backup is restored into.
    pub target_index_name: String,
    /// `target_index_id`: the id of that index.
    pub target_index_id: String,
    /// `status`: a free string (`Pending`, `Completed`, `Failed`, `Cancelled`, or anything else).
    pub status: String,
    /// `created_at`: RFC 3339 text, or `None` to send `null`.
    pub created_at: Option<String>,
    /// `completed_at`: RFC 3339 text, or `None` to leave the key out.
    pub completed_at: Option<String>,
    /// `percent_complete`: or `None` to leave the key out.
    pub percent_complete: Option<f64>,
    /// How the job changes as it is polled; `None` for a job that never changes.
    pub progress: Option<Progress>,
}

/// How a progressing job advances; see [`FakeJob::progressing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// How many describes it takes until the job shows its final state.
    pub polls_until_done: u32,
    /// The final state.
    pub ending: Ending,
}

/// The final state of a progressing job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ending {
    /// `Completed`, with `percent_complete` 100 and `completed_at` set.
    Completed,
    /// `Failed`, with `completed_at` set and no `percent_complete`.
    Failed,
    /// `Cancelled`, with `completed_at` set and no `percent_complete`.
    Cancelled,
}

impl Ending {
    fn status(self) -> &'static str {
        match self {
            Ending::Completed => "Completed",
            Ending::Failed => "Failed",
            Ending::Cancelled => "Cancelled",
        }
    }
}

impl FakeJob {
    /// A finished job: `Completed`, `percent_complete` 100, both timestamps set.
    ///
    /// The other fields are realistic values derived from `id` (the same id always gives the
    /// same job).
    ///
    /// ```
    /// use pinecone_restore_fake::FakeJob;
    ///
    /// let job = FakeJob::completed("abc");
    /// assert_eq!(job.status, "Completed");
    /// assert_eq!(job.percent_complete, Some(100.0));
    /// assert!(job.completed_at.is_some());
    /// ```
    pub fn completed(id: &str) -> FakeJob {
        let seed = generate::hash_str(id);
        let created = generate::recent_instant(seed);
        FakeJob {
            restore_job_id: id.to_owned(),
            backup_id: generate::uuid(seed ^ 0x0bac_0bac),
            target_index_name: generate::index_name(seed),
            target_index_id: generate::index_id(seed),
            status: "Completed".to_owned(),
            created_at: Some(generate::timestamp(created, seed, false)),
            completed_at: Some(generate::timestamp(created + 420, seed >> 10, false)),
            percent_complete: Some(100.0),
            progress: None,
        }
    }

    /// A job that is running and advances each time it is described (for one that runs on
    /// the server's clock whoever asks, see [`TimedJob`](crate::TimedJob)).
    ///
    /// The `k`-th describe (`GET /restore-jobs/{id}`) answers `Pending` at
    /// `100 * k / polls_until_done` percent (and no `completed_at`), and the
    /// `polls_until_done`-th and every later one its `ending`; with `polls_until_done` 0 the
    /// job has its ending from the start.
    ///
    /// A listing advances nothing and shows the state the next describe answers, so that a
    /// listing and a describe at the same moment agree: the job starts listed at
    /// `100 / polls_until_done` percent, as its first describe answers. The one exception is
    /// the ending, which a listing shows only once a describe has answered it (until then it
    /// shows the last `Pending` state): a job that takes one describe is listed `Pending` at 0
    /// percent until it is described, as a restore that was just started is.
    ///
    /// ```
    /// use pinecone_restore_fake::{Ending, FakeJob};
    ///
    /// let job = FakeJob::progressing("restore-1", 5, Ending::Completed);
    /// assert_eq!(job.status, "Pending");
    /// assert_eq!(job.percent_complete, Some(20.0));
    /// ```
    pub fn progressing(id: &str, polls_until_done: u32, ending: Ending) -> FakeJob {
        let progress = Progress {
            polls_until_done,
            ending,
        };
        let mut job = FakeJob {
            progress: Some(progress),
            ..FakeJob::completed(id)
        };
        job.advance_to(listed_step(0, polls_until_done));
        job
    }

    /// Puts a progressing job in its `step`-th state: the one its `step`-th describe answers
    /// (0 is `Pending` at 0 percent).
    pub(crate) fn advance_to(&mut self, step: u32) {
        let Some(progress) = self.progress else {
            return;
        };
        if step >= progress.polls_until_done {
            let seed = generate::hash_str(&self.restore_job_id);
            let completed_at =
                generate::timestamp(generate::recent_instant(seed) + 300, seed >> 20, false);
            self.show_ending(progress.ending, completed_at);
        } else {
            let tenths = u64::from(step) * 1000 / u64::from(progress.polls_until_done);
            self.show_running(tenths);
        }
    }

    /// Shows the job running, `tenths` tenths of a percent of the way: `Pending`, no
    /// `completed_at`.
    pub(crate) fn show_running(&mut self, tenths: u64) {
        if self.status != "Pending" {
            self.status = "Pending".to_owned();
        }
        self.completed_at = None;
        self.percent_complete = Some(tenths as f64 / 10.0);
    }

    /// Shows the job ended with `ending` at `completed_at`: `percent_complete` 100 for
    /// `Completed`, none otherwise.
    pub(crate) fn show_ending(&mut self, ending: Ending, completed_at: String) {
        self.status = ending.status().to_owned();
        self.completed_at = Some(completed_at);
        self.percent_complete = match ending {
            Ending::Completed => Some(100.0),
            Ending::Failed | Ending::Cancelled => None,
        };
    }

    /// The job as the API's JSON object in `shape` (keys in alphabetical order, as serde_json
    /// writes them).
    pub(crate) fn render(&self, shape: JobShape) -> String {
        let mut map = Map::new();
        map.insert("restore_job_id".into(), self.restore_job_id.clone().into());
        map.insert("backup_id".into(), self.backup_id.clone().into());
        map.insert(
            "target_index_name".into(),
            self.target_index_name.clone().into(),
        );
        map.insert(
            "target_index_id".into(),
            self.target_index_id.clone().into(),
        );
        map.insert("status".into(), self.status.clone().into());
        map.insert(
            "created_at".into(),
            optional_text(self.created_at.as_deref()),
        );
        match shape {
            JobShape::V2025_04 => {
                if let Some(at) = &self.completed_at {
                    map.insert("completed_at".into(), at.clone().into());
                }
                if let Some(p) = self.percent_complete {
                    map.insert("percent_complete".into(), percent_value(p));
                }
            }
            JobShape::V2026_07 => {
                map.insert(
                    "completed_at".into(),
                    optional_text(self.completed_at.as_deref()),
                );
                if self.status == "Completed" {
                    map.insert("percent_complete".into(), Value::from(100));
                }
            }
        }
        Value::Object(map).to_string()
    }
}

/// The step a progressing job that takes `polls` describes is listed in after `answered`
/// describes: the one the next describe answers, short of the ending, which is listed only
/// once a describe has answered it.
pub(crate) fn listed_step(answered: u32, polls: u32) -> u32 {
    if answered >= polls {
        polls
    } else {
        answered.saturating_add(1).min(polls - 1)
    }
}

/// A string, or `null`.
fn optional_text(text: Option<&str>) -> Value {
    text.map_or(Value::Null, Value::from)
}

/// Whole percentages are written as integers (`100`, as the API does), others as floats.
fn percent_value(p: f64) -> Value {
    if p.is_finite() && p.fract() == 0.0 && p.abs() < 1e15 {
        Value::from(p as i64)
    } else {
        Value::from(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progressing_job_steps_through_pending_to_its_ending() {
        let mut job = FakeJob::progressing("x", 5, Ending::Failed);
        let seen: Vec<_> = (0..=6)
            .map(|step| {
                job.advance_to(step);
                (job.status.clone(), job.percent_complete)
            })
            .collect();
        assert_eq!(seen[0], ("Pending".to_owned(), Some(0.0)));
        assert_eq!(seen[1], ("Pending".to_owned(), Some(20.0)));
        assert_eq!(seen[4], ("Pending".to_owned(), Some(80.0)));
        assert_eq!(seen[5], ("Failed".to_owned(), None));
        assert_eq!(seen[6], ("Failed".to_owned(), None));
        assert!(job.completed_at.is_some());
    }

    #[test]
    fn a_listing_shows_the_next_answer_short_of_the_ending() {
        let listed = |polls| {
            (0..=polls + 1)
                .map(|k| listed_step(k, polls))
                .collect::<Vec<_>>()
        };
        assert_eq!(listed(5), [1, 2, 3, 4, 4, 5, 5]);
        assert_eq!(listed(2), [1, 1, 2, 2]);
        assert_eq!(listed(1), [0, 1, 1]);
        assert_eq!(listed(0), [0, 0]);
        assert_eq!(listed_step(0, u32::MAX), 1);
    }

    #[test]
    fn render_omits_unknown_optional_fields_and_writes_null_created_at() {
        let job = FakeJob {
            created_at: None,
            completed_at: None,
            percent_complete: None,
            ..FakeJob::completed("id-1")
        };
        let v: Value = serde_json::from_str(&job.render(JobShape::V2025_04)).unwrap();
        assert_eq!(v["created_at"], Value::Null);
        assert!(v.get("completed_at").is_none());
        assert!(v.get("percent_complete").is_none());
        assert_eq!(v["restore_job_id"], "id-1");
    }

    #[test]
    fn whole_percent_is_an_integer() {
        let v: Value =
            serde_json::from_str(&FakeJob::completed("a").render(JobShape::V2025_04)).unwrap();
        assert!(v["percent_complete"].is_u64());
        assert_eq!(percent_value(37.5).to_string(), "37.5");
    }

    #[test]
    fn the_2026_07_shape_reports_only_the_end_of_progress() {
        let render = |job: &FakeJob| -> Value {
            serde_json::from_str(&job.render(JobShape::V2026_07)).unwrap()
        };
        let mut job = FakeJob::progressing("p", 3, Ending::Completed);
        job.advance_to(1);
        let pending = render(&job);
        assert!(pending.get("percent_complete").is_none(), "{pending}");
        assert_eq!(pending["completed_at"], Value::Null);
        assert!(pending["created_at"].is_string());

        job.advance_to(3);
        let done = render(&job);
        assert!(done["percent_complete"].is_u64());
        assert_eq!(done["percent_complete"], 100);
        assert!(done["completed_at"].is_string());

        let mut failed = FakeJob::progressing("f", 1, Ending::Failed);
        failed.advance_to(1);
        let failed = render(&failed);
        assert!(failed.get("percent_complete").is_none());
        assert!(failed["completed_at"].is_string());

        let untimed = FakeJob {
            created_at: None,
            ..FakeJob::completed("u")
        };
        assert_eq!(render(&untimed)["created_at"], Value::Null);
    }
}
