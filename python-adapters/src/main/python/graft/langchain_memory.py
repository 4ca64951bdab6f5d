"""Graft memory as LangChain's ``VectorStore`` and ``Embeddings``."""

from typing import Any, List, Optional

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import VectorStore


class GraftEmbeddings(Embeddings):
    """The memory store's embedder (the embedded all-MiniLM-L6-v2 by default), run in Java."""

    def __init__(self, memory):
        self._memory = memory

    def embed_documents(self, texts: List[str]) -> List[List[float]]:
        return self._memory.embed(texts) if texts else []

    def embed_query(self, text: str) -> List[float]:
        return self._memory.embed([text])[0]


class GraftVectorStore(VectorStore):
    """A ``VectorStore`` over one Graft memory collection. Texts are embedded in Java, scores
    are the store's similarities (cosine by default: higher is closer). Graft assigns ids:
    documents that bring their own ids are refused rather than silently renumbered."""

    def __init__(self, memory):
        self.memory = memory

    @property
    def embeddings(self) -> Embeddings:
        return GraftEmbeddings(self.memory)

    def add_texts(self, texts, metadatas: Optional[List[dict]] = None, *, ids: Optional[List[str]] = None,
                  **kwargs: Any) -> List[str]:
        if ids and any(ids):
            raise ValueError("Graft memory assigns ids itself; add the documents without ids and keep the ids returned")
        return self.memory.add_texts(list(texts), metadatas)

    def similarity_search(self, query: str, k: int = 4, filter: Optional[dict] = None, **kwargs: Any) -> List[Document]:
        return [doc for doc, _ in self.similarity_search_with_score(query, k, filter=filter)]

    def similarity_search_with_score(self, query: str, k: int = 4, filter: Optional[dict] = None,
                                     **kwargs: Any) -> List[tuple]:
        return [(_document(h), h.score) for h in self.memory.search(query, k=k, filter=filter)]

    def similarity_search_by_vector(self, embedding: List[float], k: int = 4, filter: Optional[dict] = None,
                                    **kwargs: Any) -> List[Document]:
        return [_document(h) for h in self.memory.search(embedding, k=k, filter=filter)]

    def _select_relevance_score_fn(self):
        # The store already answers similarities (higher is closer), which is what LangChain's
        # relevance scores are.
        return lambda score: score

    def get_by_ids(self, ids, /) -> List[Document]:
        return [_document(h) for h in self.memory.get_many(ids)]

    def delete(self, ids: Optional[List[str]] = None, **kwargs: Any) -> Optional[bool]:
        if ids is None:
            raise ValueError("GraftVectorStore.delete needs ids: deleting a whole collection is not offered")
        self.memory.delete(*ids)
        return True

    @classmethod
    def from_texts(cls, texts: List[str], embedding: Optional[Embeddings] = None,
                   metadatas: Optional[List[dict]] = None, *, ids: Optional[List[str]] = None,
                   collection: Optional[str] = None, **kwargs: Any) -> "GraftVectorStore":
        """Adds ``texts`` to ``graft.memory(collection)``. ``embedding`` is ignored: the memory
        store embeds with its own embedder, so stored and query vectors always match."""
        from graft._memory import Memory

        store = cls(Memory(collection))
        store.add_texts(texts, metadatas, ids=ids)
        return store


def _document(hit) -> Document:
    return Document(id=hit.id, page_content=hit.text, metadata=dict(hit.metadata))
