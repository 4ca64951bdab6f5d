/** Chat models: the SPI every framework reaches through, its messages, and the embedded scripted model. */
@NullMarked
package io.graft.core.model;

import org.jspecify.annotations.NullMarked;
