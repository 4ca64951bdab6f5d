"""Plain Python callables: ``(task) -> str | dict``."""

import json

from graft.adapters import Adapter, result


class CallableAdapter(Adapter):
    framework = "python"

    def to_input(self, obj, prepared, task):
        return {"input": task["input"], "inputs": task["inputs"], "history": task["history"],
                "metadata": task["metadata"]}

    def invoke(self, obj, framework_input, task):
        return obj(framework_input)

    def to_result(self, obj, output, task):
        if isinstance(output, str):
            return result(output)
        if isinstance(output, dict):
            text = output.get("output")
            return result(text if isinstance(text, str) else json.dumps(output, default=str), structured=output)
        return result(str(output))
