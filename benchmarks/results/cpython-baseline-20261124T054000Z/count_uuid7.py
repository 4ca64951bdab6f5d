import json, os, sys, collections
os.environ["GRAFT_SCRIPTED_MODEL"] = "examples/lcel_chain/scripted.json"
from graft import _local
from graft._host import Host
import uuid_utils.compat as c
n = [0]
orig = c.uuid7
def counting(*a, **k):
    n[0] += 1
    return orig(*a, **k)
c.uuid7 = counting
import langchain_core.utils.uuid as lu
print("langchain_core uuid7 uses", lu.__dict__.get("_uuid_utils_uuid7", None), [k for k in lu.__dict__ if "uuid" in k.lower()])
host = Host()
loaded = json.loads(host.load(os.path.abspath("examples/lcel_chain/agent.py"), "a", open("examples/lcel_chain/agent.py").read()))
name = loaded["agents"][0]["name"]
def run(i):
    _local.begin_run()
    return host.run(name, json.dumps({"id": "r%d" % i, "agent": name, "input": "What is 17 * 23 + 4?", "inputs": {}, "history": [], "metadata": {}}))
for i in range(3): run(i)
n[0] = 0
run(99)
print("uuid7 calls per run", n[0])
