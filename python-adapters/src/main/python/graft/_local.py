"""The backend used when ``graft`` runs outside Graft, on plain CPython.

It exists for the benchmark baseline: the same agent script runs under CPython with the same
scripted model and the same calculator tool, implemented here in Python. It is not a runtime:
no routing, no metrics, no memory. The script file comes from ``GRAFT_SCRIPTED_MODEL``; call
``begin_run()`` before each run so the script starts again at its first turn, as it does per run
inside Graft.
"""

import ast
import json
import operator
import os
from datetime import datetime, timezone

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
        ast.Pow: operator.pow, ast.USub: operator.neg, ast.UAdd: operator.pos}

_TOOLS = [
    {"name": "calculator",
     "description": "Evaluate an arithmetic expression with + - * / ^ and parentheses, e.g. '17 * 23 + 4'.",
     "parameters": {"type": "object", "properties": {"expression": {"type": "string", "description": "the expression"}},
                    "required": ["expression"]}},
    {"name": "current_time", "description": "The current date and time in UTC (ISO-8601).",
     "parameters": {"type": "object", "properties": {}}},
]


def _evaluate(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_evaluate(node.operand))
    raise ValueError("unsupported expression")


def _format(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return ("%.15g" % value) if isinstance(value, float) else str(value)


class _Chunks:
    def __init__(self, items):
        self._items = list(items)

    def next(self):
        return self._items.pop(0) if self._items else None


class LocalBackend:
    def __init__(self, turns):
        self._turns = turns
        self._cursor = 0

    @classmethod
    def from_environment(cls):
        path = os.environ.get("GRAFT_SCRIPTED_MODEL")
        if not path:
            raise RuntimeError("graft is running outside Graft: set GRAFT_SCRIPTED_MODEL to a scripted model file")
        with open(path) as f:
            return cls(json.load(f))

    def begin_run(self):
        self._cursor = 0

    def chat(self, agent, request_json):
        request = json.loads(request_json)
        if self._cursor >= len(self._turns):
            return json.dumps({"error": {"type": "ModelException", "message": "scripted model exhausted"}})
        index = self._cursor
        self._cursor += 1
        turn = self._turns[index]
        calls = [{"id": "call_%d_%d" % (index, i), "name": c["name"], "args": c.get("args", {})}
                 for i, c in enumerate(turn.get("tool_calls", []))]
        chars = sum(len(m["content"]) + 4 for m in request["messages"])
        out_chars = len(turn.get("content", "")) + sum(len(c["name"]) + len(json.dumps(c["args"])) for c in calls)
        return json.dumps({"content": turn.get("content", ""), "tool_calls": calls,
                           "usage": {"input_tokens": (chars + 3) // 4, "output_tokens": max(1, (out_chars + 3) // 4)},
                           "model": "scripted", "finish_reason": "tool_calls" if calls else "stop"})

    def stream(self, agent, request_json):
        response = json.loads(self.chat(agent, request_json))
        if "error" in response:
            return _Chunks([json.dumps(response)])
        tokens = [json.dumps({"token": t}) for t in response["content"].split(" ") if t]
        return _Chunks(tokens + [json.dumps({"final": response})])

    def toolSpecs(self, names_json):
        names = json.loads(names_json)
        return json.dumps({"tools": [t for t in _TOOLS if not names or t["name"] in names]})

    def callTool(self, agent, call_json):
        call = json.loads(call_json)
        try:
            if call["name"] == "calculator":
                expression = call["args"]["expression"].replace("^", "**")
                text = _format(_evaluate(ast.parse(expression, mode="eval").body))
            elif call["name"] == "current_time":
                text = datetime.now(timezone.utc).isoformat()
            else:
                return json.dumps({"text": "Error: unknown tool '%s'" % call["name"], "error": True})
            return json.dumps({"text": text, "error": False})
        except (ValueError, KeyError, SyntaxError, ZeroDivisionError) as e:
            return json.dumps({"text": "Error: %s" % e, "error": True})


def begin_run():
    from graft import _bridge

    backend = _bridge.backend()
    if isinstance(backend, LocalBackend):
        backend.begin_run()
