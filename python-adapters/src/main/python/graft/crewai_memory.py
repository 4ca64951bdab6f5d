"""Graft memory as CrewAI's memory storage: ``Crew(memory=graft.memory("crew").as_crewai_memory())``.

CrewAI's unified ``Memory`` keeps its own logic (scopes, categories, importance, LLM analysis,
recall flows); only where records live changes: one Graft memory per record, embedded by Graft's
embedder and searched in the native store, next to the memories of native agents and the other
frameworks. The record's fields ride in the memory's metadata, so scope and category filters,
listing and counting work without a query.
"""

import json
from datetime import datetime

from crewai.memory.types import MemoryRecord, ScopeInfo

_ID, _SCOPE, _CATEGORIES, _META = "cr:id", "cr:scope", "cr:categories", "cr:metadata"
_IMPORTANCE, _CREATED, _ACCESSED, _SOURCE, _PRIVATE = "cr:importance", "cr:created", "cr:accessed", "cr:source", "cr:private"
_CATEGORY, _FIELD, _PART = "cr:c:", "cr:m:", "cr:s%d"
_MAX_CATEGORIES, _MAX_FIELDS = 20, 20  # a memory keeps at most 64 metadata entries


class GraftEmbedder:
    """CrewAI's embedder protocol (a callable from texts to vectors), served by Graft's embedder."""

    def __init__(self, memory):
        self._memory = memory

    def __call__(self, input):
        texts = list(input)
        return self._memory.embed(texts) if texts else []


class GraftCrewStorage:
    """A CrewAI ``StorageBackend`` over one Graft memory collection."""

    def __init__(self, memory):
        self.memory = memory

    # -- writes
    def save(self, records):
        if records:
            self.memory.add_texts([r.content for r in records], [_metadata(r) for r in records],
                                  vectors=[r.embedding for r in records] if all(r.embedding for r in records) else None)

    def update(self, record):
        found = self._find(record.id)
        if found is None:
            raise KeyError("no CrewAI memory record with id %r" % record.id)
        self.memory.update(found.id, record.content, _metadata(record), vector=record.embedding or None)

    def delete(self, scope_prefix=None, categories=None, record_ids=None, older_than=None, metadata_filter=None):
        where = _where(scope_prefix, categories, metadata_filter)
        if record_ids is not None:
            where[_ID] = {"$in": [str(i) for i in record_ids]} if record_ids else {"$in": [""]}
        doomed = [m.id for m in self.memory.scan(where or None)
                  if older_than is None or _time(m.metadata[_CREATED]) < older_than]
        return self.memory.delete(*doomed) if doomed else 0

    def reset(self, scope_prefix=None):
        self.delete(scope_prefix=scope_prefix)

    # -- reads
    def search(self, query_embedding, scope_prefix=None, categories=None, metadata_filter=None, limit=10,
               min_score=0.0):
        where = _where(scope_prefix, categories, metadata_filter)
        hits = self.memory.search(list(query_embedding), k=limit, filter=where or None)
        return [(_record(h), h.score) for h in hits if h.score >= min_score]

    def get_record(self, record_id):
        found = self._find(record_id)
        return None if found is None else _record(found)

    def list_records(self, scope_prefix=None, limit=200, offset=0):
        records = [_record(m) for m in self.memory.scan(_where(scope_prefix, None, None) or None)]
        records.sort(key=lambda r: r.created_at, reverse=True)
        return records[offset:offset + limit]

    def count(self, scope_prefix=None):
        return sum(1 for _ in self.memory.scan(_where(scope_prefix, None, None) or None))

    def get_scope_info(self, scope):
        records = [_record(m) for m in self.memory.scan(_where(scope, None, None) or None)]
        categories = sorted({c for r in records for c in r.categories})
        times = [r.created_at for r in records]
        return ScopeInfo(path=scope, record_count=len(records), categories=categories,
                         oldest_record=min(times) if times else None, newest_record=max(times) if times else None,
                         child_scopes=self.list_scopes(scope))

    def list_scopes(self, parent="/"):
        depth = len(_parts(parent))
        children = set()
        for m in self.memory.scan(_where(parent, None, None) or None):
            parts = _parts(m.metadata[_SCOPE])
            if len(parts) > depth:
                children.add("/" + "/".join(parts[:depth + 1]))
        return sorted(children)

    def list_categories(self, scope_prefix=None):
        counts = {}
        for m in self.memory.scan(_where(scope_prefix, None, None) or None):
            for c in json.loads(m.metadata[_CATEGORIES]):
                counts[c] = counts.get(c, 0) + 1
        return counts

    # -- async: the calls go to Java, which does not block the event loop for long
    async def asave(self, records):
        self.save(records)

    async def asearch(self, query_embedding, scope_prefix=None, categories=None, metadata_filter=None, limit=10,
                      min_score=0.0):
        return self.search(query_embedding, scope_prefix, categories, metadata_filter, limit, min_score)

    async def adelete(self, scope_prefix=None, categories=None, record_ids=None, older_than=None,
                      metadata_filter=None):
        return self.delete(scope_prefix, categories, record_ids, older_than, metadata_filter)

    def _find(self, record_id):
        found = self.memory.list({_ID: str(record_id)}, limit=1)
        return found[0] if found else None


def _parts(scope):
    return [p for p in (scope or "/").split("/") if p]


def _where(scope_prefix, categories, metadata_filter):
    where = {_PART % i: part for i, part in enumerate(_parts(scope_prefix))}
    if categories:
        where["$or"] = [{_CATEGORY + c: {"$exists": True}} for c in categories]
    for key, value in (metadata_filter or {}).items():
        where[_FIELD + key] = value
    return where


def _metadata(record):
    meta = {_ID: record.id, _SCOPE: record.scope or "/", _CATEGORIES: json.dumps(record.categories),
            _META: json.dumps(record.metadata, default=str), _IMPORTANCE: record.importance,
            _CREATED: record.created_at.isoformat(), _ACCESSED: record.last_accessed.isoformat(),
            _PRIVATE: record.private}
    if record.source is not None:
        meta[_SOURCE] = record.source
    for i, part in enumerate(_parts(record.scope)):
        meta[_PART % i] = part
    for c in record.categories[:_MAX_CATEGORIES]:
        meta[_CATEGORY + c] = True
    scalars = [(k, v) for k, v in record.metadata.items() if isinstance(v, (str, int, float, bool))]
    for key, value in scalars[:_MAX_FIELDS]:
        meta[_FIELD + key] = value
    return meta


def _time(text):
    return datetime.fromisoformat(text)


def _record(memory):
    meta = memory.metadata
    return MemoryRecord(id=meta[_ID], content=memory.text, scope=meta[_SCOPE], categories=json.loads(meta[_CATEGORIES]),
                        metadata=json.loads(meta[_META]), importance=float(meta[_IMPORTANCE]),
                        created_at=_time(meta[_CREATED]), last_accessed=_time(meta[_ACCESSED]),
                        embedding=memory.vector, source=meta.get(_SOURCE), private=meta[_PRIVATE] == "true")
