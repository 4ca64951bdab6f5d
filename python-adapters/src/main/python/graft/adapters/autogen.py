"""AutoGen AgentChat agents and teams.

The task becomes the team's task: the thread's history as ``TextMessage``s, then the new input
from ``user``. The team is reset before every run, so runs do not leak into each other; all
runs of a context share one event loop (AutoGen's runtime queues bind to the loop they first
ran on). The result carries every chat message, tool calls as steps, token usage per message and
AutoGen's own stop reason. A run that produces more than the step limit (task metadata
``max_steps``, default 100 messages and events) is cancelled and FAILS with that reason.
"""

import asyncio

from autogen_agentchat.base import TaskResult
from autogen_agentchat.messages import (
    BaseChatMessage,
    ModelClientStreamingChunkEvent,
    TextMessage,
    ToolCallExecutionEvent,
    ToolCallRequestEvent,
)
from autogen_core import CancellationToken

from graft._bridge import GraftError, runtime_tool_names
from graft.adapters import Adapter, input_schema, result
from graft.autogen import arguments_of, tool_calls_of, wire_message

DEFAULT_MAX_STEPS = 100

_loop = None


def _event_loop():
    global _loop
    if _loop is None:
        _loop = asyncio.new_event_loop()
    return _loop


def _drop_event_loop():
    """After an interrupted run the loop may hold half-finished tasks of the broken team."""
    global _loop
    _loop = None


def is_autogen(obj):
    from autogen_agentchat.base import ChatAgent, Team

    return isinstance(obj, (ChatAgent, Team))


class AutoGenAdapter(Adapter):
    framework = "autogen"
    # An interrupted AutoGen run leaves its team marked as running and the context's event loop
    # holding its tasks: the host rebuilds every AutoGen agent on a fresh loop.
    rebuild_after_interrupt = True

    def discard(self, obj):
        _drop_event_loop()

    def input_schema(self, obj, prepared):
        return input_schema()  # the task message is the text; structured inputs have no place in it

    def to_input(self, obj, prepared, task):
        messages = []
        for m in task["history"]:
            source = "user" if m["role"] == "user" else (m.get("name") or m["role"])
            if m["role"] in ("user", "assistant") and m.get("content"):
                messages.append(TextMessage(source=source, content=m["content"]))
        messages.append(TextMessage(source="user", content=task["input"]))
        return messages

    def invoke(self, obj, framework_input, task):
        limit = int(task["metadata"].get("max_steps", DEFAULT_MAX_STEPS))
        return _event_loop().run_until_complete(_run(obj, framework_input, limit))

    def to_result(self, obj, output, task):
        messages, executions = [], []
        runtime = runtime_tool_names()
        requested = {}  # call id -> FunctionCall, from the request events seen so far
        for m in output.messages:
            if isinstance(m, ToolCallRequestEvent):
                requested.update((c.id, c) for c in m.content)
                messages.append(wire_message("assistant", "", m.source, tool_calls_of(m.content), usage=m.models_usage))
            elif isinstance(m, ToolCallExecutionEvent):
                for r in m.content:
                    messages.append({**wire_message("tool", r.content, r.name, tool_call_id=r.call_id),
                                     "status": "error" if r.is_error else "success"})
                    if r.name not in runtime:
                        call = requested.get(r.call_id)
                        executions.append({"call": {"id": r.call_id, "name": r.name,
                                                    "args": arguments_of(call) if call else {}},
                                           "result": r.content, "error": bool(r.is_error)})
            elif isinstance(m, BaseChatMessage):
                role = "user" if m.source == "user" else "assistant"
                messages.append(wire_message(role, m.to_text(), m.source, usage=m.models_usage))
        final = next((m for m in reversed(output.messages)
                      if isinstance(m, BaseChatMessage) and m.source != "user"), None)
        return result(final.to_text() if final else "", messages=messages, tool_executions=executions,
                      stop_reason=output.stop_reason or "completed")


async def _run(obj, task_messages, limit):
    if hasattr(obj, "reset"):  # a team
        await obj.reset()
    else:  # a single agent
        await obj.on_reset(CancellationToken())
    token = CancellationToken()
    steps = 0
    outcome = None
    try:
        # After a cancel the stream is drained, so AutoGen finishes its own clean-up.
        async for item in obj.run_stream(task=task_messages, cancellation_token=token):
            if isinstance(item, TaskResult):
                outcome = item
            elif not isinstance(item, ModelClientStreamingChunkEvent):
                steps += 1
                if steps > limit:
                    token.cancel()
    except asyncio.CancelledError:
        if not token.is_cancelled():
            raise
    if token.is_cancelled():
        raise GraftError("the AutoGen run exceeded its step limit of %d messages and was stopped "
                         "(raise it with the task's metadata 'max_steps')" % limit)
    return outcome
