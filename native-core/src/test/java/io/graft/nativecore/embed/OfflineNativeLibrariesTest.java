package io.graft.nativecore.embed;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Guards the promise that the default embedder works offline: everything it loads ships in jars,
 * and the ONNX Runtime build on the class path has no telemetry uploader (1.29 added one on Linux).
 */
class OfflineNativeLibrariesTest {
    private static final String LINUX_X64 = "/ai/onnxruntime/native/linux-x64/";

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OfflineNativeLibrariesTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " must be on the class path");
            return in.readAllBytes();
        }
    }

    @Test
    void theModelTheVocabularyAndTheLinuxNativeLibrariesShipInJars() throws IOException {
        assertTrue(resource("/all-minilm-l6-v2.onnx").length > 80_000_000, "the full-precision model");
        assertTrue(resource("/all-minilm-l6-v2-tokenizer.json").length > 500_000, "the 30522-word vocabulary");
        assertTrue(resource(LINUX_X64 + "libonnxruntime.so").length > 1_000_000);
        assertTrue(resource(LINUX_X64 + "libonnxruntime4j_jni.so").length > 10_000);
    }

    @Test
    void theOnnxRuntimeLibraryHasNoTelemetryUploader() throws IOException {
        String library = new String(resource(LINUX_X64 + "libonnxruntime.so"), StandardCharsets.ISO_8859_1);
        assertFalse(library.contains("OneCollector"), "ONNX Runtime would upload telemetry; keep it at 1.28");
        assertFalse(library.contains("events.data.microsoft.com"), "ONNX Runtime would upload telemetry");
    }
}
