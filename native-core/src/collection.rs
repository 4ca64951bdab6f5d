//! One durable vector collection: the corpus in native memory, a write-ahead log fsynced before
//! every acknowledgement, and snapshots that compact the log.
//!
//! Files in the collection's directory:
//! - `snapshot.bin`: header (magic `GRFTSNP1`, version, dimension, metric, last log sequence,
//!   next id, item count), the items, then a CRC-32 of everything before it. Written to
//!   `snapshot.tmp`, fsynced and renamed, so a crash leaves either the old or the new one.
//! - `wal.log`: frames appended after the snapshot. Frame = magic `GRFT`, payload length,
//!   payload CRC-32, header CRC-32, payload (sequence number, operations). A frame whose
//!   payload was cut short at the end of the file was never acknowledged and is trimmed; any
//!   other damage is reported as `Corrupted` naming the file and offset, never skipped.
//! - `LOCK`: held with an exclusive file lock while the collection is open in a process.

use crate::codec::{put_floats, put_meta, put_str, put_u32, put_u64, Filter, Metadata, Reader};
use crate::error::{Code, Error, Result};
use crate::hnsw::Hnsw;
use crate::kernels::kernels;
use parking_lot::{Mutex, RwLock, RwLockWriteGuard};
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

const TOMBSTONE: u64 = u64::MAX;
const SNAPSHOT_MAGIC: &[u8; 8] = b"GRFTSNP1";
const SNAPSHOT_VERSION: u32 = 1;
const FRAME_MAGIC: u32 = 0x5446_5247; // "GRFT"
const FRAME_HEADER: usize = 16;
/// The log is folded into a new snapshot once it grows past this size.
const WAL_SNAPSHOT_BYTES: u64 = 64 << 20;
pub const MAX_K: usize = 10_000;
pub const MAX_DIM: usize = 8192;
/// Candidate list size while inserting into the HNSW graph.
pub const EF_CONSTRUCTION: usize = 100;
/// Default candidate list size of an HNSW search (searches use at least 2k).
pub const DEFAULT_EF_SEARCH: usize = 64;
pub const MAX_EF_SEARCH: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Cosine = 0,
    Dot = 1,
    L2 = 2,
}

impl Metric {
    pub fn from_u32(v: u32) -> Result<Metric> {
        match v {
            0 => Ok(Metric::Cosine),
            1 => Ok(Metric::Dot),
            2 => Ok(Metric::L2),
            _ => Err(Error::invalid(format!("metric must be 0 (cosine), 1 (dot) or 2 (l2), was {v}"))),
        }
    }
}

/// Search mode: let the collection choose, force the exact scan, or prefer the HNSW index.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Auto,
    Exact,
    Approximate,
}

struct Item {
    slot: u32,
    text: String,
    meta: Metadata,
}

pub enum Op {
    Put { id: u64, text: String, meta: Metadata, vector: Vec<f32> },
    Delete { id: u64 },
}

struct State {
    dim: usize,
    metric: Metric,
    vectors: Vec<f32>,
    slot_ids: Vec<u64>,
    items: HashMap<u64, Item>,
    next_id: u64,
    last_seq: u64,
    hnsw: Option<Hnsw>,
}

struct Wal {
    file: File,
    len: u64,
    path: PathBuf,
}

pub struct Collection {
    dir: PathBuf,
    state: RwLock<State>,
    /// Held by writers from validation to apply: writes are serialized per collection while
    /// searches only take the state's read lock, and never wait for an fsync.
    wal: Mutex<Wal>,
    hnsw_threshold: usize,
    ef_search: AtomicUsize,
    _lock: File,
}

