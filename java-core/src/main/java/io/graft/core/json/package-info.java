/** The one JSON mapper Graft uses for its wire formats. */
@NullMarked
package io.graft.core.json;

import org.jspecify.annotations.NullMarked;
