//! The C ABI's conventions: status codes, per-thread messages, Rust-owned buffers.
use graft_native::*;
use std::ptr;

fn last_error() -> String {
    let mut buf = vec![0u8; 1024];
    let mut len = 0usize;
    assert_eq!(unsafe { graft_last_error(buf.as_mut_ptr(), buf.len(), &mut len) }, 0);
    String::from_utf8(buf[..len].to_vec()).unwrap()
}

#[test]
fn bad_calls_return_a_status_and_a_message_instead_of_crashing() {
    assert_eq!(unsafe { graft_count(ptr::null()) }, -1);
    assert_eq!(last_error(), "collection handle is null");

    let dir = std::env::temp_dir().join(format!("graft-ffi-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.to_str().unwrap().as_bytes();
    let mut h = ptr::null_mut();
    assert_eq!(unsafe { graft_open(path.as_ptr(), path.len(), 4, 0, 0, 100, &mut h) }, 2);
    assert!(last_error().starts_with("no collection at "));
    assert_eq!(unsafe { graft_open(path.as_ptr(), path.len(), 4, 7, 1, 100, &mut h) }, 1);
    assert_eq!(last_error(), "metric must be 0 (cosine), 1 (dot) or 2 (l2), was 7");
    assert_eq!(unsafe { graft_open(path.as_ptr(), path.len(), 4, 0, 1, 100, &mut h) }, 0);

    let q = [1.0f32, 0.0, 0.0, 0.0];
    let (mut ids, mut scores, mut counts) = ([0u64; 1], [0f32; 1], [0u32; 1]);
    let status = unsafe { graft_search(h, q.as_ptr(), 1, 0, ptr::null(), 0, 0, ids.as_mut_ptr(), scores.as_mut_ptr(), counts.as_mut_ptr()) };
    assert_eq!(status, 1);
    assert_eq!(last_error(), "k must be between 1 and 10000, was 0");
    let bad_filter = [9u8];
    let status = unsafe { graft_search(h, q.as_ptr(), 1, 1, bad_filter.as_ptr(), 1, 0, ids.as_mut_ptr(), scores.as_mut_ptr(), counts.as_mut_ptr()) };
    assert_eq!(status, 1);
    assert_eq!(last_error(), "malformed filter: unknown tag 9 at offset 0");
    let nan = [f32::NAN, 0.0, 0.0, 0.0];
    let record = [1u8, 0, 0, 0, b'x', 0, 0, 0, 0];
    let mut id = 0u64;
    assert_eq!(unsafe { graft_add(h, 1, nan.as_ptr(), record.as_ptr(), record.len(), &mut id) }, 1);
    assert_eq!(last_error(), "vector 0 component 0 is NaN, must be finite");
    assert_eq!(unsafe { graft_count(h) }, 0);

    assert_eq!(unsafe { graft_add(h, 1, q.as_ptr(), record.as_ptr(), record.len(), &mut id) }, 0);
    let (mut buf, mut len) = (ptr::null_mut(), 0usize);
    assert_eq!(unsafe { graft_get(h, &id, 1, &mut buf, &mut len) }, 0);
    assert_eq!(unsafe { *buf }, 1, "found flag");
    assert_eq!(unsafe { graft_free(buf, len) }, 0);
    assert_eq!(unsafe { graft_close(h) }, 0);
}
