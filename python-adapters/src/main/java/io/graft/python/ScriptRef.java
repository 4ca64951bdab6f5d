package io.graft.python;

import java.nio.file.Path;

/**
 * A loaded agent script at one version. Contexts import scripts lazily and re-import when the
 * version changes, so a replaced script reaches every context without a restart. The text is
 * kept, so a context started later runs the version that was checked, whatever the file holds now.
 *
 * @param module the module name the script is imported under, unique per path
 * @param source the script's text as it was loaded
 */
record ScriptRef(Path path, String module, long version, String source) {}