struct Scored {
    score: f32,
    slot: u32,
}
impl PartialEq for Scored {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Scored {}
impl PartialOrd for Scored {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Scored {
    // Reversed, so the heap's top is the worst hit kept so far.
    fn cmp(&self, o: &Self) -> Ordering {
        o.score.total_cmp(&self.score).then(self.slot.cmp(&o.slot))
    }
}

struct TopK {
    k: usize,
    heap: BinaryHeap<Scored>,
}
impl TopK {
    fn new(k: usize) -> Self {
        TopK { k, heap: BinaryHeap::with_capacity(k + 1) }
    }
    #[inline]
    fn push(&mut self, score: f32, slot: u32) {
        if self.heap.len() < self.k {
            self.heap.push(Scored { score, slot });
        } else if score > self.heap.peek().unwrap().score {
            self.heap.pop();
            self.heap.push(Scored { score, slot });
        }
    }
    fn sorted(self) -> Vec<Scored> {
        self.heap.into_sorted_vec()
    }
}

fn io<T>(r: std::io::Result<T>, what: impl FnOnce() -> String) -> Result<T> {
    r.map_err(|e| Error::io(what(), e))
}

fn sync_dir(dir: &Path) -> Result<()> {
    io(File::open(dir).and_then(|d| d.sync_all()), || format!("cannot sync directory {}", dir.display()))
}

pub fn check_vector(v: &[f32], dim: usize, metric: Metric, index: usize) -> Result<()> {
    if v.len() != dim {
        return Err(Error::invalid(format!("vector {index} has dimension {}, the collection has {dim}", v.len())));
    }
    if let Some((i, x)) = v.iter().enumerate().find(|(_, x)| !x.is_finite()) {
        return Err(Error::invalid(format!("vector {index} component {i} is {x}, must be finite")));
    }
    if metric == Metric::Cosine && v.iter().all(|x| *x == 0.0) {
        return Err(Error::invalid(format!("vector {index} is all zeros, cosine needs a non-zero vector")));
    }
    Ok(())
}

fn normalized(v: &[f32], metric: Metric) -> Vec<f32> {
    if metric != Metric::Cosine {
        return v.to_vec();
    }
    let n = (kernels().dot)(v, v).sqrt();
    v.iter().map(|x| x / n).collect()
}

impl State {
    fn apply(&mut self, op: Op) {
        match op {
            Op::Put { id, text, meta, vector } => {
                if let Some(old) = self.items.get(&id) {
                    self.slot_ids[old.slot as usize] = TOMBSTONE;
                }
                let slot = self.slot_ids.len() as u32;
                self.vectors.extend_from_slice(&vector);
                self.slot_ids.push(id);
                self.items.insert(id, Item { slot, text, meta });
                self.next_id = self.next_id.max(id + 1);
            }
            Op::Delete { id } => {
                if let Some(old) = self.items.remove(&id) {
                    self.slot_ids[old.slot as usize] = TOMBSTONE;
                }
            }
        }
    }

    fn vector(&self, slot: u32) -> &[f32] {
        &self.vectors[slot as usize * self.dim..(slot as usize + 1) * self.dim]
    }

    /// Starts the index when the collection has reached `threshold` items (DOT never gets one:
    /// its unbounded scores are not a distance the graph can order) and makes room in it for
    /// every slot; [`State::link_index`] then links the new slots. Replaced and deleted slots stay
    /// in the graph as waypoints until the next compaction.
    fn grow_index(&mut self, threshold: usize) {
        if self.hnsw.is_none() && self.items.len() >= threshold && self.metric != Metric::Dot {
            self.hnsw = Some(Hnsw::new(self.dim, self.metric == Metric::L2, EF_CONSTRUCTION));
        }
        if let Some(h) = &mut self.hnsw {
            h.grow(self.slot_ids.len());
        }
    }

    /// Links the slots added since the last call into the index, in parallel for big batches.
    fn link_index(&self) {
        if let Some(h) = &self.hnsw {
            h.link(&self.vectors);
        }
    }

    fn build_hnsw(&mut self) {
        self.grow_index(0);
        self.link_index();
    }

