use graft_native::codec::{put_meta, put_str, Filter};
use graft_native::collection::{Collection, Metric, Mode};
use graft_native::error::Code;
use std::path::PathBuf;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("graft-native-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn record(text: &str, kind: &str) -> Vec<u8> {
    let mut r = Vec::new();
    put_str(&mut r, text);
    put_meta(&mut r, &vec![("kind".to_string(), kind.to_string())]);
    r
}

fn vectors(n: usize, dim: usize, seed: u64) -> Vec<f32> {
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (0..n * dim)
        .map(|_| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((x >> 33) as f32 / (1u64 << 31) as f32) - 0.5
        })
        .collect()
}

#[test]
fn writes_survive_reopen_through_log_and_snapshot() {
    let d = dir("reopen");
    let v = vectors(3, 8, 1);
    let ids = {
        let c = Collection::open(&d, 8, Metric::Cosine, true, 1000).unwrap();
        let mut recs = record("a", "x");
        recs.extend(record("b", "y"));
        let ids = c.add(2, &v[..16], &recs).unwrap();
        c.snapshot().unwrap();
        let more = c.add(1, &v[16..], &record("c", "x")).unwrap();
        assert!(c.delete(ids[0]).unwrap());
        vec![ids[1], more[0]]
    };
    let c = Collection::open(&d, 8, Metric::Cosine, false, 1000).unwrap();
    assert_eq!(c.count(), 2);
    let hits = c.search(&v[16..], 1, 5, &Filter::Eq("kind".into(), "x".into()), Mode::Exact).unwrap();
    assert_eq!(hits[0].len(), 1);
    assert_eq!(hits[0][0].0, ids[1]);
    assert!((hits[0][0].1 - 1.0).abs() < 1e-5);
}

#[test]
fn a_damaged_log_is_reported_with_its_file_name() {
    let d = dir("damaged");
    {
        let c = Collection::open(&d, 4, Metric::L2, true, 1000).unwrap();
        c.add(1, &[1.0, 2.0, 3.0, 4.0], &record("hello", "x")).unwrap();
        c.add(1, &[1.0, 2.0, 3.0, 5.0], &record("world", "x")).unwrap();
    }
    let wal = d.join("wal.log");
    let mut bytes = std::fs::read(&wal).unwrap();
    bytes[20] ^= 0xff;
    std::fs::write(&wal, bytes).unwrap();
    let err = Collection::open(&d, 4, Metric::L2, false, 1000).err().unwrap();
    assert_eq!(err.code, Code::Corrupted);
    assert!(err.message.contains("wal.log"), "{}", err.message);
}

#[test]
fn a_log_frame_cut_short_is_trimmed_because_it_was_never_acknowledged() {
    let d = dir("torn");
    {
        let c = Collection::open(&d, 4, Metric::L2, true, 1000).unwrap();
        c.add(1, &[1.0, 2.0, 3.0, 4.0], &record("kept", "x")).unwrap();
        c.add(1, &[1.0, 2.0, 3.0, 5.0], &record("torn", "x")).unwrap();
    }
    let wal = d.join("wal.log");
    let len = std::fs::metadata(&wal).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&wal).unwrap().set_len(len - 3).unwrap();
    let c = Collection::open(&d, 4, Metric::L2, false, 1000).unwrap();
    assert_eq!(c.count(), 1);
}

#[test]
fn the_hnsw_index_finds_the_exact_neighbours_of_most_queries() {
    let d = dir("hnsw");
    let (n, dim) = (5000, 32);
    let v = vectors(n, dim, 7);
    let c = Collection::open(&d, dim, Metric::Cosine, true, 1000).unwrap();
    let mut recs = Vec::new();
    for i in 0..n {
        recs.extend(record(&format!("item {i}"), "x"));
    }
    c.add(n, &v, &recs).unwrap();
    let q = vectors(50, dim, 99);
    let exact = c.search(&q, 50, 10, &Filter::All, Mode::Exact).unwrap();
    let approx = c.search(&q, 50, 10, &Filter::All, Mode::Approximate).unwrap();
    let found: usize = exact.iter().zip(&approx).map(|(e, a)| e.iter().filter(|h| a.iter().any(|x| x.0 == h.0)).count()).sum();
    let recall = found as f64 / 500.0;
    assert!(recall >= 0.9, "recall@10 was {recall}");
}


