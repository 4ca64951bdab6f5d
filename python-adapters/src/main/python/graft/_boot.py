"""Run by the Java host once in each new context: hands it the host object."""

import polyglot

from graft._host import host

polyglot.export_value("graft_host", host)
