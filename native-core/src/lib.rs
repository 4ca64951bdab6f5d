//! Graft's memory core behind a C ABI.
//!
//! Conventions (see also `docs/memory.md`):
//! - Every export returns an `int32_t` status: 0 OK, 1 INVALID_ARGUMENT, 2 NOT_FOUND, 3 IO,
//!   4 CORRUPTED, 5 PANIC, 6 BUSY. `graft_count` returns the count, or minus the status.
//! - On failure, `graft_last_error` copies the calling thread's last message into a caller buffer.
//! - Every export runs inside `catch_unwind`: a Rust panic becomes status 5, never an abort.
//! - Caller memory is only borrowed for the call. The only memory Rust hands out is the buffer
//!   of `graft_get`, released with `graft_free`, and the handle of `graft_open`, released with
//!   `graft_close`.
//!
//! ```c
//! int32_t graft_abi_version(uint32_t *out);
//! int32_t graft_last_error(uint8_t *buf, size_t cap, size_t *out_len);
//! int32_t graft_open(const uint8_t *path, size_t path_len, uint32_t dim, uint32_t metric,
//!                    uint32_t flags /* 1 = create */, uint64_t hnsw_threshold, void **out);
//! int32_t graft_close(void *h);
//! int64_t graft_count(void *h);
//! int32_t graft_add(void *h, size_t n, const float *vectors, const uint8_t *records,
//!                   size_t records_len, uint64_t *out_ids);
//! int32_t graft_update(void *h, uint64_t id, const float *vector, const uint8_t *record,
//!                      size_t record_len);
//! int32_t graft_delete(void *h, uint64_t id, uint32_t *out_deleted);
//! int32_t graft_get(void *h, const uint64_t *ids, size_t n, uint8_t **out_buf, size_t *out_len);
//! int32_t graft_free(uint8_t *buf, size_t len);
//! int32_t graft_search(void *h, const float *queries, size_t nq, uint32_t k,
//!                      const uint8_t *filter, size_t filter_len, uint32_t mode /* 0 auto, 1 exact, 2 approximate */,
//!                      uint64_t *out_ids /* nq*k */, float *out_scores /* nq*k */, uint32_t *out_counts /* nq */);
//! int32_t graft_list(void *h, const uint8_t *filter, size_t filter_len, uint64_t after,
//!                    uint32_t limit, uint64_t *out_ids /* limit */, uint32_t *out_count);
//! int32_t graft_snapshot(void *h);
//! int32_t graft_set_ef_search(void *h, uint32_t ef_search /* 1..=10000, default 64 */);
//! ```

pub mod codec;
pub mod collection;
pub mod error;
pub mod hnsw;
pub mod kernels;

use codec::Filter;
use collection::{Collection, Metric, Mode};
use error::{Code, Error, Result};
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

pub const ABI_VERSION: u32 = 2;

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

fn guard(f: impl FnOnce() -> Result<()>) -> i32 {
    let outcome = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let what = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_else(|| "unknown".into());
        Err(Error { code: Code::Panic, message: format!("panic in the native library: {what}") })
    });
    match outcome {
        Ok(()) => Code::Ok as i32,
        Err(e) => {
            LAST_ERROR.with(|m| *m.borrow_mut() = e.message);
            e.code as i32
        }
    }
}

unsafe fn slice<'a, T>(p: *const T, n: usize, what: &str) -> Result<&'a [T]> {
    if n == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(Error::invalid(format!("{what} is null")));
    }
    Ok(std::slice::from_raw_parts(p, n))
}

unsafe fn out<'a, T>(p: *mut T, what: &str) -> Result<&'a mut T> {
    p.as_mut().ok_or_else(|| Error::invalid(format!("{what} is null")))
}

unsafe fn handle<'a>(h: *const Collection) -> Result<&'a Collection> {
    h.as_ref().ok_or_else(|| Error::invalid("collection handle is null"))
}

