"""Run by the Java host once in each new context: hands it the host object."""

import os
import warnings

import polyglot

# CrewAI and OpenTelemetry would send telemetry and traces over the network; agents hosted by
# Graft report through Graft's metrics instead. A user who sets these variables keeps their value.
for name, value in (("CREWAI_DISABLE_TELEMETRY", "true"), ("CREWAI_TRACING_ENABLED", "false"),
                    ("OTEL_SDK_DISABLED", "true")):
    os.environ.setdefault(name, value)

# urllib3 warns on import that GraalPy's ssl module is backed by Java's JSSE rather than
# OpenSSL; TLS works, and the warning would otherwise print once per context.
warnings.filterwarnings("ignore", message="urllib3 v2 only supports OpenSSL")

from graft._host import host  # noqa: E402

polyglot.export_value("graft_host", host)