    /// Drops tombstoned slots so the scan reads only live vectors; rebuilds the index if any.
    fn compact(&mut self) {
        let mut vectors = Vec::with_capacity(self.items.len() * self.dim);
        let mut slot_ids = Vec::with_capacity(self.items.len());
        for (s, id) in self.slot_ids.iter().enumerate() {
            if *id != TOMBSTONE {
                vectors.extend_from_slice(&self.vectors[s * self.dim..(s + 1) * self.dim]);
                self.items.get_mut(id).unwrap().slot = slot_ids.len() as u32;
                slot_ids.push(*id);
            }
        }
        self.vectors = vectors;
        self.slot_ids = slot_ids;
        if self.hnsw.is_some() {
            // A fresh graph over the compacted slots; the caller links it (see `link_index`).
            self.hnsw = None;
            self.grow_index(0);
        }
    }

    fn encode_snapshot(&self, out: &mut impl Write, path: &Path) -> Result<()> {
        let mut header = Vec::with_capacity(64);
        header.extend_from_slice(SNAPSHOT_MAGIC);
        put_u32(&mut header, SNAPSHOT_VERSION);
        put_u32(&mut header, self.dim as u32);
        put_u32(&mut header, self.metric as u32);
        put_u64(&mut header, self.last_seq);
        put_u64(&mut header, self.next_id);
        put_u64(&mut header, self.items.len() as u64);
        let mut crc = crc32fast::Hasher::new();
        let mut write = |b: &[u8]| -> Result<()> {
            crc.update(b);
            io(out.write_all(b), || format!("cannot write {}", path.display()))
        };
        write(&header)?;
        let mut rec = Vec::new();
        for (s, id) in self.slot_ids.iter().enumerate() {
            if *id == TOMBSTONE {
                continue;
            }
            let item = &self.items[id];
            rec.clear();
            put_u64(&mut rec, *id);
            put_str(&mut rec, &item.text);
            put_meta(&mut rec, &item.meta);
            put_floats(&mut rec, &self.vectors[s * self.dim..(s + 1) * self.dim]);
            write(&rec)?;
        }
        let sum = crc.finalize();
        io(out.write_all(&sum.to_le_bytes()), || format!("cannot write {}", path.display()))
    }
}

fn encode_ops(seq: u64, ops: &[Op]) -> Vec<u8> {
    let mut p = Vec::new();
    put_u64(&mut p, seq);
    put_u32(&mut p, ops.len() as u32);
    for op in ops {
        match op {
            Op::Put { id, text, meta, vector } => {
                p.push(1);
                put_u64(&mut p, *id);
                put_str(&mut p, text);
                put_meta(&mut p, meta);
                put_floats(&mut p, vector);
            }
            Op::Delete { id } => {
                p.push(2);
                put_u64(&mut p, *id);
            }
        }
    }
    let mut frame = Vec::with_capacity(FRAME_HEADER + p.len());
    put_u32(&mut frame, FRAME_MAGIC);
    put_u32(&mut frame, p.len() as u32);
    put_u32(&mut frame, crc32fast::hash(&p));
    let hc = crc32fast::hash(&frame);
    put_u32(&mut frame, hc);
    frame.extend_from_slice(&p);
    frame
}

fn decode_ops(payload: &[u8], dim: usize) -> Result<(u64, Vec<Op>)> {
    let mut r = Reader::new(payload, "log frame");
    let seq = r.u64()?;
    let n = r.u32()? as usize;
    let mut ops = Vec::with_capacity(n.min(1 << 16));
    for _ in 0..n {
        match r.u8()? {
            1 => ops.push(Op::Put { id: r.u64()?, text: r.text()?, meta: r.metadata()?, vector: r.floats(dim)? }),
            2 => ops.push(Op::Delete { id: r.u64()? }),
            t => return Err(Error::invalid(format!("unknown operation {t}"))),
        }
    }
    Ok((seq, ops))
}

fn load_snapshot(path: &Path) -> Result<State> {
    let bytes = io(fs::read(path), || format!("cannot read {}", path.display()))?;
    let bad = |why: &str| Error::corrupted(format!("{} is damaged: {why}", path.display()));
    if bytes.len() < 48 || &bytes[..8] != SNAPSHOT_MAGIC {
        return Err(bad("not a Graft snapshot (bad magic or too short)"));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 4);
    if crc32fast::hash(body) != u32::from_le_bytes(sum.try_into().unwrap()) {
        return Err(bad("checksum mismatch"));
    }
    let parse = || -> Result<State> {
        let mut r = Reader::new(&body[8..], "snapshot");
        let version = r.u32()?;
        if version != SNAPSHOT_VERSION {
            return Err(Error::invalid(format!("unsupported version {version}")));
        }
        let dim = r.u32()? as usize;
        let metric = Metric::from_u32(r.u32()?)?;
        let last_seq = r.u64()?;
        let next_id = r.u64()?;
        let count = r.u64()? as usize;
        let mut st = State { dim, metric, vectors: Vec::with_capacity(count * dim), slot_ids: Vec::with_capacity(count), items: HashMap::with_capacity(count), next_id, last_seq, hnsw: None };
        for _ in 0..count {
            let id = r.u64()?;
            let text = r.text()?;
            let meta = r.metadata()?;
            let vector = r.floats(dim)?;
            st.apply(Op::Put { id, text, meta, vector });
        }
        st.next_id = next_id.max(st.next_id);
        Ok(st)
    };
    parse().map_err(|e| bad(&e.message))
}

fn write_snapshot(dir: &Path, st: &State) -> Result<()> {
    let tmp = dir.join("snapshot.tmp");
    let path = dir.join("snapshot.bin");
    let file = io(File::create(&tmp), || format!("cannot create {}", tmp.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    st.encode_snapshot(&mut w, &tmp)?;
    let file = io(w.into_inner().map_err(|e| e.into_error()), || format!("cannot write {}", tmp.display()))?;
    io(file.sync_all(), || format!("cannot sync {}", tmp.display()))?;
    io(fs::rename(&tmp, &path), || format!("cannot rename {} to {}", tmp.display(), path.display()))?;
    sync_dir(dir)
}

impl Collection {
    pub fn open(dir: &Path, dim: usize, metric: Metric, create: bool, hnsw_threshold: usize) -> Result<Collection> {
        if dim == 0 || dim > MAX_DIM {
            return Err(Error::invalid(format!("dimension must be between 1 and {MAX_DIM}, was {dim}")));
        }
        let snap = dir.join("snapshot.bin");
        if !snap.exists() {
            if !create {
                return Err(Error::not_found(format!("no collection at {}", dir.display())));
            }
            io(fs::create_dir_all(dir), || format!("cannot create {}", dir.display()))?;
            let empty = State { dim, metric, vectors: Vec::new(), slot_ids: Vec::new(), items: HashMap::new(), next_id: 1, last_seq: 0, hnsw: None };
            write_snapshot(dir, &empty)?;
        }
        let lock_path = dir.join("LOCK");
        let lock = io(OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path), || format!("cannot open {}", lock_path.display()))?;
        if lock.try_lock().is_err() {
            return Err(Error { code: Code::Busy, message: format!("{} is open in another process", dir.display()) });
        }
        let mut st = load_snapshot(&snap)?;
        if st.dim != dim || st.metric != metric {
            return Err(Error::invalid(format!("collection at {} has dimension {} and metric {:?}, asked for {dim} and {metric:?}", dir.display(), st.dim, st.metric)));
        }
        let wal_path = dir.join("wal.log");
        let wal_len = Self::replay(&wal_path, &mut st)?;
        let file = io(OpenOptions::new().create(true).append(true).open(&wal_path), || format!("cannot open {}", wal_path.display()))?;
        io(file.sync_all(), || format!("cannot sync {}", wal_path.display()))?;
        sync_dir(dir)?;
        if st.items.len() >= hnsw_threshold {
            st.build_hnsw();
        }
        Ok(Collection { dir: dir.to_path_buf(), state: RwLock::new(st), wal: Mutex::new(Wal { file, len: wal_len, path: wal_path }), hnsw_threshold, ef_search: AtomicUsize::new(DEFAULT_EF_SEARCH), _lock: lock })
    }

    /// Applies the log's frames newer than the snapshot; returns the length of the valid log.
    fn replay(path: &Path, st: &mut State) -> Result<u64> {
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
        };
        let bad = |pos: usize, why: &str| Error::corrupted(format!("{} is damaged at offset {pos}: {why}", path.display()));
        let mut pos = 0;
        while pos < bytes.len() {
            let rest = &bytes[pos..];
            if rest.len() < FRAME_HEADER {
                break; // a header cut short: the write was never acknowledged
            }
            let word = |i: usize| u32::from_le_bytes(rest[i * 4..i * 4 + 4].try_into().unwrap());
            if word(0) != FRAME_MAGIC || crc32fast::hash(&rest[..12]) != word(3) {
                return Err(bad(pos, "frame header checksum mismatch"));
            }
            let len = word(1) as usize;
            if rest.len() - FRAME_HEADER < len {
                break; // a payload cut short: never acknowledged
            }
            let payload = &rest[FRAME_HEADER..FRAME_HEADER + len];
            if crc32fast::hash(payload) != word(2) {
                return Err(bad(pos, "frame checksum mismatch"));
            }
            let (seq, ops) = decode_ops(payload, st.dim).map_err(|e| bad(pos, &e.message))?;
            if seq > st.last_seq {
                for op in ops {
                    st.apply(op);
                }
                st.last_seq = seq;
            }
            pos += FRAME_HEADER + len;
        }
        if pos < bytes.len() {
            let f = io(OpenOptions::new().write(true).open(path), || format!("cannot open {}", path.display()))?;
            io(f.set_len(pos as u64).and_then(|_| f.sync_all()), || format!("cannot trim {}", path.display()))?;
        }
        Ok(pos as u64)
    }

    pub fn dim(&self) -> usize {
        self.state.read().dim
    }

    pub fn count(&self) -> usize {
        self.state.read().items.len()
    }

    /// Sets the HNSW search's candidate list size (recall against latency); searches use at
    /// least k.
    pub fn set_ef_search(&self, ef: usize) -> Result<()> {
        if ef == 0 || ef > MAX_EF_SEARCH {
            return Err(Error::invalid(format!("ef_search must be between 1 and {MAX_EF_SEARCH}, was {ef}")));
        }
        self.ef_search.store(ef, Relaxed);
        Ok(())
    }

    fn commit(&self, wal: &mut Wal, ops: Vec<Op>) -> Result<()> {
        let seq = self.state.read().last_seq + 1;
        let frame = encode_ops(seq, &ops);
        let written = wal.file.write_all(&frame).and_then(|_| wal.file.sync_data());
        if let Err(e) = written {
            // Take the partial frame back so the next write does not follow garbage.
            let _ = wal.file.set_len(wal.len);
            return Err(Error::io(format!("cannot append to {}", wal.path.display()), e));
        }
        wal.len += frame.len() as u64;
        let mut st = self.state.write();
        for op in ops {
            st.apply(op);
        }
        st.last_seq = seq;
        st.grow_index(self.hnsw_threshold);
        // Linking a batch into a large graph takes seconds; searches go on meanwhile under the
        // read lock (they use the exact scan until a first build is complete).
        let st = RwLockWriteGuard::downgrade(st);
        st.link_index();
        drop(st);
        if wal.len > WAL_SNAPSHOT_BYTES {
            // The write is already durable in the log; a failed snapshot is retried next time.
            let _ = self.snapshot_locked(wal);
        }
        Ok(())
    }

    fn snapshot_locked(&self, wal: &mut Wal) -> Result<()> {
        {
            let mut st = self.state.write();
            if st.slot_ids.len() > st.items.len() {
                st.compact();
                // Searches scan exactly until the rebuilt graph is linked.
                RwLockWriteGuard::downgrade(st).link_index();
            }
        }
        write_snapshot(&self.dir, &self.state.read())?;
        // Frames up to the snapshot's sequence are skipped on replay, so a crash before this
        // truncation is harmless.
        io(wal.file.set_len(0).and_then(|_| wal.file.sync_all()), || format!("cannot truncate {}", wal.path.display()))?;
        wal.len = 0;
        Ok(())
    }

    pub fn snapshot(&self) -> Result<()> {
        let mut wal = self.wal.lock();
        self.snapshot_locked(&mut wal)
    }

    fn records(&self, n: usize, vectors: &[f32], records: &[u8]) -> Result<Vec<(String, Metadata, Vec<f32>)>> {
        let (dim, metric) = {
            let st = self.state.read();
            (st.dim, st.metric)
        };
        if vectors.len() != n * dim {
            return Err(Error::invalid(format!("{n} records need {} floats of vectors, got {}", n * dim, vectors.len())));
        }
        let mut r = Reader::new(records, "records");
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let v = &vectors[i * dim..(i + 1) * dim];
            check_vector(v, dim, metric, i)?;
            let text = r.text().map_err(|e| Error::invalid(format!("record {i}: {}", e.message)))?;
            let meta = r.metadata().map_err(|e| Error::invalid(format!("record {i}: {}", e.message)))?;
            out.push((text, meta, normalized(v, metric)));
        }
        if !r.is_empty() {
            return Err(Error::invalid(format!("malformed records: {} trailing bytes", records.len() - r.pos())));
        }
        Ok(out)
    }

