//! The async client is used the way the blocking one is: clones over one connection pool, a
//! walk with the same accessors.

use std::pin::Pin;

use futures_core::Stream;
use pinecone_restore_fake::FakeControlPlane;
use pinecone_restore_reqwest::prelude::*;
use pinecone_restore_reqwest::{ApiKey, Client, Limit};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clones_on_other_tasks_share_one_pool_and_walks_say_their_limit() {
    let server = FakeControlPlane::builder().jobs(5).start().unwrap();
    let client = Client::builder(ApiKey::new("test-key").unwrap())
        .base_url(server.base_url())
        .build()
        .unwrap();
    let limit = Limit::new(2).unwrap();
    assert_eq!(
        client
            .list_page(Some(limit), None)
            .await
            .unwrap()
            .jobs
            .len(),
        2
    );
    for _ in 0..3 {
        let clone = client.clone();
        let jobs = tokio::spawn(async move {
            let mut walk = clone.list_all(Some(limit));
            let mut jobs = Vec::new();
            while let Some(job) = std::future::poll_fn(|cx| Pin::new(&mut walk).poll_next(cx)).await
            {
                jobs.push(job.unwrap());
            }
            assert_eq!(walk.limit(), Some(limit));
            assert_eq!(walk.pages(), 3);
            jobs
        })
        .await
        .unwrap();
        assert_eq!(jobs.len(), 5);
    }
    // Separate pools would need at least four connections (the client and three clones). One
    // shared pool needs one, and at most two: a request is in flight one at a time, and hyper
    // opens a connection only when none is idle, which happens when the previous request's
    // connection task has not yet put it back (a race a loaded machine loses now and then);
    // the connection that was not back is idle by the next request, which then reuses it.
    let connections = server.stats().connections;
    assert!(
        (1..=2).contains(&connections),
        "every clone, on every task, draws on one pool: {connections} connections for 10 requests"
    );
}
