//! A blocking client is shared the way the async one is: clones over one connection pool,
//! handed to other threads.

use pinecone_restore_core::Limit;
use pinecone_restore_fake::FakeControlPlane;
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