    /// Adds `n` records atomically (one log frame); returns their new ids.
    pub fn add(&self, n: usize, vectors: &[f32], records: &[u8]) -> Result<Vec<u64>> {
        let recs = self.records(n, vectors, records)?;
        let mut wal = self.wal.lock();
        let first = self.state.read().next_id;
        let ids: Vec<u64> = (0..n as u64).map(|i| first + i).collect();
        let ops = recs.into_iter().zip(&ids).map(|((text, meta, vector), id)| Op::Put { id: *id, text, meta, vector }).collect();
        self.commit(&mut wal, ops)?;
        Ok(ids)
    }

    pub fn update(&self, id: u64, vector: &[f32], record: &[u8]) -> Result<()> {
        let (text, meta, vector) = self.records(1, vector, record)?.pop().unwrap();
        let mut wal = self.wal.lock();
        if !self.state.read().items.contains_key(&id) {
            return Err(Error::not_found(format!("no memory with id {id}")));
        }
        self.commit(&mut wal, vec![Op::Put { id, text, meta, vector }])
    }

    pub fn delete(&self, id: u64) -> Result<bool> {
        let mut wal = self.wal.lock();
        if !self.state.read().items.contains_key(&id) {
            return Ok(false);
        }
        self.commit(&mut wal, vec![Op::Delete { id }])?;
        Ok(true)
    }

