import json, os, sys, time
script, scripted, text, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
os.environ["GRAFT_SCRIPTED_MODEL"] = scripted
from graft import _local
from graft._host import Host
host = Host()
with open(script) as f:
    loaded = json.loads(host.load(os.path.abspath(script), "bench_agent", f.read()))
name = loaded["agents"][0]["name"]
start = time.time(); i = 0; window = []
while time.time() - start < seconds:
    _local.begin_run()
    task = {"id": "p-%d" % i, "agent": name, "input": text, "inputs": {}, "history": [], "metadata": {}}
    t0 = time.perf_counter_ns()
    a = json.loads(host.run(name, json.dumps(task)))
    window.append(time.perf_counter_ns() - t0)
    if "error" in a: raise SystemExit(a["error"])
    i += 1
    if len(window) == 500:
        window.sort(); print("t=%.0fs runs=%d p50=%.2fms" % (time.time()-start, i, window[250]/1e6), flush=True); window = []
