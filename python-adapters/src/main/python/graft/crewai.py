"""CrewAI classes served by the Java runtime: an LLM and the runtime's tools."""

import json
from contextlib import contextmanager
from typing import Any

from crewai.events.types.llm_events import LLMCallType
from crewai.llms.base_llm import BaseLLM, llm_call_context
from crewai.tools import BaseTool
from crewai.utilities.message_utils import message_content_text
from pydantic import ConfigDict, Field

from graft import _bridge

# The current crew run's step budget, [limit, calls made] (None outside a run); set by the CrewAI
# adapter. A context runs one task at a time, and CrewAI may call the LLM from its own threads.
_budget = None


@contextmanager
def step_limit(limit):
    """Fails the LLM call that would exceed ``limit`` calls within this block."""
    global _budget
    _budget = [limit, 0]
    try:
        yield
    finally:
        _budget = None


def _take_step():
    budget = _budget
    if budget is None:
        return
    if budget[1] >= budget[0]:
        raise _bridge.GraftError("the crew exceeded its step limit of %d LLM calls and was stopped "
                                 "(raise it with the task's metadata 'max_steps')" % budget[0])
    budget[1] += 1


class GraftCrewLLM(BaseLLM):
    """A CrewAI LLM whose every call is served by Graft's Java ``ChatModel``.

    Follows CrewAI's provider contract: with ``available_functions`` the LLM runs the first tool
    call itself and answers with its result; without them it returns the tool calls (OpenAI
    form) for CrewAI's executor to run. Usage is counted per LLM instance as CrewAI expects.
    """

    llm_type: str = "graft"
    provider: str = "graft"
    options: dict = Field(default_factory=dict)
    context_window: int = 128_000

    def __init__(self, **data: Any):
        data.setdefault("model", "graft")  # CrewAI requires a model name; the runtime routes the call
        super().__init__(**data)

    def call(self, messages, tools=None, callbacks=None, available_functions=None, from_task=None,
             from_agent=None, response_model=None):
        with llm_call_context():  # CrewAI's events of one call share a call id
            return self._call(messages, tools, callbacks, available_functions, from_task, from_agent, response_model)

    def _call(self, messages, tools, callbacks, available_functions, from_task, from_agent, response_model):
        _take_step()
        wire = [{"role": "user", "content": messages}] if isinstance(messages, str) else messages
        self._emit_call_started_event(messages=wire, tools=tools, callbacks=callbacks,
                                      available_functions=available_functions, from_task=from_task,
                                      from_agent=from_agent)
        options = dict(self.options)
        if self.stop:
            options["stop"] = list(self.stop)
        if response_model is not None:
            options["response_format"] = {"type": "json_schema", "json_schema": {
                "name": response_model.__name__, "schema": response_model.model_json_schema()}}
        # The runtime records the turn under the CrewAI agent's role (the manager's workers included).
        response = _bridge.chat(getattr(from_agent, "role", None) or "", {"messages": [to_wire(m) for m in wire],
                                     "tools": [_tool_spec(t) for t in tools or []], "options": options})
        usage = response.get("usage") or {}
        self._track_token_usage_internal({"prompt_tokens": usage.get("input_tokens", 0),
                                          "completion_tokens": usage.get("output_tokens", 0),
                                          "total_tokens": usage.get("input_tokens", 0) + usage.get("output_tokens", 0)})
        calls = response.get("tool_calls") or []
        if calls and available_functions:
            first = calls[0]
            result = self._handle_tool_execution(first["name"], first.get("args") or {}, available_functions,
                                                 from_task, from_agent)
            if result is not None:
                return result
        if calls:
            openai_calls = [{"id": c["id"], "type": "function",
                             "function": {"name": c["name"], "arguments": json.dumps(c.get("args") or {})}}
                            for c in calls]
            self._emit_call_completed_event(response=openai_calls, call_type=LLMCallType.TOOL_CALL,
                                            from_task=from_task, from_agent=from_agent, messages=wire)
            return openai_calls
        content = response.get("content") or ""
        self._emit_call_completed_event(response=content, call_type=LLMCallType.LLM_CALL, from_task=from_task,
                                        from_agent=from_agent, messages=wire)
        if response_model is not None:
            return response_model.model_validate_json(content)
        return content

    def supports_function_calling(self) -> bool:
        return True

    def supports_stop_words(self) -> bool:
        return True

    def get_context_window_size(self) -> int:
        return self.context_window

    def get_input_tokens_count(self, messages, tools=None, response_model=None) -> int:
        # BaseLLM's fallback is the same estimate (a token per four characters), but it logs a
        # warning on every call, i.e. several lines per kickoff in the server's log. Providers
        # without a native count are invited to override it.
        if isinstance(messages, str):
            return (len(messages) + 3) // 4
        return (sum(len(message_content_text(m)) for m in messages) + 3) // 4


def to_wire(message):
    """A CrewAI (OpenAI-form) message dict as a Graft wire message."""
    calls = []
    for c in message.get("tool_calls") or []:
        function = c.get("function") or c
        args = function.get("arguments") or {}
        if isinstance(args, str):
            try:
                args = json.loads(args or "{}")
            except ValueError:
                args = {"_raw": args}
        calls.append({"id": c.get("id") or "", "name": function.get("name", ""), "args": args})
    content = message.get("content")
    if not isinstance(content, str):
        content = "".join(part.get("text", "") for part in content or [] if isinstance(part, dict))
    return {"role": message.get("role", "user"), "content": content, "tool_calls": calls,
            "tool_call_id": message.get("tool_call_id") or "", "name": message.get("name") or ""}


def _tool_spec(tool):
    function = tool.get("function", tool) if isinstance(tool, dict) else {}
    return {"name": function.get("name", ""), "description": function.get("description", ""),
            "parameters": function.get("parameters") or {"type": "object", "properties": {}}}


class GraftCrewTool(BaseTool):
    """A runtime tool (implemented in Java) as a CrewAI tool; its calls are recorded by the runtime."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    parameters: dict = Field(default_factory=dict)

    def _run(self, **kwargs: Any) -> str:
        # A failing tool answers with its error text, as native agents see it, so the model can recover.
        return _bridge.call_tool("", {"id": "", "name": self.name, "args": kwargs})["text"]


def crewai_tools(names):
    from pydantic import create_model

    tools = []
    for spec in _bridge.tool_specs(names):
        properties = (spec.get("parameters") or {}).get("properties") or {}
        schema = create_model(spec["name"] + "_args", **{k: (Any, ...) for k in properties})
        tools.append(GraftCrewTool(name=spec["name"], description=spec["description"], args_schema=schema,
                                   parameters=spec.get("parameters") or {}))
    return tools


__all__ = ["GraftCrewLLM", "GraftCrewTool", "crewai_tools"]


# CrewAI knowledge lives in Graft memory (its own storage needs ChromaDB's Rust client): every
# Knowledge built from now on, by crews and agents with knowledge_sources, uses it.
from crewai.knowledge.storage.factory import set_knowledge_storage_factory  # noqa: E402

from graft.crewai_knowledge import knowledge_storage  # noqa: E402

set_knowledge_storage_factory(knowledge_storage)
