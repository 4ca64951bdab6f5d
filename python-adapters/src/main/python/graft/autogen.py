"""AutoGen classes served by the Java runtime: a model client and the runtime's tools."""

import json
from typing import Any, AsyncGenerator, Mapping, Optional, Sequence, Union

from autogen_core import CancellationToken, FunctionCall
from autogen_core.models import (
    AssistantMessage,
    ChatCompletionClient,
    CreateResult,
    FunctionExecutionResultMessage,
    ModelFamily,
    ModelInfo,
    RequestUsage,
    SystemMessage,
    UserMessage,
)
from autogen_core.tools import BaseTool
from pydantic import BaseModel, ConfigDict

from graft import _bridge

_FINISH_REASONS = {"stop": "stop", "length": "length", "tool_calls": "function_calls",
                   "function_calls": "function_calls", "content_filter": "content_filter"}

DEFAULT_MODEL_INFO = ModelInfo(vision=False, function_calling=True, json_output=True, family=ModelFamily.UNKNOWN,
                               structured_output=False, multiple_system_messages=True)


class GraftChatCompletionClient(ChatCompletionClient):
    """An AutoGen ``ChatCompletionClient`` whose every completion is served by Graft's Java
    ``ChatModel``: tool calls come back as ``FunctionCall`` lists, streaming yields the model's
    tokens, and usage is counted per client as AutoGen expects."""

    def __init__(self, options: Optional[Mapping[str, Any]] = None, model_info: Optional[ModelInfo] = None):
        self._options = dict(options or {})
        self._model_info = model_info or DEFAULT_MODEL_INFO
        # Every completion is a real model call (no cache), so actual and total usage are the same.
        self._usage = RequestUsage(prompt_tokens=0, completion_tokens=0)

    def _request(self, messages, tools, tool_choice, json_output, extra_create_args):
        options = {**self._options, **dict(extra_create_args)}
        if isinstance(tool_choice, str):
            if tool_choice != "auto":
                options["tool_choice"] = tool_choice
        else:
            options["tool_choice"] = {"type": "function", "function": {"name": tool_choice.name}}
        if json_output is True:
            options["response_format"] = {"type": "json_object"}
        elif isinstance(json_output, type) and issubclass(json_output, BaseModel):
            options["response_format"] = {"type": "json_schema", "json_schema": {
                "name": json_output.__name__, "schema": json_output.model_json_schema()}}
        return {"messages": [w for m in messages for w in to_wire(m)], "tools": [_tool_spec(t) for t in tools],
                "options": options}

    def _result(self, response):
        usage = response.get("usage") or {}
        used = RequestUsage(prompt_tokens=usage.get("input_tokens", 0), completion_tokens=usage.get("output_tokens", 0))
        self._usage = RequestUsage(self._usage.prompt_tokens + used.prompt_tokens,
                                   self._usage.completion_tokens + used.completion_tokens)
        calls = response.get("tool_calls") or []
        text = response.get("content") or ""
        if calls:
            content = [FunctionCall(id=c["id"], name=c["name"], arguments=json.dumps(c.get("args") or {}))
                       for c in calls]
            finish = "function_calls"
        else:
            content = text
            finish = _FINISH_REASONS.get(response.get("finish_reason") or "stop", "unknown")
        return CreateResult(finish_reason=finish, content=content, usage=used, cached=False,
                            thought=text if calls and text else None)

    async def create(self, messages: Sequence[Any], *, tools: Sequence[Any] = [], tool_choice: Any = "auto",
                     json_output: Optional[Any] = None, extra_create_args: Mapping[str, Any] = {},
                     cancellation_token: Optional[CancellationToken] = None) -> CreateResult:
        request = self._request(messages, tools, tool_choice, json_output, extra_create_args)
        return self._result(_bridge.chat("", request))

    async def create_stream(self, messages: Sequence[Any], *, tools: Sequence[Any] = [], tool_choice: Any = "auto",
                            json_output: Optional[Any] = None, extra_create_args: Mapping[str, Any] = {},
                            cancellation_token: Optional[CancellationToken] = None,
                            ) -> AsyncGenerator[Union[str, CreateResult], None]:
        request = self._request(messages, tools, tool_choice, json_output, extra_create_args)
        for chunk in _bridge.stream("", request):
            if "token" in chunk:
                yield chunk["token"]
            else:
                yield self._result(chunk["final"])

    async def close(self) -> None:
        pass

    def actual_usage(self) -> RequestUsage:
        return self._usage

    def total_usage(self) -> RequestUsage:
        return self._usage

    def count_tokens(self, messages: Sequence[Any], *, tools: Sequence[Any] = []) -> int:
        # The Java model counts real usage; this estimate (4 characters a token, as the scripted
        # model counts) only serves AutoGen's context-window helpers.
        text = json.dumps(self._request(messages, tools, "auto", None, {}))
        return max(1, len(text) // 4)

    def remaining_tokens(self, messages: Sequence[Any], *, tools: Sequence[Any] = []) -> int:
        limit = int(self._options.get("context_window", 128_000))
        return limit - self.count_tokens(messages, tools=tools)

    @property
    def capabilities(self):
        return {"vision": self._model_info["vision"], "function_calling": self._model_info["function_calling"],
                "json_output": self._model_info["json_output"]}

    @property
    def model_info(self) -> ModelInfo:
        return self._model_info


def wire_message(role, content, name="", tool_calls=(), tool_call_id="", usage=None):
    """A Graft wire message; ``usage`` is AutoGen's ``RequestUsage`` of the turn, if known."""
    wire = {"role": role, "content": content, "tool_calls": list(tool_calls), "tool_call_id": tool_call_id,
            "name": name or ""}
    if usage is not None:
        wire["usage"] = {"input_tokens": usage.prompt_tokens, "output_tokens": usage.completion_tokens}
    return wire


def to_wire(message):
    """An AutoGen ``LLMMessage`` as Graft wire messages (a tool-result message becomes one per result)."""
    if isinstance(message, SystemMessage):
        return [wire_message("system", message.content)]
    if isinstance(message, UserMessage):
        if not isinstance(message.content, str):
            if any(not isinstance(part, str) for part in message.content):
                raise _bridge.GraftError("graft.autogen_client(): image content is not supported by Graft's models yet")
            return [wire_message("user", "\n".join(message.content), message.source)]
        return [wire_message("user", message.content, message.source)]
    if isinstance(message, AssistantMessage):
        if isinstance(message.content, str):
            return [wire_message("assistant", message.content, message.source)]
        return [wire_message("assistant", message.thought or "", message.source, tool_calls_of(message.content))]
    if isinstance(message, FunctionExecutionResultMessage):
        return [wire_message("tool", r.content, r.name, tool_call_id=r.call_id) for r in message.content]
    raise _bridge.GraftError("graft.autogen_client(): unsupported message type %s" % type(message).__name__)


def tool_calls_of(function_calls):
    """AutoGen ``FunctionCall``s as wire tool calls."""
    return [{"id": c.id, "name": c.name, "args": arguments_of(c)} for c in function_calls]


def arguments_of(call):
    """A ``FunctionCall``'s JSON arguments as a dict (kept raw when the model sent no JSON object)."""
    try:
        args = json.loads(call.arguments or "{}")
    except ValueError:
        return {"_raw": call.arguments}
    return args if isinstance(args, dict) else {"_value": args}


def _tool_spec(tool):
    schema = tool.schema if hasattr(tool, "schema") else tool
    return {"name": schema["name"], "description": schema.get("description", ""),
            "parameters": schema.get("parameters") or {"type": "object", "properties": {}}}


class _Args(BaseModel):
    model_config = ConfigDict(extra="allow")


class GraftAutoGenTool(BaseTool[_Args, str]):
    """A runtime tool (implemented in Java) as an AutoGen tool; its calls are recorded by the runtime."""

    def __init__(self, spec):
        super().__init__(_Args, str, spec["name"], spec["description"])
        self._parameters = spec.get("parameters") or {"type": "object", "properties": {}}

    @property
    def schema(self):
        return {"name": self.name, "description": self.description, "parameters": self._parameters}

    async def run(self, args: _Args, cancellation_token: CancellationToken) -> str:
        return self._call("", args.model_dump())

    async def run_json(self, args: Mapping[str, Any], cancellation_token: CancellationToken,
                       call_id: Optional[str] = None) -> str:
        return self._call(call_id or "", dict(args))

    def _call(self, call_id, args):
        # A failing tool answers with its error text, as native agents see it, so the model can recover.
        return _bridge.call_tool("", {"id": call_id, "name": self.name, "args": args})["text"]


def autogen_tools(names):
    return [GraftAutoGenTool(spec) for spec in _bridge.tool_specs(names)]


__all__ = ["GraftChatCompletionClient", "GraftAutoGenTool", "autogen_tools", "to_wire", "wire_message", "DEFAULT_MODEL_INFO"]
