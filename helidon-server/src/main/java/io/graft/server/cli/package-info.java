/** The command line: {@code graft run}, {@code graft demo}, {@code graft serve}. */
@NullMarked
package io.graft.server.cli;

import org.jspecify.annotations.NullMarked;
