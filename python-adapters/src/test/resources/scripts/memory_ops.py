"""Exercises graft.memory() from a plain Python agent; the task's inputs say which operation."""

import graft


def _plain(hit):
    return {"id": hit.id, "text": hit.text, "score": hit.score, "metadata": hit.metadata}


@graft.agent(name="memory-ops")
def memory_ops(task):
    op = task["inputs"]["op"]
    kb = graft.memory("kb")
    if op == "search":
        hits = kb.search(task["input"], k=2, filter=task["inputs"].get("filter"))
        return {"output": hits[0].text if hits else "", "hits": [_plain(h) for h in hits]}
    if op == "add":
        memory_id = kb.add(task["input"], {"kind": "note", "page": 3})
        return {"output": memory_id, "stored": _plain(kb.get(memory_id)), "count": kb.count()}
    if op == "retrieve":
        docs = kb.as_retriever(search_kwargs={"k": 1, "filter": {"page": 3}}).invoke(task["input"])
        return {"output": docs[0].page_content, "id": docs[0].id, "metadata": docs[0].metadata}
    if op == "update-delete":
        first = kb.add("a note to change", {"kind": "draft"})
        kb.update(first, "a changed note", {"kind": "final"})
        changed = kb.get(first)
        return {"output": changed.text, "metadata": changed.metadata, "deleted": kb.delete(first, "no-such-id"),
                "after": kb.get(first)}
    if op == "langgraph":
        store = graft.memory("lg").as_langgraph_store()
        store.put(("users", "u1", "prefs"), "drink", {"text": "prefers green tea", "rank": 1})
        store.put(("users", "u1", "prefs"), "food", {"text": "vegetarian, no mushrooms", "rank": 2})
        store.put(("users", "u2", "prefs"), "drink", {"text": "black coffee", "rank": 1})
        store.put(("users", "u1", "prefs"), "drink", {"text": "prefers jasmine tea", "rank": 1})  # replaces
        got = store.get(("users", "u1", "prefs"), "drink")
        found = store.search(("users", "u1"), query="what does the user like to drink?", limit=1)
        ranked = store.search(("users",), filter={"rank": 1})
        namespaces = store.list_namespaces(prefix=("users",), max_depth=2)
        store.delete(("users", "u2", "prefs"), "drink")
        return {"output": got.value["text"], "found": found[0].key, "found_ns": list(found[0].namespace),
                "ranked": sorted(i.value["text"] for i in ranked), "namespaces": [list(n) for n in namespaces],
                "gone": store.get(("users", "u2", "prefs"), "drink") is None,
                "count": graft.memory("lg").count()}
    if op == "autogen":
        import asyncio

        from autogen_core.memory import MemoryContent, MemoryMimeType
        from autogen_core.model_context import UnboundedChatCompletionContext
        from autogen_core.models import UserMessage

        async def remember():
            memory = graft.memory("ag").as_autogen_memory(k=1)
            await memory.add(MemoryContent(content="The user's timezone is Europe/Oslo.", mime_type=MemoryMimeType.TEXT))
            await memory.add(MemoryContent(content={"unit": "celsius"}, mime_type=MemoryMimeType.JSON))
            context = UnboundedChatCompletionContext()
            await context.add_message(UserMessage(content="What time zone am I in?", source="user"))
            updated = await memory.update_context(context)
            messages = await context.get_messages()
            cleared_before = graft.memory("ag").count()
            await memory.clear()
            return {"output": messages[-1].content, "memories": len(updated.memories.results),
                    "mime": updated.memories.results[0].mime_type, "before_clear": cleared_before,
                    "after_clear": graft.memory("ag").count()}

        return asyncio.run(remember())
    if op == "crewai":
        memory = graft.memory("crew").as_crewai_memory()
        memory.remember("Deploys happen on Tuesdays between 10 and 12.", scope="/ops/release",
                        categories=["schedule"], importance=0.8, metadata={"team": "platform"})
        memory.remember("The staging database is refreshed every night.", scope="/ops/data",
                        categories=["data"], importance=0.4)
        found = memory.recall("When can we deploy?", scope="/ops", depth="shallow", limit=1)
        storage = memory._storage
        return {"output": found[0].record.content, "scopes": storage.list_scopes("/ops"),
                "categories": storage.list_categories("/ops"), "count": graft.memory("crew").count(),
                "schedule": [r.content for r in storage.list_records("/ops/release")],
                "forgotten": memory.forget(scope="/ops/data"), "after": storage.count()}
    if op == "empty":
        kb.add("")
    if op == "own":
        return {"output": graft.memory().info()["namespace"]}
    raise ValueError("unknown op %r" % op)
