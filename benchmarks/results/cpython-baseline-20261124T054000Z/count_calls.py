"""Counts, in one warm LCEL run on CPython, the pydantic validations (per model) and the uuid7 calls.
Run from the repository root: PYTHONPATH=python-adapters/src/main/python <cpython> THIS_FILE"""
import collections, json, os
os.environ["GRAFT_SCRIPTED_MODEL"] = "examples/lcel_chain/scripted.json"
import pydantic
import uuid_utils.compat as uuid_compat

counts = collections.Counter()


def counted(label, fn):
    def wrapper(*args, **kwargs):
        counts[label(args)] += 1
        return fn(*args, **kwargs)
    return wrapper


# Patched before LangChain is imported, so that its `from uuid_utils.compat import uuid7` gets the wrapper.
pydantic.BaseModel.__init__ = counted(lambda a: "validate " + type(a[0]).__name__, pydantic.BaseModel.__init__)
uuid_compat.uuid7 = counted(lambda a: "uuid7", uuid_compat.uuid7)

from graft import _local
from graft._host import Host

host = Host()
script = "examples/lcel_chain/agent.py"
name = json.loads(host.load(os.path.abspath(script), "a", open(script).read()))["agents"][0]["name"]


def run(i):
    _local.begin_run()
    host.run(name, json.dumps({"id": "r%d" % i, "agent": name, "input": "What is 17 * 23 + 4?", "inputs": {},
                               "history": [], "metadata": {}}))


for i in range(5):
    run(i)
counts.clear()
run(99)
print(dict(counts))
