//! A blocking client is shared the way the async one is: clones over one connection pool,
//! handed to other threads.

use pinecone_restore_core::Limit;
use pinecone_restore_fake::FakeControlPlane;
use pinecone_restore_ureq::prelude::*;
use pinecone_restore_ureq::{ApiKey, Client};

#[test]
fn clones_on_other_threads_share_one_pool() {
    let server = FakeControlPlane::builder().jobs(5).start().unwrap();
    let client = Client::builder(ApiKey::new("test-key").unwrap())
        .base_url(server.base_url())
        .build()
        .unwrap();
    let limit = Limit::new(2).unwrap();
    assert_eq!(client.list_page(Some(limit), None).unwrap().jobs.len(), 2);
    for _ in 0..3 {
        let clone = client.clone();
        let jobs = std::thread::spawn(move || {
            let mut walk = clone.list_all(Some(limit));
            let jobs: Vec<_> = walk.by_ref().map(Result::unwrap).collect();
            assert_eq!(walk.limit(), Some(limit));
            assert_eq!(walk.pages(), 3);
            jobs
        })
        .join()
        .unwrap();
        assert_eq!(jobs.len(), 5);
    }
    assert_eq!(
        server.stats().connections,
        1,
        "every clone, on every thread, reused the first connection"
    );
}

#[test]
fn in_hand_is_zero_exactly_when_the_next_job_needs_a_request() {
    // 5 jobs, 2 a page, pages overlapping by one: the walk skips a job it already yielded
    let server = FakeControlPlane::builder()
        .jobs(5)
        .page_overlap(1)
        .start()
        .unwrap();
    let client = Client::builder(ApiKey::new("test-key").unwrap())
        .base_url(server.base_url())
        .build()
        .unwrap();
    let mut walk = client.list_all(Some(Limit::new(2).unwrap()));
    assert_eq!(walk.in_hand(), 0, "nothing fetched yet");
    let mut yielded = 0;
    loop {
        let in_hand = walk.in_hand();
        let before = server.stats().list_requests;
        let Some(job) = walk.next() else { break };
        job.unwrap();
        yielded += 1;
        let requested = server.stats().list_requests > before;
        assert_eq!(
            requested,
            in_hand == 0,
            "job {yielded}: {in_hand} in hand, request made: {requested}"
        );
    }
    assert_eq!(yielded, 5);
    assert_eq!(walk.in_hand(), 0);
}
