"""Builds the GraalPy patch repository Graft's venv build uses (run with the build machine's CPython).

    python3 assemble.py PYTHON_RESOURCES_JAR OUT_DIR

GraalPy's own repository is ``META-INF/resources/libgraalpy/patches`` in the
``org.graalvm.python:python-resources`` jar. OUT_DIR receives its files, its metadata.toml without
the rules of packages graft.toml overrides, and Graft's rules, whose patch files are GraalPy's
patch (less the dropped files' hunks) followed by Graft's patch.
"""

import re
import shutil
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def drop_files(patch_text, files):
    """The patch without the per-file sections of ``files``."""
    sections = re.split(r"(?=^diff --git )", patch_text, flags=re.M)
    kept = []
    for section in sections:
        header = section.split("\n", 1)[0]
        if header.startswith("diff --git") and any(header.endswith(" b/" + f) for f in files):
            continue
        kept.append(section)
    return "".join(kept)


def without_sections(metadata, packages):
    """metadata.toml text without the ``[[<package>.rules]]`` tables of ``packages``."""
    out, skipping = [], False
    for line in metadata.splitlines(keepends=True):
        header = re.match(r"^\[\[([^\].]+)\.rules\]\]", line)
        if header:
            skipping = header.group(1) in packages
        elif line.startswith("[") and not line.startswith("[["):
            skipping = False
        if not skipping:
            out.append(line)
    return "".join(out)


BUNDLED = "META-INF/resources/libgraalpy/patches/"


def main(jar, out_dir):
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(jar) as archive:
            members = [m for m in archive.namelist() if m.startswith(BUNDLED) and not m.endswith("/")]
            if not members:
                raise SystemExit("%s holds no GraalPy patch repository (%s)" % (jar, BUNDLED))
            archive.extractall(tmp, members)
        assemble(Path(tmp) / BUNDLED, Path(out_dir))


def assemble(bundled_dir, out_dir):
    rules = tomllib.loads((HERE / "graft.toml").read_text())
    staging = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(bundled_dir, staging)
    metadata = without_sections((bundled_dir / "metadata.toml").read_text(), set(rules))
    for package, entries in rules.items():
        for rule in entries:
            text = ""
            if "bundled" in rule:
                text = drop_files((bundled_dir / rule["bundled"]).read_text(), rule.get("drop", []))
            text += (HERE / rule["patch"]).read_text()
            name = "graft-" + rule["patch"]
            (staging / name).write_text(text)
            metadata += "\n[[%s.rules]]\nversion = '%s'\npatch = '%s'\nlicense = '%s'\n" % (
                package, rule["version"], name, rule["license"])
            if "dist-type" in rule:
                metadata += "dist-type = '%s'\n" % rule["dist-type"]
    (staging / "metadata.toml").write_text(metadata)
    shutil.rmtree(out_dir, ignore_errors=True)
    staging.rename(out_dir)


if __name__ == "__main__":
    main(*sys.argv[1:])
