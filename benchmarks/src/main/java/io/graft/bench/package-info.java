/** JMH benchmarks and load drivers; every performance claim in docs/performance.md comes from here. */
package io.graft.bench;
