/** Assembles the runtime (native agents, Python frameworks) and serves it: the CLI now, the HTTP API next. */
@NullMarked
package io.graft.server;

import org.jspecify.annotations.NullMarked;
