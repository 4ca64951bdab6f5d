"""Run by the Java host once in each new context: hands it the host object."""

import warnings

import polyglot

# urllib3 warns on import that GraalPy's ssl module is backed by Java's JSSE rather than
# OpenSSL; TLS works, and the warning would otherwise print once per context.
warnings.filterwarnings("ignore", message="urllib3 v2 only supports OpenSSL")

from graft._host import host  # noqa: E402

polyglot.export_value("graft_host", host)
