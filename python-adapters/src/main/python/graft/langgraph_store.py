"""Graft memory as a LangGraph ``BaseStore``: ``graph.compile(store=graft.memory("kb").as_langgraph_store())``.

Every item is one memory of the Graft collection. Its text (what semantic search embeds) is the
item's value as JSON, or the values of the ``index`` fields given to ``put``; the namespace, key,
value and timestamps ride in the memory's metadata, so ``get``, filters and listing work without
a query. Top-level scalar fields of a value can be filtered on with ``$eq``, ``$ne``, ``$in`` and
``$nin`` (metadata is text: numbers and booleans match their JSON text).
"""

import json
from datetime import datetime, timezone

from langgraph.store.base import BaseStore, GetOp, Item, ListNamespacesOp, PutOp, SearchItem, SearchOp

_NS, _KEY, _VALUE, _CREATED, _UPDATED, _DEPTH = "lg:ns", "lg:key", "lg:value", "lg:created", "lg:updated", "lg:depth"
_FIELD = "lg:v:"
_MAX_FIELDS = 40  # the store keeps at most 64 metadata entries per memory
_SEPARATOR = "\x1f"
_FILTER_OPS = {"$eq", "$ne", "$in", "$nin"}


class GraftStore(BaseStore):
    """A LangGraph store over one Graft memory collection (shared with native agents and the
    other frameworks). TTLs are not supported."""

    supports_ttl = False

    def __init__(self, memory):
        self.memory = memory

    def batch(self, ops):
        results = []
        for op in ops:
            if isinstance(op, GetOp):
                found = self._find(op.namespace, op.key)
                results.append(None if found is None else _item(found))
            elif isinstance(op, PutOp):
                self._put(op)
                results.append(None)
            elif isinstance(op, SearchOp):
                results.append(self._search(op))
            elif isinstance(op, ListNamespacesOp):
                results.append(self._namespaces(op))
            else:
                raise ValueError("GraftStore cannot run a %s" % type(op).__name__)
        return results

    async def abatch(self, ops):
        return self.batch(ops)

    def _find(self, namespace, key):
        found = self.memory.list({_NS: _SEPARATOR.join(namespace), _KEY: key}, limit=1)
        return found[0] if found else None

    def _put(self, op):
        existing = self._find(op.namespace, op.key)
        if op.value is None:
            if existing is not None:
                self.memory.delete(existing.id)
            return
        now = datetime.now(timezone.utc).isoformat()
        metadata = {_NS: _SEPARATOR.join(op.namespace), _KEY: op.key, _VALUE: json.dumps(op.value),
                    _CREATED: existing.metadata[_CREATED] if existing else now, _UPDATED: now,
                    _DEPTH: len(op.namespace)}
        for i, part in enumerate(op.namespace):
            metadata["lg:ns%d" % i] = part
        scalars = [(k, v) for k, v in op.value.items() if isinstance(v, (str, int, float, bool))]
        for name, value in scalars[:_MAX_FIELDS]:
            metadata[_FIELD + name] = value
        text = _text(op.value, op.index)
        if existing is not None:
            self.memory.update(existing.id, text, metadata)
        else:
            self.memory.add(text, metadata)

    def _search(self, op):
        where = {"lg:ns%d" % i: part for i, part in enumerate(op.namespace_prefix)}
        where.update(_value_filter(op.filter or {}))
        if op.query:
            hits = self.memory.search(op.query, k=op.offset + op.limit, filter=where or None)
        else:
            hits = self.memory.list(where or None, limit=op.offset + op.limit)
        return [_item(h, search=True) for h in hits[op.offset:op.offset + op.limit]]

    def _namespaces(self, op):
        found = set()
        for memory in self.memory.scan({_NS: {"$exists": True}}):
            namespace = tuple(memory.metadata[_NS].split(_SEPARATOR))
            if all(_matches(namespace, c) for c in op.match_conditions or ()):
                found.add(namespace[:op.max_depth] if op.max_depth is not None else namespace)
        return sorted(found)[op.offset:op.offset + op.limit]


def _text(value, index):
    if not index:
        return json.dumps(value, sort_keys=True)
    parts = [value.get(field) for field in index]
    return "\n".join(p if isinstance(p, str) else json.dumps(p) for p in parts if p is not None) or json.dumps(value)


def _value_filter(filter):
    where = {}
    for name, condition in filter.items():
        if isinstance(condition, dict):
            unknown = set(condition) - _FILTER_OPS
            if unknown:
                raise ValueError("GraftStore filters support %s on value fields; '%s' uses %s"
                                 % (", ".join(sorted(_FILTER_OPS)), name, ", ".join(sorted(unknown))))
        where[_FIELD + name] = condition
    return where


def _matches(namespace, condition):
    path = condition.path
    if len(path) > len(namespace):
        return False
    part = namespace[:len(path)] if condition.match_type == "prefix" else namespace[len(namespace) - len(path):]
    return all(p == "*" or p == n for p, n in zip(path, part))


def _item(memory, search=False):
    meta = memory.metadata
    fields = dict(namespace=tuple(meta[_NS].split(_SEPARATOR)), key=meta[_KEY], value=json.loads(meta[_VALUE]),
                  created_at=datetime.fromisoformat(meta[_CREATED]), updated_at=datetime.fromisoformat(meta[_UPDATED]))
    return SearchItem(score=memory.score if memory.score else None, **fields) if search else Item(**fields)
