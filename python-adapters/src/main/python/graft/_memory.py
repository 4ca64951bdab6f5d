"""Agent memory served by the Java runtime's memory store (the native core by default).

``graft.memory()`` is the running agent's memory: the task's namespace, or ``default/<agent>``.
``graft.memory("kb")`` is another collection of the same tenant. Every call goes to Java, so
native agents and every framework read and write the same memories. The framework views —
``as_vector_store()`` and ``as_retriever()`` for LangChain — wrap the same object.
"""

from dataclasses import dataclass, field

from graft import _bridge


@dataclass(frozen=True)
class MemoryHit:
    """A stored memory; ``score`` is its similarity to the query (higher is closer), 0 for a ``get``."""

    id: str
    text: str
    metadata: dict = field(default_factory=dict)
    score: float = 0.0
    vector: list = None


class Memory:
    """One collection of memories. Metadata values are text: numbers and booleans are stored as
    their JSON text (``3``, ``true``), and filters on them match that text."""

    def __init__(self, collection=None):
        if collection is not None and not isinstance(collection, str):
            raise TypeError("graft.memory(collection): collection must be a str, was %r" % (collection,))
        self.collection = collection or ""

    def _call(self, op, **request):
        return _bridge.memory(self.collection, op, request)

    def add(self, text, metadata=None, vector=None):
        """Stores one text and returns its id; the store embeds it unless ``vector`` is given."""
        item = {"text": text, "metadata": metadata or {}}
        if vector is not None:
            item["vector"] = _floats(vector)
        return self._call("add", items=[item])["ids"][0]

    def add_texts(self, texts, metadatas=None, vectors=None):
        """Stores all texts or none (one batch, embedded together); returns their ids in order."""
        texts = list(texts)
        if metadatas is not None and len(metadatas) != len(texts):
            raise ValueError("got %d metadatas for %d texts" % (len(metadatas), len(texts)))
        if vectors is not None and len(vectors) != len(texts):
            raise ValueError("got %d vectors for %d texts" % (len(vectors), len(texts)))
        items = []
        for i, text in enumerate(texts):
            item = {"text": text, "metadata": (metadatas[i] if metadatas else None) or {}}
            if vectors is not None:
                item["vector"] = _floats(vectors[i])
            items.append(item)
        return self._call("add", items=items)["ids"] if items else []

    def search(self, query, k=4, filter=None, with_vectors=False):
        """The ``k`` closest memories, best first. ``query`` is a text or a vector; ``filter`` is
        a Mongo-style dict (``{"kind": "fact"}``, ``{"kind": {"$in": [...]}}``, ``$and``, ...)."""
        request = {"k": k, "filter": filter or {}, "with_vectors": with_vectors}
        if isinstance(query, str):
            request["query"] = query
        else:
            request["vector"] = _floats(query)
        return [_hit(h) for h in self._call("search", **request)["hits"]]

    def get(self, id):
        """The memory with this id, or None."""
        found = self._call("get", ids=[id])["memories"][0]
        return None if found is None else _hit(found)

    def get_many(self, ids):
        """The memories with these ids that exist, in the order asked."""
        return [_hit(m) for m in self._call("get", ids=list(ids))["memories"] if m is not None]

    def list(self, filter=None, limit=100, after=None):
        """Memories whose metadata matches, in the order they were added, without a query: at
        most ``limit``, after the memory with id ``after``. Pass the last id of a page for the next."""
        return [_hit(m) for m in self._call("list", filter=filter or {}, limit=limit, after=after)["memories"]]

    def scan(self, filter=None, page=1000):
        """Every matching memory, in the order they were added, fetched a page at a time."""
        after = None
        while True:
            batch = self.list(filter, page, after)
            yield from batch
            if len(batch) < page:
                return
            after = batch[-1].id

    def clear(self, filter=None):
        """Deletes every memory (or every one matching ``filter``); returns how many."""
        ids = [m.id for m in self.scan(filter)]
        return self.delete(*ids) if ids else 0

    def update(self, id, text, metadata=None, vector=None):
        """Replaces a memory's text, metadata and vector (re-embedded unless given)."""
        request = {"id": id, "text": text, "metadata": metadata or {}}
        if vector is not None:
            request["vector"] = _floats(vector)
        self._call("update", **request)

    def delete(self, *ids):
        """Removes memories; returns how many existed."""
        return self._call("delete", ids=list(ids))["deleted"]

    def count(self):
        return self._call("count")["count"]

    def embed(self, texts):
        """The store's embedder applied to ``texts`` (one vector each)."""
        return self._call("embed", texts=list(texts))["vectors"]

    def info(self):
        """``{"namespace": "tenant/agent", "dimension": n, "embedder": name}``."""
        return self._call("info")

    def as_vector_store(self):
        """This memory as a LangChain ``VectorStore``."""
        from graft.langchain_memory import GraftVectorStore

        return GraftVectorStore(self)

    def as_retriever(self, **kwargs):
        """This memory as a LangChain retriever (``search_kwargs={"k": 4, "filter": {...}}``)."""
        return self.as_vector_store().as_retriever(**kwargs)

    def as_autogen_memory(self, k=5, score_threshold=None):
        """This memory as an AutoGen ``Memory`` (``AssistantAgent(memory=[...])``): the ``k``
        closest memories to the agent's last message join its model context."""
        from graft.autogen_memory import GraftAutoGenMemory

        return GraftAutoGenMemory(self, k=k, score_threshold=score_threshold)

    def as_crewai_memory(self, **options):
        """CrewAI's unified ``Memory`` with its records in this Graft memory and Graft's embedder
        (``Crew(memory=...)``). Its analysis LLM is ``graft.crewai_llm()`` unless ``llm`` is given;
        other ``options`` go to ``crewai.Memory``."""
        from crewai.memory.unified_memory import Memory as CrewMemory

        from graft.crewai import GraftCrewLLM
        from graft.crewai_memory import GraftCrewStorage, GraftEmbedder

        options.setdefault("llm", GraftCrewLLM(options={}))
        return CrewMemory(storage=GraftCrewStorage(self), embedder=GraftEmbedder(self), **options)

    def as_langgraph_store(self):
        """This memory as a LangGraph ``BaseStore`` (``graph.compile(store=...)``)."""
        from graft.langgraph_store import GraftStore

        return GraftStore(self)

    def __repr__(self):
        return "graft.memory(%r)" % (self.collection or None,)


def _hit(wire):
    return MemoryHit(id=wire["id"], text=wire["text"], metadata=dict(wire.get("metadata") or {}),
                     score=float(wire.get("score", 0.0)), vector=wire.get("vector"))


def _floats(vector):
    return [float(x) for x in vector]
