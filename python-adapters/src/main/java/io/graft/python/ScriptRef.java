package io.graft.python;

import java.nio.file.Path;

/**
 * A loaded agent script at one version. Contexts import scripts lazily and re-import when the
 * version changes, so a replaced script reaches every context without a restart.
 *
 * @param module the module name the script is imported under, unique per path
 */
record ScriptRef(Path path, String module, long version) {}