#[no_mangle]
pub unsafe extern "C" fn graft_abi_version(out_version: *mut u32) -> i32 {
    guard(|| {
        *out(out_version, "out_version")? = ABI_VERSION;
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn graft_last_error(buf: *mut u8, cap: usize, out_len: *mut usize) -> i32 {
    guard(|| {
        LAST_ERROR.with(|m| -> Result<()> {
            let m = m.borrow();
            let n = m.len().min(cap);
            if n > 0 {
                if buf.is_null() {
                    return Err(Error::invalid("buf is null"));
                }
                std::ptr::copy_nonoverlapping(m.as_ptr(), buf, n);
            }
            *out(out_len, "out_len")? = m.len();
            Ok(())
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn graft_open(path: *const u8, path_len: usize, dim: u32, metric: u32, flags: u32, hnsw_threshold: u64, out_handle: *mut *mut Collection) -> i32 {
    guard(|| {
        let out_handle = out(out_handle, "out_handle")?;
        let p = std::str::from_utf8(slice(path, path_len, "path")?).map_err(|_| Error::invalid("path is not valid UTF-8"))?;
        if p.is_empty() {
            return Err(Error::invalid("path must not be empty"));
        }
        let c = Collection::open(&PathBuf::from(p), dim as usize, Metric::from_u32(metric)?, flags & 1 == 1, hnsw_threshold.min(usize::MAX as u64) as usize)?;
        *out_handle = Box::into_raw(Box::new(c));
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn graft_close(h: *mut Collection) -> i32 {
    guard(|| {
        if !h.is_null() {
            drop(Box::from_raw(h));
        }
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn graft_count(h: *const Collection) -> i64 {
    let mut n = 0i64;
    let code = guard(|| {
        n = handle(h)?.count() as i64;
        Ok(())
    });
    if code == 0 { n } else { -(code as i64) }
}

#[no_mangle]
pub unsafe extern "C" fn graft_add(h: *const Collection, n: usize, vectors: *const f32, records: *const u8, records_len: usize, out_ids: *mut u64) -> i32 {
    guard(|| {
        let c = handle(h)?;
        let dim = c.dim();
        let ids = c.add(n, slice(vectors, n * dim, "vectors")?, slice(records, records_len, "records")?)?;
        if n > 0 {
            if out_ids.is_null() {
                return Err(Error::invalid("out_ids is null"));
            }
            std::ptr::copy_nonoverlapping(ids.as_ptr(), out_ids, n);
        }
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn graft_update(h: *const Collection, id: u64, vector: *const f32, record: *const u8, record_len: usize) -> i32 {
    guard(|| {
        let c = handle(h)?;
        c.update(id, slice(vector, c.dim(), "vector")?, slice(record, record_len, "record")?)
    })
}

#[no_mangle]
pub unsafe extern "C" fn graft_delete(h: *const Collection, id: u64, out_deleted: *mut u32) -> i32 {
    guard(|| {
        let out_deleted = out(out_deleted, "out_deleted")?;
        *out_deleted = handle(h)?.delete(id)? as u32;
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn graft_get(h: *const Collection, ids: *const u64, n: usize, out_buf: *mut *mut u8, out_len: *mut usize) -> i32 {
    guard(|| {
        let (out_buf, out_len) = (out(out_buf, "out_buf")?, out(out_len, "out_len")?);
        let bytes = handle(h)?.get(slice(ids, n, "ids")?).into_boxed_slice();
        *out_len = bytes.len();
        *out_buf = Box::into_raw(bytes) as *mut u8;
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn graft_free(buf: *mut u8, len: usize) -> i32 {
    guard(|| {
        if !buf.is_null() {
            drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(buf, len)));
        }
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn graft_search(h: *const Collection, queries: *const f32, nq: usize, k: u32, filter: *const u8, filter_len: usize, mode: u32, out_ids: *mut u64, out_scores: *mut f32, out_counts: *mut u32) -> i32 {
    guard(|| {
        let c = handle(h)?;
        let mode = match mode {
            0 => Mode::Auto,
            1 => Mode::Exact,
            2 => Mode::Approximate,
            m => return Err(Error::invalid(format!("mode must be 0 (auto), 1 (exact) or 2 (approximate), was {m}"))),
        };
        let filter = Filter::decode(slice(filter, filter_len, "filter")?)?;
        let k = k as usize;
        let results = c.search(slice(queries, nq * c.dim(), "queries")?, nq, k, &filter, mode)?;
        if nq > 0 && (out_ids.is_null() || out_scores.is_null() || out_counts.is_null()) {
            return Err(Error::invalid("output buffers must not be null"));
        }
        for (qi, hits) in results.iter().enumerate() {
            *out_counts.add(qi) = hits.len() as u32;
            for (j, (id, score)) in hits.iter().enumerate() {
                *out_ids.add(qi * k + j) = *id;
                *out_scores.add(qi * k + j) = *score;
            }
        }
        Ok(())
    })
}

/// Up to `limit` ids greater than `after` whose metadata matches `filter`, ascending, into
/// `out_ids` (room for `limit`); their number into `out_count`.
#[no_mangle]
pub unsafe extern "C" fn graft_list(h: *const Collection, filter: *const u8, filter_len: usize, after: u64, limit: u32, out_ids: *mut u64, out_count: *mut u32) -> i32 {
    guard(|| {
        let c = handle(h)?;
        let filter = Filter::decode(slice(filter, filter_len, "filter")?)?;
        let out_count = out(out_count, "out_count")?;
        let ids = c.list(&filter, after, limit as usize);
        if !ids.is_empty() && out_ids.is_null() {
            return Err(Error::invalid("out_ids is null"));
        }
        std::ptr::copy_nonoverlapping(ids.as_ptr(), out_ids, ids.len());
        *out_count = ids.len() as u32;
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn graft_snapshot(h: *const Collection) -> i32 {
    guard(|| handle(h)?.snapshot())
}

#[no_mangle]
pub unsafe extern "C" fn graft_set_ef_search(h: *const Collection, ef_search: u32) -> i32 {
    guard(|| handle(h)?.set_ef_search(ef_search as usize))
}
