"""LangChain Runnables, compiled LangGraph graphs included.

Input follows the Runnable's input schema: a string where it takes one; ``{"messages": [...]}``
for a message-state graph (the thread's history, then the new human message); otherwise a dict
with ``input`` plus the structured inputs.
"""

import json

from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage

from graft._bridge import runtime_tool_names
from graft.adapters import Adapter, input_schema, result
from graft.messages import text_of, to_langchain, to_wire

STRING, MESSAGES, DICT = "string", "messages", "dict"


_graph_type = None


def _is_graph(obj):
    # Resolved once: an import statement on every run is a measurable share of a short chain on GraalPy.
    global _graph_type
    if _graph_type is None:
        try:
            from langgraph.pregel import Pregel
        except ImportError:
            Pregel = ()  # isinstance(obj, ()) is False
        _graph_type = Pregel
    return isinstance(obj, _graph_type)


class LangChainAdapter(Adapter):
    def __init__(self, framework):
        self.framework = framework

    def prepare(self, obj):
        schema = obj.get_input_jsonschema()
        if schema.get("type") == "string":
            return STRING
        properties = schema.get("properties") or {}
        if "messages" in properties:
            return MESSAGES
        if schema.get("type") == "object" or properties:
            return DICT
        return STRING

    def input_schema(self, obj, shape):
        # The schema's own keys that Graft fills from the task are not the client's to send.
        if shape == STRING:
            return input_schema()
        schema = obj.get_input_jsonschema()
        filled = {"messages" if shape == MESSAGES else "input"}
        # A graph's managed values (remaining_steps, ...) are LangGraph's own, whatever the input says.
        filled.update(getattr(getattr(obj, "builder", None), "managed", None) or ())
        properties = {k: v for k, v in (schema.get("properties") or {}).items() if k not in filled}
        required = [k for k in schema.get("required") or () if k in properties]
        return input_schema(properties, required, _used_defs(properties, schema.get("$defs") or {}))

    def to_input(self, obj, shape, task):
        if shape == STRING:
            return task["input"]
        if shape == MESSAGES:
            messages = [to_langchain(m) for m in task["history"]]
            messages.append(HumanMessage(content=task["input"]))
            return {**task["inputs"], "messages": messages}
        return {"input": task["input"], **task["inputs"]}

    def invoke(self, obj, framework_input, task):
        config = {"run_name": task["agent"], "metadata": {"graft_run_id": task["id"]}}
        if _is_graph(obj):
            config["configurable"] = {"thread_id": task["id"]}
            config["recursion_limit"] = int(task["metadata"].get("recursion_limit", 25))
        return obj.invoke(framework_input, config=config)

    def to_result(self, obj, output, task):
        if isinstance(output, BaseMessage):
            return result(text_of(output.content), messages=[to_wire(output)])
        if isinstance(output, str):
            return result(output)
        if isinstance(output, dict) and isinstance(output.get("messages"), list):
            messages = [m for m in output["messages"] if isinstance(m, BaseMessage)]
            final = next((m for m in reversed(messages) if m.type == "ai"), None)
            structured = {k: _plain(v) for k, v in output.items() if k != "messages"}
            return result(text_of(final.content) if final else "", structured=structured,
                          messages=[to_wire(m) for m in messages],
                          tool_executions=_python_tool_executions(messages))
        if isinstance(output, dict):
            plain = {k: _plain(v) for k, v in output.items()}
            text = plain.get("output")
            return result(text if isinstance(text, str) else json.dumps(plain, default=str), structured=plain)
        if hasattr(output, "model_dump"):
            plain = output.model_dump()
            return result(json.dumps(plain, default=str), structured=plain)
        return result(str(output))


def _used_defs(properties, defs):
    """The ``$defs`` that ``properties`` refer to, directly or through other definitions."""
    used, pending = {}, [properties]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref[len("#/$defs/"):]
                if name in defs and name not in used:
                    used[name] = defs[name]
                    pending.append(defs[name])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return used


def _python_tool_executions(messages):
    """Tool calls the graph ran with Python tools; calls to runtime tools were recorded in Java."""
    runtime = runtime_tool_names()
    calls = {}
    executions = []
    for m in messages:
        if m.type == "ai":
            for c in m.tool_calls:
                calls[c.get("id")] = c
        elif isinstance(m, ToolMessage) and (m.name or "") not in runtime:
            call = calls.get(m.tool_call_id, {"id": m.tool_call_id, "name": m.name or "", "args": {}})
            executions.append({
                "call": {"id": call.get("id") or m.tool_call_id, "name": call.get("name") or m.name or "",
                         "args": call.get("args") or {}},
                "result": text_of(m.content),
                "error": getattr(m, "status", "success") == "error",
            })
    return executions


def _plain(value):
    if isinstance(value, BaseMessage):
        return to_wire(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "model_dump"):
        return value.model_dump()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
