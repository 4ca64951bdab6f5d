//! The little-endian wire format shared by the C ABI (records, filters, results) and the files
//! on disk (log frames, snapshots). Strings are u32 length + UTF-8 bytes.

use crate::error::{Error, Result};

pub const MAX_TEXT_BYTES: usize = 1 << 20;
pub const MAX_META_ENTRIES: usize = 64;
pub const MAX_META_BYTES: usize = 4096;
const MAX_FILTER_DEPTH: usize = 16;
const MAX_FILTER_NODES: usize = 256;

pub type Metadata = Vec<(String, String)>;

pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    what: &'a str,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8], what: &'a str) -> Self {
        Reader { buf, pos: 0, what }
    }
    pub fn pos(&self) -> usize {
        self.pos
    }
    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }
    fn short(&self, need: usize) -> Error {
        Error::invalid(format!("malformed {}: needs {} bytes at offset {}, has {}", self.what, need, self.pos, self.buf.len() - self.pos))
    }
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.buf.len() - self.pos < n {
            return Err(self.short(n));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.bytes(1)?[0])
    }
    pub fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.bytes(4)?.try_into().unwrap()))
    }
    pub fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.bytes(8)?.try_into().unwrap()))
    }
    pub fn string(&mut self, limit: usize, field: &str) -> Result<String> {
        let n = self.u32()? as usize;
        if n > limit {
            return Err(Error::invalid(format!("{field} is {n} bytes, the limit is {limit}")));
        }
        let b = self.bytes(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| Error::invalid(format!("{field} is not valid UTF-8")))
    }
    pub fn floats(&mut self, n: usize) -> Result<Vec<f32>> {
        let b = self.bytes(n * 4)?;
        Ok(b.chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect())
    }
    pub fn text(&mut self) -> Result<String> {
        let t = self.string(MAX_TEXT_BYTES, "text")?;
        if t.trim().is_empty() {
            return Err(Error::invalid("text must not be empty"));
        }
        Ok(t)
    }
    pub fn metadata(&mut self) -> Result<Metadata> {
        let n = self.u32()? as usize;
        if n > MAX_META_ENTRIES {
            return Err(Error::invalid(format!("metadata has {n} entries, the limit is {MAX_META_ENTRIES}")));
        }
        let mut meta: Metadata = Vec::with_capacity(n);
        let mut total = 0;
        for _ in 0..n {
            let k = self.string(MAX_META_BYTES, "metadata key")?;
            if k.is_empty() {
                return Err(Error::invalid("metadata key must not be empty"));
            }
            let v = self.string(MAX_META_BYTES, "metadata value")?;
            total += k.len() + v.len();
            meta.push((k, v));
        }
        if total > MAX_META_BYTES {
            return Err(Error::invalid(format!("metadata is {total} bytes, the limit is {MAX_META_BYTES}")));
        }
        meta.sort_by(|a, b| a.0.cmp(&b.0));
        for w in meta.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(Error::invalid(format!("metadata key '{}' appears twice", w[0].0)));
            }
        }
        Ok(meta)
    }
}

pub fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}
pub fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}
pub fn put_meta(out: &mut Vec<u8>, meta: &Metadata) {
    put_u32(out, meta.len() as u32);
    for (k, v) in meta {
        put_str(out, k);
        put_str(out, v);
    }
}
pub fn put_floats(out: &mut Vec<u8>, v: &[f32]) {
    for f in v {
        out.extend_from_slice(&f.to_le_bytes());
    }
}

/// A metadata filter. Wire tags: 0 all, 1 eq(key, value), 2 in(key, n, values...),
/// 3 and(n, children...), 4 or(n, children...), 5 not(child), 6 exists(key).
#[derive(Debug, Clone)]
pub enum Filter {
    All,
    Eq(String, String),
    In(String, Vec<String>),
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
    Exists(String),
}

impl Filter {
    pub fn decode(buf: &[u8]) -> Result<Filter> {
        if buf.is_empty() {
            return Ok(Filter::All);
        }
        let mut r = Reader::new(buf, "filter");
        let mut nodes = 0;
        let f = Self::node(&mut r, 0, &mut nodes)?;
        if !r.is_empty() {
            return Err(Error::invalid(format!("malformed filter: {} trailing bytes", buf.len() - r.pos())));
        }
        Ok(f)
    }

    fn key(r: &mut Reader) -> Result<String> {
        let k = r.string(MAX_META_BYTES, "filter key")?;
        if k.is_empty() {
            return Err(Error::invalid("malformed filter: key must not be empty"));
        }
        Ok(k)
    }

    fn node(r: &mut Reader, depth: usize, nodes: &mut usize) -> Result<Filter> {
        *nodes += 1;
        if depth > MAX_FILTER_DEPTH || *nodes > MAX_FILTER_NODES {
            return Err(Error::invalid(format!("malformed filter: deeper than {MAX_FILTER_DEPTH} or more than {MAX_FILTER_NODES} nodes")));
        }
        let tag = r.u8()?;
        Ok(match tag {
            0 => Filter::All,
            1 => Filter::Eq(Self::key(r)?, r.string(MAX_META_BYTES, "filter value")?),
            2 => {
                let k = Self::key(r)?;
                let n = r.u32()? as usize;
                if n == 0 || n > MAX_FILTER_NODES {
                    return Err(Error::invalid(format!("malformed filter: 'in' on '{k}' needs 1 to {MAX_FILTER_NODES} values, has {n}")));
                }
                let vals = (0..n).map(|_| r.string(MAX_META_BYTES, "filter value")).collect::<Result<_>>()?;
                Filter::In(k, vals)
            }
            3 | 4 => {
                let n = r.u32()? as usize;
                if n == 0 || n > MAX_FILTER_NODES {
                    return Err(Error::invalid(format!("malformed filter: '{}' needs 1 to {MAX_FILTER_NODES} operands, has {n}", if tag == 3 { "and" } else { "or" })));
                }
                let kids = (0..n).map(|_| Self::node(r, depth + 1, nodes)).collect::<Result<_>>()?;
                if tag == 3 { Filter::And(kids) } else { Filter::Or(kids) }
            }
            5 => Filter::Not(Box::new(Self::node(r, depth + 1, nodes)?)),
            6 => Filter::Exists(Self::key(r)?),
            t => return Err(Error::invalid(format!("malformed filter: unknown tag {t} at offset {}", r.pos() - 1))),
        })
    }

    pub fn is_all(&self) -> bool {
        matches!(self, Filter::All)
    }

    pub fn matches(&self, meta: &Metadata) -> bool {
        let get = |k: &str| meta.binary_search_by(|(mk, _)| mk.as_str().cmp(k)).ok().map(|i| meta[i].1.as_str());
        match self {
            Filter::All => true,
            Filter::Eq(k, v) => get(k) == Some(v.as_str()),
            Filter::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            Filter::And(fs) => fs.iter().all(|f| f.matches(meta)),
            Filter::Or(fs) => fs.iter().any(|f| f.matches(meta)),
            Filter::Not(f) => !f.matches(meta),
            Filter::Exists(k) => get(k).is_some(),
        }
    }
}
