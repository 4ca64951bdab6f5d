"""Run by the Java host once in each new context: hands it the host object."""

import os
import warnings

import polyglot

# CrewAI and OpenTelemetry would send telemetry and traces over the network; agents hosted by
# Graft report through Graft's metrics instead. A user who sets these variables keeps their value.
for name, value in (("CREWAI_DISABLE_TELEMETRY", "true"), ("CREWAI_TRACING_ENABLED", "false"),
                    ("OTEL_SDK_DISABLED", "true")):
    os.environ.setdefault(name, value)

# CrewAI keeps SQLite files (the kickoff outputs `crewai replay` reads, flow state) under a data
# directory named by CREWAI_STORAGE_DIR. Contexts must not share them: each context loads its own
# copy of SQLite (IsolateNativeModules), and SQLite's POSIX locks are per process, so copies in one
# process cannot see each other's locks (SQLite documents this as a way to corrupt a database). Each
# context gets its own directory, removed with the context; an absolute name is used as is.
os.environ["CREWAI_STORAGE_DIR"] = os.path.join(os.environ["GRAFT_CONTEXT_DIR"], "crewai")

# A fresh data directory makes every context a "first execution" to CrewAI, which then registers
# its trace listener's ~100 event handlers in case first-time traces are to be collected (they are
# not: tracing is off above), and each of them is dispatched on every event of every kickoff. The
# user-data file records what `crewai traces disable` records: first execution done, no consent.
os.makedirs(os.environ["CREWAI_STORAGE_DIR"], exist_ok=True)
with open(os.path.join(os.environ["CREWAI_STORAGE_DIR"], ".crewai_user.json"), "w") as f:
    f.write('{"first_execution_done": true, "trace_consent": false}')

# urllib3 warns on import that GraalPy's ssl module is backed by Java's JSSE rather than
# OpenSSL; TLS works, and the warning would otherwise print once per context.
warnings.filterwarnings("ignore", message="urllib3 v2 only supports OpenSSL")

# GraalPy frees a dropped sqlite3 cursor only when its GC runs, and a "closed" connection with a
# live statement keeps the database locked (see graft._sqlite).
from graft import _sqlite  # noqa: E402

_sqlite.install()

from graft._host import host  # noqa: E402

polyglot.export_value("graft_host", host)
