/** Tools agents can call: the SPI, a registry, and the built-in tools. */
@NullMarked
package io.graft.core.tool;

import org.jspecify.annotations.NullMarked;
