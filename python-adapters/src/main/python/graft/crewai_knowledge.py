"""CrewAI knowledge on Graft memory.

CrewAI's own knowledge storage needs ChromaDB's Rust client, which GraalPy cannot load. Importing
``graft.crewai`` registers :func:`knowledge_storage` through CrewAI's
``set_knowledge_storage_factory``, so ``Crew(knowledge_sources=[...])`` and
``Agent(knowledge_sources=[...])`` work unchanged: CrewAI chunks the sources and asks its storage to
save and search them; the chunks live in the Graft memory collection ``knowledge-<name>`` of the
running task's tenant, embedded and searched by Graft's embedder and the native store.

A crew's sources are added when the ``Crew`` is built, which is while the script is imported,
outside any run and so outside any tenant. The storage keeps the chunks it was given and writes
them to a tenant's collection the first time a run of that tenant searches it; each chunk carries
a hash of its text, so a chunk already stored (by another context, or before a restart) is not
stored twice.
"""

import hashlib
import re

from crewai.knowledge.storage.base_knowledge_storage import BaseKnowledgeStorage
from pydantic import PrivateAttr

import graft

_HASH = "crewai:chunk"
_BAD = re.compile(r"[^A-Za-z0-9._-]+")


def collection_for(name):
    """The Graft collection of CrewAI knowledge collection ``name`` (e.g. ``crew``, an agent's role)."""
    return ("knowledge-" + (_BAD.sub("_", name or "default").strip("_") or "default"))[:64]


def knowledge_storage(embedder=None, collection_name=None):
    """CrewAI's knowledge storage factory: every ``Knowledge`` gets Graft memory. The embedder
    configuration is not used: Graft's embedder embeds every memory of a collection alike."""
    return GraftKnowledgeStorage(collection=collection_for(collection_name))


class GraftKnowledgeStorage(BaseKnowledgeStorage):
    """A CrewAI ``BaseKnowledgeStorage`` over one Graft memory collection of the run's tenant."""

    collection: str
    _chunks: dict = PrivateAttr(default_factory=dict)  # hash -> text, in the order saved
    _stored_in: set = PrivateAttr(default_factory=set)  # namespaces known to hold every chunk

    def save(self, documents):
        for text in documents:
            if text and text.strip():
                self._chunks.setdefault(_digest(text), text)
        self._stored_in.clear()

    def search(self, query, limit=5, metadata_filter=None, score_threshold=0.6):
        memory = self._memory()
        best = {}  # id -> the hit with its best score over all the query texts
        for text in query:
            for hit in memory.search(text, k=limit, filter=metadata_filter):
                if hit.score >= score_threshold and (hit.id not in best or hit.score > best[hit.id].score):
                    best[hit.id] = hit
        hits = sorted(best.values(), key=lambda h: -h.score)[:limit]
        return [{"id": h.id, "content": h.text, "score": h.score,
                 "metadata": {k: v for k, v in h.metadata.items() if k != _HASH}} for h in hits]

    def reset(self):
        self._chunks.clear()
        self._stored_in.clear()
        graft.memory(self.collection).clear()

    async def asearch(self, query, limit=5, metadata_filter=None, score_threshold=0.6):
        return self.search(query, limit, metadata_filter, score_threshold)

    async def asave(self, documents):
        self.save(documents)

    async def areset(self):
        self.reset()

    def _memory(self):
        """The collection in the running task's tenant, holding every chunk saved so far."""
        memory = graft.memory(self.collection)
        namespace = memory.info()["namespace"]
        if namespace not in self._stored_in and self._chunks:
            hashes = list(self._chunks)
            have = {m.metadata.get(_HASH) for m in memory.scan({_HASH: {"$in": hashes}})}
            missing = [h for h in hashes if h not in have]
            if missing:
                memory.add_texts([self._chunks[h] for h in missing], [{_HASH: h} for h in missing])
        self._stored_in.add(namespace)
        return memory


def _digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
