"""What the Java host calls in each Python context: load scripts, run agents.

Every method takes and returns strings (JSON), so no Python object ever leaves the context.
"""

import importlib
import inspect
import json
import os
import sys
import traceback
import types

from graft import _registry
from graft._detect import EXPECTED, adapter_for


class _Loaded:
    __slots__ = ("name", "obj", "adapter", "prepared", "description", "source", "origin")

    def __init__(self, name, obj, adapter, description, source):
        self.name = name
        self.obj = obj
        self.adapter = adapter
        self.prepared = adapter.prepare(obj)
        self.description = description
        self.source = source
        self.origin = None  # (path, module name, script text), to rebuild the object


class Host:
    def __init__(self):
        self._agents = {}
        self._unfinished = None  # the agent whose last run stopped midway (deadline, cancel, failure)

    def ping(self):
        return "pong"

    def damage(self):
        """Why this context must not serve another run after an interrupt, or "" when it may.

        An interrupt unwinds guest code wherever it is: a framework's worker thread (AutoGen runs
        blocking tools in an executor) survives it, an event loop can be left marked as running,
        and a C extension stopped in the middle of a call (pydantic-core) can be left broken."""
        import sys
        import threading

        stopped = self._unfinished
        if stopped is not None and not stopped.adapter.context_survives_interrupt:
            return "a %s run was stopped midway and may hold its framework's locks" % stopped.adapter.framework
        me = threading.current_thread()
        others = [t.name for t in threading.enumerate() if t is not me and t.is_alive()]
        if others:
            return "%d other Python thread(s) of the run did not stop (%s)" % (len(others), ", ".join(others[:3]))
        if "asyncio" in sys.modules:
            from asyncio import events

            if events._get_running_loop() is not None:
                return "an asyncio event loop was left running"
        if "pydantic" in sys.modules:
            try:
                _pydantic_probe()
            except BaseException as e:  # noqa: B036 - any failure means the extension is unusable
                return "pydantic-core fails after the interrupt (%s: %s)" % (type(e).__name__, e)
        return ""

    def warm(self, modules_json):
        """Imports modules ahead of the first run (cold imports take seconds)."""
        for name in json.loads(modules_json):
            importlib.import_module(name)

    def load(self, path, module_name, source):
        """Imports a script (its text as read by the host, so every context runs the same version)
        and registers its agents; returns JSON: the agents, or the error."""
        try:
            found = self._import(path, module_name, source)
        except _ScriptError as e:
            return json.dumps({"error": e.describe()})
        except BaseException as e:  # any failure while importing the user's script
            return json.dumps({"error": _script_error(e, path)})
        for loaded in found:
            loaded.origin = (path, module_name, source)
            self._agents[loaded.name] = loaded
        return json.dumps({"agents": [
            {"name": a.name, "framework": a.adapter.framework, "description": a.description, "source": a.source,
             "input_schema": _input_schema(a)}
            for a in found
        ]}, default=str)

    def unload(self, name):
        self._agents.pop(name, None)

    def run(self, name, task_json):
        """Runs one task; returns JSON: the adapter's result, or the error with its traceback."""
        try:
            self._recover()
        except BaseException as e:
            return json.dumps({"error": {"type": type(e).__name__, "message": "cannot rebuild agents after a "
                                         "stopped run: %s" % e, "traceback": traceback.format_exc()}})
        loaded = self._agents.get(name)
        if loaded is None:
            return json.dumps({"error": {"type": "GraftError", "message": "agent %r is not loaded in this context" % name,
                                         "traceback": ""}})
        task = json.loads(task_json)
        self._unfinished = loaded
        try:
            framework_input = loaded.adapter.to_input(loaded.obj, loaded.prepared, task)
            output = loaded.adapter.invoke(loaded.obj, framework_input, task)
            answer = json.dumps(loaded.adapter.to_result(loaded.obj, output, task), default=str)
            self._unfinished = None
            return answer
        except Exception as e:  # the agent's own failure: report it with its traceback
            return json.dumps({"error": {"type": type(e).__name__, "message": str(e),
                                         "traceback": traceback.format_exc()}})

    def _recover(self):
        """The last run stopped midway (a deadline or cancel interrupts Python wherever it is; a
        failure may leave a framework half-way). Frameworks whose objects keep state that such a
        run breaks (AutoGen: the team stays marked as running, its runtime is bound to the event
        loop the run left behind) get fresh objects: their scripts are executed again."""
        stale, self._unfinished = self._unfinished, None
        if stale is None or not stale.adapter.rebuild_after_interrupt:
            return
        stale.adapter.discard(stale.obj)
        kind = type(stale.adapter)
        origins = {a.origin for a in self._agents.values() if type(a.adapter) is kind}
        for path, module_name, source in origins:
            for fresh in self._import(path, module_name, source):
                fresh.origin = (path, module_name, source)
                self._agents[fresh.name] = fresh

    def _import(self, path, module_name, source):
        _registry.take_declared()
        code = compile(source, path, "exec")
        module = types.ModuleType(module_name)
        module.__file__ = path
        previous = sys.modules.get(module_name)
        sys.modules[module_name] = module
        try:
            exec(code, module.__dict__)
        except BaseException:
            if previous is None:
                sys.modules.pop(module_name, None)
            else:
                sys.modules[module_name] = previous
            raise
        found = []
        for name, description, fn in _registry.take_declared():
            obj = fn
            if _takes_no_arguments(fn):
                obj = fn()
            found.append(self._wrap(name, obj, description, path, "@graft.agent(name=%r)" % name))
        if hasattr(module, "agent"):
            name = getattr(module, "AGENT_NAME", None) or os.path.splitext(os.path.basename(path))[0]
            description = getattr(module, "AGENT_DESCRIPTION", None) or (module.__doc__ or "").strip().split("\n")[0]
            found.append(self._wrap(name, module.agent, description, path, "module-level 'agent'"))
        if not found:
            raise _ScriptError(path, 0, "defines no agent: expected a module-level name 'agent' or functions "
                                        "decorated with @graft.agent(name=...); found neither")
        names = [f.name for f in found]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise _ScriptError(path, 0, "defines agent name(s) %s more than once" % ", ".join(duplicates))
        return found

    def _wrap(self, name, obj, description, path, what):
        try:
            adapter = adapter_for(obj)
        except TypeError as e:
            raise _ScriptError(path, _line_of(obj, path), "%s: %s" % (what, e))
        if adapter is None:
            raise _ScriptError(path, _line_of(obj, path), "%s is a %s.%s, expected %s" % (
                what, type(obj).__module__, type(obj).__qualname__, EXPECTED))
        return _Loaded(name, obj, adapter, description or "", path)


