"""CrewAI crews.

The task becomes the crew's kickoff inputs: the structured inputs, plus ``input`` (the task text)
and ``history`` (earlier turns of the thread as text) unless the inputs name them, so task
descriptions can say ``{input}`` and ``{history}``. The result is the crew's final output, every
agent's messages and tool calls as steps (named by the agent's role), the run's token usage
(CrewAI's own counters are cumulative per LLM and count a shared LLM once per agent) and the
output of each task. A run that makes more than the step limit of LLM calls (task metadata
``max_steps``, default 100) FAILS with that reason.
"""

import re

from crewai import Crew

from graft import crewai as bridge
from graft._bridge import runtime_tool_names
from graft.adapters import Adapter, input_schema, result

DEFAULT_MAX_STEPS = 100
# The placeholders CrewAI fills from the kickoff inputs (crewai.utilities.string_utils.interpolate_only).
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_\-]*)\}")
# What Graft fills itself, from the task text and the thread.
_FILLED = ("input", "history")
# The kickoff input values CrewAI accepts: str, int, float, bool, dict, list.
_VALUE_TYPES = ["string", "number", "boolean", "object", "array"]


def is_crew(obj):
    return isinstance(obj, Crew)


class CrewAIAdapter(Adapter):
    framework = "crewai"
    # A crew stopped midway keeps its agents' executors and tasks half-run: the host rebuilds them.
    rebuild_after_interrupt = True
    # CrewAI holds file locks (portalocker, 120 s timeout) around its SQLite writes; a run stopped
    # inside one keeps the lock, and every later crew in the context waited two minutes for it.
    context_survives_interrupt = False

    def input_schema(self, obj, prepared):
        """Every placeholder of the crew's texts is a required input, but those Graft fills."""
        used = {}  # placeholder -> where it appears, in order
        texts = [("agent %d %s" % (i, f), getattr(a, f, None)) for i, a in enumerate(obj.agents, 1)
                 for f in ("role", "goal", "backstory")]
        texts += [("task %d %s" % (i, f), getattr(t, f, None)) for i, t in enumerate(obj.tasks, 1)
                  for f in ("description", "expected_output", "output_file")]
        for where, text in texts:
            for name in _PLACEHOLDER.findall(text or ""):
                if name not in _FILLED:
                    used.setdefault(name, []).append(where)
        inputs = {name: {"type": _VALUE_TYPES, "description": "fills {%s} in %s" % (name, ", ".join(places))}
                  for name, places in used.items()}
        return input_schema(inputs, required=inputs)

    def to_input(self, obj, prepared, task):
        inputs = dict(task["inputs"])
        inputs.setdefault("input", task["input"])
        inputs.setdefault("history", "\n".join("%s: %s" % (m.get("name") or m["role"], m["content"])
                                               for m in task["history"] if m.get("content")))
        return inputs

    def invoke(self, obj, inputs, task):
        llms = _llms(obj)
        before = [dict(llm._token_usage) for llm in llms]
        with bridge.step_limit(int(task["metadata"].get("max_steps", DEFAULT_MAX_STEPS))):
            output = obj.kickoff(inputs=inputs)
        usage = {"input_tokens": 0, "output_tokens": 0, "llm_calls": 0}
        for llm, start in zip(llms, before):
            usage["input_tokens"] += llm._token_usage["prompt_tokens"] - start["prompt_tokens"]
            usage["output_tokens"] += llm._token_usage["completion_tokens"] - start["completion_tokens"]
            usage["llm_calls"] += llm._token_usage["successful_requests"] - start["successful_requests"]
        return output, usage

    def to_result(self, obj, output, task):
        crew_output, usage = output
        messages, executions = [], []
        runtime = runtime_tool_names()
        tasks = []
        for task_output in crew_output.tasks_output:
            requested = {}  # call id -> the assistant's tool call, to pair with its result
            said = [bridge.to_wire(m) for m in task_output.messages
                    # the prompts CrewAI builds from the task are not something an agent said
                    if m.get("role") in ("assistant", "tool")]
            if not said or said[-1]["role"] != "assistant" or not said[-1]["content"]:
                # CrewAI keeps no message for a final answer given without tools
                said.append(bridge.to_wire({"role": "assistant", "content": task_output.raw}))
            for wire in said:
                wire["name"] = task_output.agent
                messages.append(wire)
                requested.update((c["id"], c) for c in wire["tool_calls"])
                call = requested.get(wire["tool_call_id"])
                if wire["role"] == "tool" and call is not None and call["name"] not in runtime:
                    executions.append({"call": call, "result": wire["content"], "error": False})
            tasks.append({"name": task_output.name or task_output.description, "agent": task_output.agent,
                          "output": task_output.raw})
        structured = {"tasks": tasks, "usage": usage}
        if crew_output.json_dict:
            structured["json"] = crew_output.json_dict
        elif crew_output.pydantic is not None:
            structured["json"] = crew_output.pydantic.model_dump(mode="json")
        return result(crew_output.raw, structured=structured, messages=messages, tool_executions=executions,
                      stop_reason="completed")


def _llms(crew):
    """Every distinct BaseLLM of the crew's agents and manager (a shared LLM counts once)."""
    from crewai.llms.base_llm import BaseLLM

    seen = {}
    for holder in [*crew.agents, crew.manager_agent]:
        llm = getattr(holder, "llm", None)
        if isinstance(llm, BaseLLM):
            seen.setdefault(id(llm), llm)
    if isinstance(crew.manager_llm, BaseLLM):
        seen.setdefault(id(crew.manager_llm), crew.manager_llm)
    return list(seen.values())
