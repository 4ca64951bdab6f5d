package io.graft.bench;

import io.graft.core.model.ChatMessage;
import io.graft.core.model.ChatModel;
import io.graft.core.model.ChatRequest;
import io.graft.core.model.ChatResponse;
import io.graft.core.model.Usage;
import io.graft.core.provider.CircuitBreaker;
import io.graft.core.provider.Endpoint;
import io.graft.core.provider.OpenAiChatModel;
import io.graft.core.provider.ProviderRouter;
import io.graft.core.provider.ProviderTarget;
import io.graft.core.provider.RoutingPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the router adds to one model call: the OpenAI client calling a loopback provider directly
 * vs through a {@link ProviderRouter} (priority policy over that provider and a second one, breaker,
 * concurrency limit and metrics on); and the same pair over an in-process model that answers at
 * once, which isolates the router's own work from socket noise.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 5, time = 3)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RouterOverheadBenchmark {
    private LoopbackProvider primary;
    private LoopbackProvider secondary;
    private OpenAiChatModel client;
    private ProviderRouter router;
    private ChatModel instant;
    private ProviderRouter instantRouter;
    private final ChatRequest request = ChatRequest.of(List.of(ChatMessage.system("You are brief."), ChatMessage.user("What is 17 * 23 + 4?")));

    @Setup
    public void setUp() {
        primary = new LoopbackProvider(0);
        secondary = new LoopbackProvider(0);
        client = new OpenAiChatModel(Endpoint.of("primary", primary.base()), "loop");
        OpenAiChatModel backup = new OpenAiChatModel(Endpoint.of("secondary", secondary.base()), "loop");
        router = ProviderRouter.builder()
                .target(ProviderTarget.of("primary", "loop", client).withLimits(256, CircuitBreaker.Settings.DEFAULT))
                .target(ProviderTarget.of("secondary", "loop", backup))
                .policy(RoutingPolicy.priority("main", List.of("primary/loop", "secondary/loop")))
                .build();
        router.bindTo(new SimpleMeterRegistry());
        ChatResponse fixed = new ChatResponse(ChatMessage.assistant("395"), new Usage(20, 2), "instant", "stop");
        instant = new ChatModel() {
            @Override
            public ChatResponse chat(ChatRequest r) {
                return fixed;
            }

            @Override
            public String name() {
                return "instant";
            }
        };
        instantRouter = ProviderRouter.builder()
                .target(ProviderTarget.of("instant", "m", instant).withPrice(new ProviderTarget.Price(0.15, 0.6)))
                .policy(RoutingPolicy.priority("main", List.of("instant/m")))
                .build();
        instantRouter.bindTo(new SimpleMeterRegistry());
    }

    @TearDown
    public void tearDown() {
        router.close();
        instantRouter.close();
        primary.close();
        secondary.close();
    }

    @Benchmark
    public ChatResponse loopbackDirect() {
        return client.chat(request);
    }

    @Benchmark
    public ChatResponse loopbackRouted() {
        return router.chat(request);
    }

    @Benchmark
    public ChatResponse inProcessDirect() {
        return instant.chat(request);
    }

    @Benchmark
    public ChatResponse inProcessRouted() {
        return instantRouter.chat(request);
    }

}
