/** The HTTP API: Helidon SE services over the agent runtime, with runs stored through JDBC. */
@NullMarked
package io.graft.server.http;

import org.jspecify.annotations.NullMarked;
