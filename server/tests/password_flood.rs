//! A flood of wrong passwords in a process of its own, so that its memory is measured alone
//! (issue 16: 256 wrong-password logins took the server from 64 MB to 6.97 GB on the blocking
//! pool, each of up to 512 threads keeping argon2's 19 MiB).

use server::auth::credentials::{hash_password, verify_password_off_thread};

/// The process's resident memory, from /proc (Linux).
fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().strip_suffix("kB"));
    kb.and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(0) * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_concurrent_wrong_passwords_run_one_hash_per_core_in_under_300_mb() {
    let stored = hash_password("the right passphrase").expect("hash");
    let checks = (0..300).map(|_| verify_password_off_thread("a wrong guess".into(), Some(stored.clone())));
    let results = futures_util::future::join_all(checks).await;
    assert!(results.iter().all(|r| *r != Ok(true)));
    let checked = results.iter().filter(|r| r.is_ok()).count();
    assert!(checked >= 100, "the queue takes a burst: {checked} of 300 checked");
    assert!(checked < 300, "beyond the queue the caller is told to come back (503 busy)");
    let rss = rss_bytes();
    eprintln!("{checked} of 300 checked, the rest told to come back; resident memory {} MiB", rss >> 20);
    assert!(rss > 0 && rss < 300 << 20, "resident memory {} MiB", rss >> 20);
    // Once the flood has passed, checks are taken again.
    assert_eq!(verify_password_off_thread("the right passphrase".into(), Some(stored)).await, Ok(true));
}
