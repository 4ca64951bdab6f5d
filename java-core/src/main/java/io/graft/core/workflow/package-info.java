/**
 * Coordination patterns over registered agents of any framework: pipeline, parallel with an
 * aggregator, debate, supervisor. Plain classes over {@link io.graft.core.AgentRuntime}; no HTTP.
 */
@NullMarked
package io.graft.core.workflow;

import org.jspecify.annotations.NullMarked;
