use super::*;

#[test]
fn backoff_grows_with_jitter_and_is_capped() {
    let b = Backoff {
        base: Duration::from_secs(2),
        max: Duration::from_secs(60),
    };
    for _ in 0..50 {
        let d1 = b.delay(1);
        assert!(d1 >= Duration::from_secs(1) && d1 <= Duration::from_secs(2));
        let d4 = b.delay(4);
        assert!(d4 >= Duration::from_secs(8) && d4 <= Duration::from_secs(16));
        assert!(b.delay(30) <= Duration::from_secs(60));
    }
}

#[test]
fn retry_after_is_seconds_or_a_date_within_bounds() {
    let now = DateTime::parse_from_rfc3339("2026-11-20T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let s = Duration::from_secs;
    assert_eq!(retry_after("5", now), Some(s(5)));
    assert_eq!(retry_after(" 30 ", now), Some(s(30)));
    assert_eq!(retry_after("0", now), Some(MIN_RETRY_AFTER));
    assert_eq!(retry_after("86400", now), Some(MAX_RETRY_AFTER));
    assert_eq!(
        retry_after("Fri, 20 Nov 2026 08:00:20 GMT", now),
        Some(s(20))
    );
    assert_eq!(
        retry_after("Fri, 20 Nov 2026 07:00:00 GMT", now),
        Some(MIN_RETRY_AFTER),
        "a date in the past"
    );
    assert_eq!(retry_after("soon", now), None);
    assert_eq!(retry_after("-3", now), None);
}

#[test]
fn busy_is_waited_for_a_few_times_per_run() {
    let mut report = SyncReport::default();
    let mut calls = 0u64;
    let go = AtomicBool::new(false);
    let r: Result<(), SyncError> = patiently(&mut report, &go, || {
        calls += 1;
        Err(SyncError::Busy {
            retry_after: Duration::from_millis(1),
        })
    });
    assert!(matches!(r, Err(SyncError::Busy { .. })));
    assert_eq!(calls, MAX_BUSY_WAITS + 1);
    assert_eq!(report.busy_waits, MAX_BUSY_WAITS);
    let msg = r.unwrap_err().to_string();
    assert!(msg.starts_with("máy chủ tỉnh đang bận"), "{msg}");
    // Once the hub takes the call, its answer is the result.
    let mut report = SyncReport::default();
    let mut left = 1;
    let r = patiently(&mut report, &go, || {
        if left == 0 {
            return Ok(7);
        }
        left -= 1;
        Err(SyncError::Busy {
            retry_after: Duration::from_millis(1),
        })
    });
    assert_eq!(r.unwrap(), 7);
    assert_eq!(report.busy_waits, 1);
}

#[test]
fn a_stop_wakes_a_busy_wait_at_once_and_calls_no_more() {
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let asker = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            stop.store(true, Ordering::Relaxed);
        })
    };
    let started = Instant::now();
    let mut report = SyncReport::default();
    let mut calls = 0u64;
    let r: Result<(), SyncError> = patiently(&mut report, &stop, || {
        calls += 1;
        Err(SyncError::Busy {
            retry_after: MAX_RETRY_AFTER,
        })
    });
    asker.join().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // The hub's answer stands; it was asked once and not called again after the stop.
    assert!(
        matches!(r, Err(SyncError::Busy { retry_after }) if retry_after == MAX_RETRY_AFTER),
        "{r:?}"
    );
    assert_eq!(calls, 1);
    assert_eq!(report.busy_waits, 1);
    // A flag already set: no wait at all, and a short wait without a stop runs out.
    assert!(!sleep_unless_stopped(MAX_RETRY_AFTER, &stop));
    assert!(sleep_unless_stopped(
        Duration::from_millis(30),
        &AtomicBool::new(false)
    ));
}

#[test]
fn a_batch_stops_before_a_missing_number() {
    let at = |seqs: &[u64]| -> Vec<u64> {
        let events = seqs
            .iter()
            .map(|&seq| motcua_core::journal::Event {
                seq,
                event_id: format!("e{seq}"),
                station_id: "000.17.22.H56#1".into(),
                wall_time: "2026-11-20T08:00:00+07:00".into(),
                clerk: "lan".into(),
                kind: motcua_core::journal::EventKind::UserAdded,
                dossier_id: None,
                payload: "{}".into(),
                prev_hash: String::new(),
                hash: String::new(),
            })
            .collect();
        contiguous(events).iter().map(|e| e.seq).collect()
    };
    assert_eq!(at(&[1, 2, 3]), [1, 2, 3]);
    assert_eq!(at(&[1, 2, 3, 5, 6]), [1, 2, 3], "5 waits for its own batch");
    assert_eq!(at(&[5, 6]), [5, 6]);
    assert_eq!(at(&[7]), [7]);
    assert!(at(&[]).is_empty());
}

#[test]
fn credential_file_is_private() {
    let d = tempfile_dir();
    let p = d.join("sync.credential");
    save_credential(&p, "abc").unwrap();
    assert_eq!(load_credential(&p).unwrap(), "abc");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    std::fs::remove_dir_all(d).unwrap();
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("motcua-sync-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}
