package io.graft.nativecore;

import java.util.Locale;

/** How Java reaches the native library. */
public enum NativeBinding {
    /** java.lang.foreign: the fastest; needs native access enabled (it is by default, with a warning). */
    FFM,
    /** JNA: the fallback where FFM is unavailable, or on request. */
    JNA;

    /** The system property that forces a binding: {@code -Dgraft.native.binding=jna}. */
    public static final String PROPERTY = "graft.native.binding";

    /** FFM unless the property asks for JNA or the JVM has no FFM linker. */
    public static NativeBinding select() {
        String asked = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        return switch (asked) {
            case "jna" -> JNA;
            case "ffm" -> FFM;
            case "" -> ffmAvailable() ? FFM : JNA;
            default -> throw new NativeException(NativeException.INVALID_ARGUMENT,
                    PROPERTY + " must be ffm or jna, was '" + asked + "'");
        };
    }

    private static boolean ffmAvailable() {
        try {
            java.lang.foreign.Linker.nativeLinker();
            return true;
        } catch (UnsupportedOperationException | LinkageError e) {
            return false;
        }
    }

    NativeApi api() {
        return this == FFM ? FfmApi.INSTANCE : JnaApi.INSTANCE;
    }
}
