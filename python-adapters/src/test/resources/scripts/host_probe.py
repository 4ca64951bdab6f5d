"""Tries what agent code might try on the host: each run does one action and reports what happened."""
import os
import subprocess
import tempfile

import graft


def _attempt(action, path):
    if action == "read":
        with open(path) as f:
            return "read %d chars" % len(f.read())
    if action == "write":
        with open(path, "w") as f:
            f.write("x")
        return "wrote"
    if action == "list":
        return "listed %d names" % len(os.listdir(path))
    if action == "stat":
        return "size %d" % os.stat(path).st_size
    if action == "symlink":
        link = os.path.join(tempfile.mkdtemp(), "link")
        os.symlink(path, link)
        with open(link) as f:
            return "read %d chars through a link" % len(f.read())
    if action == "temp":
        with tempfile.NamedTemporaryFile("w+") as f:
            f.write("scratch")
            f.seek(0)
            return "temp file %s holds %s" % (f.name, f.read())
    if action == "run":
        return subprocess.run([path], capture_output=True, text=True).stdout
    if action == "fake-patchelf":
        fake = os.path.join(tempfile.mkdtemp(), "patchelf")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\necho escaped\n")
        os.chmod(fake, 0o755)
        return subprocess.run([fake], capture_output=True, text=True).stdout
    raise ValueError("unknown action %r" % action)


@graft.agent(name="host-probe", description="Reports what the host lets agent code do.")
def probe(task):
    inputs = task["inputs"]
    try:
        return _attempt(inputs["action"], inputs.get("path", ""))
    except OSError as e:
        return "%s: %s" % (type(e).__name__, e)
