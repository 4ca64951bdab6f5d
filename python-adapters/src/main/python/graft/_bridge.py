"""The way from Python back into the Java runtime.

Inside Graft the Java host puts a bridge object into the polyglot bindings; every model call and
tool call goes through it, so routing, metrics and step recording are shared by all frameworks.
Outside Graft (plain CPython, used as the benchmark baseline) a local backend serves a scripted
model and the built-in tools in Python.
"""

import json
import os


class GraftError(Exception):
    """An error raised by the Graft runtime (a model or tool failure, a misuse of the API)."""


def _java_backend():
    if os.environ.get("GRAFT_BACKEND") == "local":
        # GraalPy's own launcher has no polyglot bindings, and asking it for one fails inside the
        # engine rather than raising; profiling a script there needs the local backend.
        return None
    try:
        import polyglot  # only present on GraalPy
    except ImportError:
        return None
    try:
        return polyglot.import_value("graft_bridge")
    except Exception:  # GraalPy's own launcher, outside a Graft host, has no polyglot bindings
        return None


_backend = None


def backend():
    global _backend
    if _backend is None:
        _backend = _java_backend()
        if _backend is None:
            from graft import _local

            _backend = _local.LocalBackend.from_environment()
    return _backend


def chat(agent, request):
    """Sends a chat request dict; returns the response dict."""
    return _decode(backend().chat(agent, json.dumps(request)))


def stream(agent, request):
    """Yields response chunks: ``{"token": text}`` items, then ``{"final": response}``."""
    chunks = backend().stream(agent, json.dumps(request))
    while True:
        chunk = chunks.next()
        if chunk is None:
            return
        yield _decode(chunk)


def tool_specs(names):
    return _decode(backend().toolSpecs(json.dumps(list(names))))["tools"]


_runtime_names = None


def runtime_tool_names():
    """Names of the tools the Java runtime provides (their calls are recorded on the Java side)."""
    global _runtime_names
    if _runtime_names is None:
        _runtime_names = frozenset(spec["name"] for spec in tool_specs([]))
    return _runtime_names


def call_tool(agent, call):
    """Runs a runtime tool; returns ``{"text": ..., "error": bool}``."""
    return _decode(backend().callTool(agent, json.dumps(call)))


def memory(collection, op, request):
    """One memory operation (see MemoryWire.java); returns the answer dict."""
    b = backend()
    if getattr(b, "memory", None) is None:
        raise GraftError("graft.memory() needs the Graft runtime: outside Graft (plain CPython) there is no memory store")
    return _decode(b.memory(collection, op, json.dumps(request)))


def _decode(text):
    # The Java side answers every call with JSON and reports failures as {"error": {...}} rather
    # than throwing, so no Java exception ever has to cross into framework code.
    value = json.loads(text)
    if isinstance(value, dict) and isinstance(value.get("error"), dict):
        error = value["error"]
        raise GraftError("%s: %s" % (error.get("type", "Error"), error.get("message", "")))
    return value