def _input_schema(loaded):
    """The agent's input schema, or ``None``: a schema the framework cannot build does not stop the load."""
    try:
        return loaded.adapter.input_schema(loaded.obj, loaded.prepared)
    except Exception:  # noqa: BLE001 - e.g. a Runnable whose input type pydantic cannot describe
        return None


def _takes_no_arguments(fn):
    try:
        return len(inspect.signature(fn).parameters) == 0
    except (TypeError, ValueError):
        return False


def _line_of(obj, path):
    code = getattr(obj, "__code__", None)
    if code is not None and code.co_filename == path:
        return code.co_firstlineno
    return 0


class _ScriptError(Exception):
    def __init__(self, path, line, message):
        super().__init__(message)
        self.path, self.line, self.message = path, line, message

    def describe(self):
        return {"type": "AgentDefinitionError", "message": self.message, "file": self.path, "line": self.line,
                "traceback": ""}


def _script_error(error, path):
    """File and line of a failure while importing ``path``: the syntax error's position, or the
    deepest traceback frame inside the script."""
    if isinstance(error, SyntaxError) and error.filename and os.path.abspath(error.filename) == os.path.abspath(path):
        return {"type": type(error).__name__, "message": error.msg, "file": path, "line": error.lineno or 0,
                "traceback": "".join(traceback.format_exception_only(type(error), error))}
    line = 0
    for frame in traceback.extract_tb(error.__traceback__):
        if os.path.abspath(frame.filename) == os.path.abspath(path):
            line = frame.lineno
    return {"type": type(error).__name__, "message": str(error), "file": path, "line": line,
            "traceback": "".join(traceback.format_exception(type(error), error, error.__traceback__))}


host = Host()


def _pydantic_probe():
    from pydantic import BaseModel

    class Probe(BaseModel):
        value: int

    if Probe(value=1).model_dump_json() != '{"value":1}':
        raise RuntimeError("a model serialized wrongly")
