//! A realistic listing page, deterministic: mixed statuses, `percent_complete` on some jobs,
//! fractional timestamps, an offset here and there. Shared by the benchmark and the tests.

/// A page of `jobs` jobs (about 270 bytes each) with `next` as its pagination token.
pub(crate) fn realistic_page(jobs: usize, next: Option<&str>) -> String {
    let mut out = String::from("{\"data\":[");
    for i in 0..jobs {
        if i > 0 {
            out.push(',');
        }
        let (status, percent, done) = match i % 10 {
            0..=5 => ("Completed", Some("100".to_owned()), true),
            6 | 7 => (
                "Pending",
                Some(format!("{}.{}", (i * 7) % 100, i % 10)),
                false,
            ),
            8 => ("Failed", None, true),
            _ => ("Cancelled", None, false),
        };
        let offset = if i % 4 == 0 { "+02:00" } else { "Z" };
        out.push_str(&format!(
            "{{\"restore_job_id\":\"{:08x}-e29b-41d4-a716-{:012x}\",\"backup_id\":\"{:08x}-aa1b-4c2d-9e0f-{:012x}\",\
             \"target_index_name\":\"products-restore-{}\",\"target_index_id\":\"idx_{:016x}\",\"status\":\"{status}\",\
             \"created_at\":\"2025-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{offset}\"",
            0x670e_8400u32 + i as u32,
            0x4466_5544_0000u64 + i as u64,
            0x1b2c_3d4eu32 + (i as u32) * 13,
            0x9988_7766_5544u64 + i as u64,
            i % 37,
            0x5eed_0000_0000u64 + (i as u64) * 7919,
            1 + i % 12,
            1 + i % 28,
            i % 24,
            (i * 7) % 60,
            (i * 13) % 60,
            (i * 37) % 1000,
        ));
        if done {
            out.push_str(&format!(
                ",\"completed_at\":\"2025-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z\"",
                1 + i % 12,
                1 + i % 28,
                (i + 1) % 24,
                (i * 11) % 60,
                (i * 17) % 60,
                (i * 104_729) % 1_000_000,
            ));
        }
        if let Some(p) = percent {
            out.push_str(&format!(",\"percent_complete\":{p}"));
        }
        out.push('}');
    }
    out.push_str("],\"pagination\":");
    match next {
        Some(t) => out.push_str(&format!("{{\"next\":\"{t}\"}}")),
        None => out.push_str("null"),
    }
    out.push('}');
    out
}
