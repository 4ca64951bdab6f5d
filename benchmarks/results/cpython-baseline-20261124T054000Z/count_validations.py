import json, os, sys, collections
os.environ["GRAFT_SCRIPTED_MODEL"] = "examples/lcel_chain/scripted.json"
from graft import _local
from graft._host import Host
import pydantic
counts = collections.Counter()
orig = pydantic.BaseModel.__init__
def counting(self, /, **data):
    counts[type(self).__name__] += 1
    orig(self, **data)
pydantic.BaseModel.__init__ = counting
host = Host()
loaded = json.loads(host.load(os.path.abspath("examples/lcel_chain/agent.py"), "a", open("examples/lcel_chain/agent.py").read()))
name = loaded["agents"][0]["name"]
def run(i):
    _local.begin_run()
    return host.run(name, json.dumps({"id": "r%d" % i, "agent": name, "input": "What is 17 * 23 + 4?", "inputs": {}, "history": [], "metadata": {}}))
for i in range(5): run(i)
counts.clear()
run(99)
print(dict(counts), sum(counts.values()))
