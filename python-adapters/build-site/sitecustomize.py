"""Imported by the GraalPy processes of `./graft build` only: the launcher puts this directory on
PYTHONPATH while it builds the venv (docs/python-runtime.md#the-graalpy-that-builds-the-venv).

GraalPy's pip auto-patches C API usages in what it installs. After each wheel it walks the whole
site-packages directory and reads, and runs its rewrite rules over, every file whose *path*
contains ".c", ".h" or ".inc". Graft's venv lives under ~/.cache, so every path matches: installing
graalpy.lock read all of site-packages once per wheel (30 s per pass when complete, about 8 minutes
of a first build). The replacement below walks the same tree and patches the same kinds of files,
but tests the file's name, which is what the test is for.
"""
import sys

if sys.implementation.name == "graalpy":
    try:
        import autopatch_capi
    except ImportError:  # a GraalPy without pip's auto-patcher: nothing to fix
        pass
    else:
        import os

        def _auto_patch_tree(location, dryrun=False):
            if os.path.isfile(location):
                autopatch_capi.auto_patch(location, dryrun)
                return
            for root, _dirs, files in os.walk(location):
                for name in files:
                    if ".c" in name or ".h" in name or ".inc" in name:
                        autopatch_capi.auto_patch(os.path.join(root, name), dryrun)

        autopatch_capi.auto_patch_tree = _auto_patch_tree
