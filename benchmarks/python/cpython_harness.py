"""Runs one Graft agent script under CPython with the same scripted model and tools, and prints
its per-run latency samples and the measured loop's wall time as JSON. The baseline for the Graft/CPython ratio.

    python cpython_harness.py SCRIPT SCRIPTED.json INPUT WARMUP_RUNS MEASURED_RUNS

The script is loaded by the same ``graft._host`` code Graft uses; outside GraalPy, ``graft``
serves the model and tools from its local Python backend.
"""

import json
import os
import sys
import time


def main():
    script, scripted, text, warmup, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    os.environ["GRAFT_SCRIPTED_MODEL"] = scripted
    from graft import _local
    from graft._host import Host

    host = Host()
    with open(script) as f:
        loaded = json.loads(host.load(os.path.abspath(script), "bench_agent", f.read()))
    if "error" in loaded:
        raise SystemExit("cannot load %s: %s" % (script, loaded["error"]))
    name = loaded["agents"][0]["name"]

    def run(i):
        _local.begin_run()
        task = {"id": "cpython-%d" % i, "agent": name, "input": text, "inputs": {}, "history": [], "metadata": {}}
        answer = json.loads(host.run(name, json.dumps(task)))
        if "error" in answer:
            raise SystemExit("run failed: %s" % answer["error"])
        return answer

    for i in range(warmup):
        run(i)
    samples = []
    start = time.perf_counter_ns()
    for i in range(runs):
        t0 = time.perf_counter_ns()
        run(warmup + i)
        samples.append(time.perf_counter_ns() - t0)
    elapsed = time.perf_counter_ns() - start
    print(json.dumps({"python": sys.version.split()[0], "samples_ns": samples, "elapsed_ns": elapsed}))


if __name__ == "__main__":
    main()