    /// Per id: u8 found, then text, metadata and vector when found.
    pub fn get(&self, ids: &[u64]) -> Vec<u8> {
        let st = self.state.read();
        let mut out = Vec::new();
        for id in ids {
            match st.items.get(id) {
                None => out.push(0),
                Some(item) => {
                    out.push(1);
                    put_str(&mut out, &item.text);
                    put_meta(&mut out, &item.meta);
                    put_floats(&mut out, st.vector(item.slot));
                }
            }
        }
        out
    }

    /// Ids greater than `after` whose metadata matches, ascending (the order memories were
    /// added in), at most `limit`: paging through a collection without a query.
    pub fn list(&self, filter: &Filter, after: u64, limit: usize) -> Vec<u64> {
        let st = self.state.read();
        let mut ids: Vec<u64> = st
            .items
            .iter()
            .filter(|(id, item)| **id > after && (filter.is_all() || filter.matches(&item.meta)))
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids.truncate(limit);
        ids
    }

    /// Top-k per query, best first, as (id, score); higher scores are better (for L2 the score
    /// is the negated squared distance).
    pub fn search(&self, queries: &[f32], nq: usize, k: usize, filter: &Filter, mode: Mode) -> Result<Vec<Vec<(u64, f32)>>> {
        if k == 0 || k > MAX_K {
            return Err(Error::invalid(format!("k must be between 1 and {MAX_K}, was {k}")));
        }
        let st = self.state.read();
        let dim = st.dim;
        if queries.len() != nq * dim {
            return Err(Error::invalid(format!("{nq} queries need {} floats, got {}", nq * dim, queries.len())));
        }
        let qs: Vec<Vec<f32>> = (0..nq)
            .map(|i| {
                let q = &queries[i * dim..(i + 1) * dim];
                check_vector(q, dim, st.metric, i).map(|_| normalized(q, st.metric))
            })
            .collect::<Result<_>>()?;
        let use_index = st.hnsw.as_ref().is_some_and(|h| h.is_ready()) && mode != Mode::Exact;
        let mut results = vec![Vec::new(); nq];
        let mut exact_for = Vec::new();
        for (i, q) in qs.iter().enumerate() {
            if use_index {
                if let Some(hits) = self.search_index(&st, q, k, filter) {
                    results[i] = hits;
                    continue;
                }
            }
            exact_for.push(i);
        }
        if !exact_for.is_empty() {
            let batch: Vec<&[f32]> = exact_for.iter().map(|i| qs[*i].as_slice()).collect();
            for (i, hits) in exact_for.iter().zip(Self::scan(&st, &batch, k, filter)) {
                results[*i] = hits;
            }
        }
        Ok(results)
    }

