package io.graft.nativecore;

import io.graft.core.memory.Embedder;
import io.graft.core.memory.MemoryStore;
import java.nio.file.Path;

class FfmMemoryStoreTest extends MemoryStoreContract {
    @Override
    MemoryStore open(Path dir, Embedder embedder) {
        return NativeMemoryStore.builder(dir, embedder).binding(NativeBinding.FFM).open();
    }

    @Override
    NativeBinding binding() {
        return NativeBinding.FFM;
    }
}
