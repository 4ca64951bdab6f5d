"""Conversion between LangChain messages and Graft's wire messages.

Wire message: ``{"role": "system|user|assistant|tool", "content": str, "tool_calls": [{"id",
"name", "args"}], "tool_call_id": str, "name": str}``.
"""

import json

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage


def text_of(content):
    """The text of a message content, which may be a string or a list of content blocks."""
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(block.get("text", ""))
    return "".join(parts)


_ROLES = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool", "chat": "user", "function": "tool"}


def to_wire(message):
    if isinstance(message, dict):
        return from_dict(message)
    if not isinstance(message, BaseMessage):
        return {"role": "user", "content": str(message), "tool_calls": [], "tool_call_id": "", "name": ""}
    role = _ROLES.get(message.type, "user")
    wire = {
        "role": role,
        "content": text_of(message.content),
        "tool_calls": [],
        "tool_call_id": "",
        "name": message.name or "",
    }
    if isinstance(message, AIMessage):
        wire["tool_calls"] = [
            {"id": c.get("id") or "", "name": c["name"], "args": c.get("args") or {}} for c in message.tool_calls
        ]
        usage = message.usage_metadata
        if usage:
            wire["usage"] = {"input_tokens": usage.get("input_tokens", 0), "output_tokens": usage.get("output_tokens", 0)}
    elif isinstance(message, ToolMessage):
        wire["tool_call_id"] = message.tool_call_id or ""
        wire["status"] = getattr(message, "status", "success")
    return wire


def from_dict(message):
    """A message given as a dict (``{"role": ..., "content": ...}``) in wire form."""
    role = message.get("role") or message.get("type") or "user"
    return {
        "role": _ROLES.get(role, role),
        "content": text_of(message.get("content", "")),
        "tool_calls": list(message.get("tool_calls") or []),
        "tool_call_id": message.get("tool_call_id") or "",
        "name": message.get("name") or "",
    }


def to_langchain(wire):
    role = wire["role"]
    content = wire.get("content", "")
    if role == "system":
        return SystemMessage(content=content)
    if role == "assistant":
        calls = [{"id": c["id"], "name": c["name"], "args": c.get("args") or {}, "type": "tool_call"}
                 for c in wire.get("tool_calls") or []]
        return AIMessage(content=content, tool_calls=calls, name=wire.get("name") or None)
    if role == "tool":
        return ToolMessage(content=content, tool_call_id=wire.get("tool_call_id") or "", name=wire.get("name") or None)
    return HumanMessage(content=content, name=wire.get("name") or None)


def tool_call_args_json(args):
    return json.dumps(args, separators=(",", ":"))
