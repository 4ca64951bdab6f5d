/** Native Java agents. */
@NullMarked
package io.graft.core.agents;

import org.jspecify.annotations.NullMarked;
