//! Issue 14: HTTPS end to end, with the fake's CA trusted through `--ca-cert` or
//! `PINECONE_CA_CERT`, and a bad CA file refused before anything is sent.

use pinecone_restore_fake::{FakeControlPlane, FakeServer, ServerCert};

use super::{KEY, cli, exec};

/// A file removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, content: &[u8]) -> TempFile {
        let path = std::env::temp_dir().join(format!(
            "pinecone-restore-cli-{}-{name}",
            std::process::id()
        ));
        std::fs::write(&path, content).expect("temp file written");
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temp path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn https_server(name: &str) -> (FakeServer, TempFile) {
    let server = FakeControlPlane::builder()
        .jobs(5)
        .api_key(Some(KEY))
        .https(ServerCert::Valid)
        .start()
        .expect("fake starts");
    let ca = TempFile::new(name, server.ca_pem().expect("a CA").as_bytes());
    (server, ca)
}

#[test]
fn list_over_https_with_the_fake_ca_trusted() {
    let (server, ca) = https_server("ca-flag.pem");
    let base = server.base_url();
    assert!(base.starts_with("https://127.0.0.1:"));
    let run = exec(cli(&[
        "--ca-cert",
        ca.path(),
        "--host",
        &base,
        "list",
        "--output",
        "json",
    ]));
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["data"].as_array().map(Vec::len), Some(5));

    // the same from the environment
    let mut command = cli(&["--host", &base, "list", "--output", "ndjson"]);
    command.env("PINECONE_CA_CERT", ca.path());
    let run = exec(command);
    assert_eq!((run.code, run.ndjson().len()), (0, 5), "{run:?}");
}

#[test]
fn without_the_ca_the_certificate_is_untrusted_exit_5_after_one_attempt() {
    let (server, _ca) = https_server("ca-unused.pem");
    let run = exec(cli(&["--host", &server.base_url(), "list"]));
    assert_eq!(run.code, 5, "{run:?}");
    let line = run.error_line();
    assert!(line.contains("not trusted"), "{line}");
    assert!(line.contains("TLS"), "{line}");
    assert_eq!(
        server.stats().connections,
        1,
        "TLS failures are not retried"
    );
    assert_eq!(
        server.stats().requests,
        0,
        "the key never reached the server"
    );
}

#[test]
fn a_bad_ca_file_exits_2_named_with_its_content_never_shown() {
    let garbage = TempFile::new(
        "ca-garbage.pem",
        b"-----BEGIN CERTIFICATE-----\nSECRET-LOOKING-CONTENT!!\n-----END CERTIFICATE-----\n",
    );
    let empty = TempFile::new("ca-empty.pem", b"SECRET-LOOKING-CONTENT\n");
    let (server, _ca) = https_server("ca-bad-run.pem");
    for file in [garbage.path(), empty.path(), "/nonexistent/ca.pem"] {
        let run = exec(cli(&[
            "--ca-cert",
            file,
            "--host",
            &server.base_url(),
            "list",
        ]));
        assert_eq!(run.code, 2, "{run:?}");
        let line = run.error_line();
        assert!(line.contains(file), "{line}");
        assert!(!run.stderr.contains("SECRET-LOOKING"), "{run:?}");
    }
    assert_eq!(server.stats().connections, 0, "nothing was sent");
}

#[test]
fn the_system_store_is_the_one_ssl_cert_file_names() {
    let (server, ca) = https_server("ca-system.pem");
    let mut command = cli(&[
        "--root-store",
        "system",
        "--host",
        &server.base_url(),
        "list",
    ]);
    command
        .env("SSL_CERT_FILE", ca.path())
        .env_remove("SSL_CERT_DIR");
    let run = exec(command);
    assert_eq!(run.code, 0, "{run:?}");
    // Mozilla's roots, the default, do not know the fake's CA whatever the environment says
    let mut command = cli(&["--host", &server.base_url(), "list"]);
    command.env("SSL_CERT_FILE", ca.path());
    assert_eq!(exec(command).code, 5);
}
