package io.graft.nativecore;

import io.graft.core.memory.Embedder;
import io.graft.core.memory.MemoryStore;
import java.nio.file.Path;

class JnaMemoryStoreTest extends MemoryStoreContract {
    @Override
    MemoryStore open(Path dir, Embedder embedder) {
        return NativeMemoryStore.builder(dir, embedder).binding(NativeBinding.JNA).open();
    }

    @Override
    NativeBinding binding() {
        return NativeBinding.JNA;
    }
}
