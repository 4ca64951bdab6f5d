"""Cost of single operations that an LCEL run repeats, on the Python that runs this file.

The warm profile of the LCEL chain on Graft (docs/performance.md) puts most of a run in a few kinds
of operation: pydantic models validated by pydantic-core (a native extension), run ids from
uuid-utils (another one), LangSmith's context variables and LangChain's environment checks. This
probe times each one alone, warm, so that GraalPy and CPython can be compared per operation.

    python operation_probe.py [SECONDS_PER_OPERATION]      # CPython: prints JSON
    ./graft run operation_probe.py --input SECONDS --model scripted:... --timeout N  # inside Graft

Each operation runs in a loop for the given time (default 20 s) to warm up, then for as long again
measured, in rounds of 1,000 calls; the result is the median of the rounds' time per call.
"""

import contextvars
import json
import os
import sys
import time
import uuid

from langchain_core.messages import AIMessage, HumanMessage
from langsmith.run_helpers import get_tracing_context
from uuid_utils.compat import uuid7

_VAR = contextvars.ContextVar("probe", default=None)


def _fib(n):
    return n if n < 2 else _fib(n - 1) + _fib(n - 2)


class _Plain:
    def __init__(self, content):
        self.content = content
        self.type = "human"


OPERATIONS = {
    # pure Python, no native extension: where a JIT should win
    "python: fib(15)": lambda: _fib(15),
    "python: plain object": lambda: _Plain("What is 17 * 23 + 4?"),
    # pydantic-core (native extension through GraalPy's C API emulation)
    "pydantic: HumanMessage(content=...)": lambda: HumanMessage(content="What is 17 * 23 + 4?"),
    "pydantic: AIMessage(content=...)": lambda: AIMessage(content="391"),
    # model_construct skips validation, but asks inspect.signature of each default factory it uses
    "pydantic: AIMessage.model_construct, factory defaults": lambda: AIMessage.model_construct(content="391"),
    "pydantic: AIMessage.model_construct, every factory field given": lambda: AIMessage.model_construct(
        content="391", additional_kwargs={}, response_metadata={}, tool_calls=[], invalid_tool_calls=[]),
    # uuid-utils (native extension), as LangChain makes run ids; the standard library for comparison
    "uuid_utils.compat.uuid7()": uuid7,
    "uuid.uuid4() (standard library)": uuid.uuid4,
    # what LangChain and LangSmith look up on every run
    "ContextVar.get": _VAR.get,
    "langsmith get_tracing_context()": get_tracing_context,
    "os.environ.get": lambda: os.environ.get("LANGCHAIN_TRACING_V2"),
}


def measure(seconds):
    out = {}
    for name, op in OPERATIONS.items():
        rounds = []
        for phase in ("warm", "measure"):
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                t0 = time.perf_counter_ns()
                for _ in range(1000):
                    op()
                if phase == "measure":
                    rounds.append((time.perf_counter_ns() - t0) / 1000)
        rounds.sort()
        out[name] = round(rounds[len(rounds) // 2], 1)
    return out


try:
    import graft
except ImportError:  # CPython, outside Graft
    graft = None

if graft is not None:
    @graft.agent(name="operation-probe", description="Times single operations; the input is seconds per operation.")
    def probe(task):
        seconds = float(task["input"] or 20)
        return {"python": sys.implementation.name, "ns_per_call": measure(seconds)}

if __name__ == "__main__":
    print(json.dumps({"python": sys.implementation.name,
                      "ns_per_call": measure(float(sys.argv[1]) if len(sys.argv) > 1 else 20)}, indent=1))
