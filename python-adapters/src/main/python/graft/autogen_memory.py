"""Graft memory as an AutoGen ``Memory``: give it to an ``AssistantAgent(memory=[...])``."""

import json
from typing import Any

from autogen_core import CancellationToken
from autogen_core.memory import Memory, MemoryContent, MemoryMimeType, MemoryQueryResult, UpdateContextResult
from autogen_core.model_context import ChatCompletionContext
from autogen_core.models import SystemMessage

_TEXT_TYPES = {MemoryMimeType.TEXT.value, MemoryMimeType.MARKDOWN.value, MemoryMimeType.JSON.value}


class GraftAutoGenMemory(Memory):
    """An AutoGen memory over one Graft memory collection. Before each model call the agent's
    last message is the query: the ``k`` closest memories (with a score of at least
    ``score_threshold``, when given) are added to the model context as one system message, as
    AutoGen's own vector memories do. Text, Markdown and JSON contents are stored; the MIME type
    is kept in the metadata (``mime_type``)."""

    component_type = "memory"

    def __init__(self, memory, k=5, score_threshold=None):
        self._memory = memory
        self.k = k
        self.score_threshold = score_threshold

    async def update_context(self, model_context: ChatCompletionContext) -> UpdateContextResult:
        messages = await model_context.get_messages()
        if not messages:
            return UpdateContextResult(memories=MemoryQueryResult(results=[]))
        last = messages[-1].content
        query = last if isinstance(last, str) else str(last)
        if not query.strip():
            return UpdateContextResult(memories=MemoryQueryResult(results=[]))
        found = await self.query(query)
        if found.results:
            lines = "\n".join("%d. %s" % (i, item.content) for i, item in enumerate(found.results, 1))
            await model_context.add_message(SystemMessage(content="\nRelevant memory content:\n" + lines + "\n"))
        return UpdateContextResult(memories=found)

    async def query(self, query: str | MemoryContent = "", cancellation_token: CancellationToken | None = None,
                    **kwargs: Any) -> MemoryQueryResult:
        text = _text(query) if isinstance(query, MemoryContent) else str(query)
        hits = self._memory.search(text, k=kwargs.get("k", self.k), filter=kwargs.get("filter"))
        if self.score_threshold is not None:
            hits = [h for h in hits if h.score >= self.score_threshold]
        return MemoryQueryResult(results=[_content(h) for h in hits])

    async def add(self, content: MemoryContent, cancellation_token: CancellationToken | None = None) -> None:
        metadata = dict(content.metadata or {})
        metadata["mime_type"] = _mime(content)
        self._memory.add(_text(content), metadata)

    async def clear(self) -> None:
        """Deletes every memory of the collection."""
        self._memory.clear()

    async def close(self) -> None:
        pass  # the store belongs to the Java runtime


def _mime(content):
    mime = content.mime_type
    return mime.value if isinstance(mime, MemoryMimeType) else str(mime)


def _text(content):
    mime = _mime(content)
    if mime not in _TEXT_TYPES:
        raise TypeError("Graft memory stores text, Markdown or JSON; got a %s memory content" % mime)
    value = content.content
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    raise TypeError("a %s memory content must be a str or dict, was %s" % (mime, type(value).__name__))


def _content(hit):
    metadata = dict(hit.metadata)
    mime = metadata.pop("mime_type", MemoryMimeType.TEXT.value)
    metadata.update(id=hit.id, score=hit.score)
    return MemoryContent(content=hit.text, mime_type=mime, metadata=metadata)