#[test]
fn approximate_search_honours_filters_deletions_and_reports_exact_scores() {
    let d = dir("hnsw-filter");
    let (n, dim) = (4000, 16);
    let v = vectors(n, dim, 11);
    let c = Collection::open(&d, dim, Metric::L2, true, 1000).unwrap();
    let mut recs = Vec::new();
    for i in 0..n {
        recs.extend(record(&format!("item {i}"), if i % 10 == 0 { "rare" } else { "common" }));
    }
    let ids = c.add(n, &v, &recs).unwrap();
    for id in &ids[..200] {
        assert!(c.delete(*id).unwrap());
    }
    let q = vectors(20, dim, 5);
    let rare = Filter::Eq("kind".into(), "rare".into());
    let exact = c.search(&q, 20, 10, &rare, Mode::Exact).unwrap();
    let approx = c.search(&q, 20, 10, &rare, Mode::Approximate).unwrap();
    for (e, a) in exact.iter().zip(&approx) {
        assert_eq!(a.len(), 10);
        for (id, score) in a {
            let slot = (*id - ids[0]) as usize;
            assert!(slot >= 200 && slot % 10 == 0, "id {id} is deleted or not rare");
            if let Some(same) = e.iter().find(|x| x.0 == *id) {
                assert!((same.1 - score).abs() < 1e-4, "score {score} against exact {}", same.1);
            }
        }
    }
    let unfiltered = c.search(&q, 20, 10, &Filter::All, Mode::Approximate).unwrap();
    assert!(unfiltered.iter().flatten().all(|(id, _)| (*id - ids[0]) >= 200));
    // A snapshot compacts the deleted slots away and rebuilds the graph over the rest.
    c.snapshot().unwrap();
    let after = c.search(&q, 20, 10, &Filter::All, Mode::Approximate).unwrap();
    let exact = c.search(&q, 20, 10, &Filter::All, Mode::Exact).unwrap();
    let found: usize = exact.iter().zip(&after).map(|(e, a)| e.iter().filter(|h| a.iter().any(|x| x.0 == h.0)).count()).sum();
    assert!(after.iter().all(|a| a.len() == 10) && after.iter().flatten().all(|(id, _)| (*id - ids[0]) >= 200));
    assert!(found >= 180, "the rebuilt index found {found} of the exact 200");
}

#[test]
fn a_too_large_ef_search_is_rejected_naming_the_value() {
    let d = dir("ef");
    let c = Collection::open(&d, 4, Metric::Cosine, true, 1000).unwrap();
    let e = c.set_ef_search(0).unwrap_err();
    assert_eq!(e.code, Code::InvalidArgument);
    assert!(e.message.contains("was 0"), "{}", e.message);
    assert!(c.set_ef_search(10_001).is_err());
    c.set_ef_search(200).unwrap();
}

#[test]
fn searches_run_and_find_k_hits_while_batches_are_linked_into_the_index() {
    let d = dir("hnsw-concurrent");
    let dim = 16;
    let c = std::sync::Arc::new(Collection::open(&d, dim, Metric::Cosine, true, 1500).unwrap());
    let writer = {
        let c = c.clone();
        std::thread::spawn(move || {
            for b in 0..6 {
                let v = vectors(1000, dim, 100 + b);
                let recs: Vec<u8> = (0..1000).flat_map(|i| record(&format!("b{b} i{i}"), "x")).collect();
                c.add(1000, &v, &recs).unwrap();
            }
        })
    };
    let q = vectors(1, dim, 3);
    let mut searches = 0;
    while !writer.is_finished() {
        let n = c.count();
        let hits = c.search(&q, 1, 10, &Filter::All, Mode::Auto).unwrap();
        // The count only grows, so at least min(10, n) hits must come back.
        assert!(hits[0].len() >= 10.min(n), "{} hits with {n} memories", hits[0].len());
        searches += 1;
    }
    writer.join().unwrap();
    assert!(searches > 0);
    let exact = c.search(&q, 1, 10, &Filter::All, Mode::Exact).unwrap();
    let approx = c.search(&q, 1, 10, &Filter::All, Mode::Approximate).unwrap();
    let found = exact[0].iter().filter(|h| approx[0].iter().any(|a| a.0 == h.0)).count();
    assert!(found >= 8, "the index found {found} of the exact top 10 after the writes");
}
