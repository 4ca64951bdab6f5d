"""Framework adapters: each converts a Graft task into its framework's input, runs the framework,
and converts the output into Graft's result form.

Task (from Java): ``{"id", "agent", "input", "inputs": {...}, "history": [wire messages],
"metadata": {...}}``.

Result (to Java): ``{"output": str, "structured": dict, "messages": [wire messages],
"tool_executions": [{"call": {"id", "name", "args"}, "result": str, "error": bool}],
"stop_reason": str}``.
"""


class Adapter:
    """The three steps every framework adapter provides."""

    framework = "python"
    # True when a run that stops midway (deadline, cancel, failure) can leave this framework's
    # objects unusable: the host then executes the scripts of all of them again before the next run.
    rebuild_after_interrupt = False
    # False when a run stopped midway can leave the process-level state of the framework unusable
    # (file locks held by a `with` block that never exited): the context is replaced instead.
    context_survives_interrupt = True

    def discard(self, obj):
        """Releases what the framework holds for a run that stopped midway, before the rebuild."""

    def prepare(self, obj):
        """Work done once per loaded agent (schema inspection, ...); returns what ``to_input`` needs."""
        return None

    def input_schema(self, obj, prepared):
        """JSON Schema of what a run gives this agent (see ``input_schema``), or ``None`` if unknown."""
        return None

    def to_input(self, obj, prepared, task):
        raise NotImplementedError

    def invoke(self, obj, framework_input, task):
        raise NotImplementedError

    def to_result(self, obj, output, task):
        raise NotImplementedError


def result(output, structured=None, messages=(), tool_executions=(), stop_reason="completed"):
    return {
        "output": output,
        "structured": structured or {},
        "messages": list(messages),
        "tool_executions": list(tool_executions),
        "stop_reason": stop_reason,
    }


def input_schema(inputs=None, required=(), defs=None):
    """JSON Schema of the run request fields an agent reads: ``input`` (the task text) and, when
    ``inputs`` names properties, the structured ``inputs`` (``required`` of them needed).
    ``defs`` are the ``$defs`` the properties refer to (``#/$defs/...``)."""
    schema = {"type": "object", "properties": {"input": {"type": "string", "description": "the task text"}}}
    if inputs:
        block = {"type": "object", "properties": inputs}
        if required:
            block["required"] = sorted(required)
            schema["required"] = ["inputs"]
        schema["properties"]["inputs"] = block
    if defs:
        schema["$defs"] = defs
    return schema