    /// The index's top k, or `None` when it cannot answer (fewer than k hits under the filter,
    /// or a selective filter made the walk costlier than the scan): the caller scans instead.
    fn search_index(&self, st: &State, q: &[f32], k: usize, filter: &Filter) -> Option<Vec<(u64, f32)>> {
        let h = st.hnsw.as_ref().filter(|h| h.is_ready())?;
        let keep = |slot: u32| {
            let id = st.slot_ids[slot as usize];
            id != TOMBSTONE && (filter.is_all() || filter.matches(&st.items[&id].meta))
        };
        // Twice k keeps recall up for large k at a cost proportional to k.
        let ef = self.ef_search.load(Relaxed).max(2 * k);
        // Without deletions or a filter every graph node qualifies: skip the per-node callback.
        let unfiltered = filter.is_all() && st.slot_ids.len() == st.items.len();
        // A graph step costs a few sequential-scan steps (random access), so past an eighth of the
        // corpus the scan is the cheaper way to finish a filtered search.
        let budget = if unfiltered { usize::MAX } else { (st.slot_ids.len() / 8).max(4 * ef) };
        let hits = h.search(&st.vectors, q, k, ef, if unfiltered { None } else { Some(&keep) }, budget)?;
        if hits.len() < k.min(st.items.len()) {
            return None;
        }
        // The graph's distance is the squared L2 distance or minus the dot product: its negation is
        // the score the exact scan reports.
        Some(hits.into_iter().map(|c| (st.slot_ids[c.node as usize], -c.dist)).collect())
    }

    /// One pass over the corpus for the whole batch: each vector is loaded once and scored
    /// against every query while it is in L1.
    fn scan(st: &State, qs: &[&[f32]], k: usize, filter: &Filter) -> Vec<Vec<(u64, f32)>> {
        let kern = if st.metric == Metric::L2 { kernels().l2sq } else { kernels().dot };
        let sign = if st.metric == Metric::L2 { -1.0 } else { 1.0 };
        let mut tops: Vec<TopK> = qs.iter().map(|_| TopK::new(k)).collect();
        for (slot, v) in st.vectors.chunks_exact(st.dim).enumerate() {
            let id = st.slot_ids[slot];
            if id == TOMBSTONE || (!filter.is_all() && !filter.matches(&st.items[&id].meta)) {
                continue;
            }
            for (q, top) in qs.iter().zip(tops.iter_mut()) {
                top.push(sign * kern(q, v), slot as u32);
            }
        }
        tops.into_iter().map(|t| t.sorted().into_iter().map(|s| (st.slot_ids[s.slot as usize], s.score)).collect()).collect()
    }
}
