package io.graft.server.http;

import io.graft.server.http.RunStore.ProviderUse;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The usage of the runs that end in one transaction of the store's writer, summed per tenant,
 * minute, agent and provider and added to {@code usage_minutes} once, just before the transaction
 * commits: one row written per commit (per key) instead of one per run.
 *
 * <p>A usage row per run, with its index, was two more trees for every commit to write and two
 * more inserts per run on the one writer, and, kept after retention deleted its run, it pinned
 * the chunk it was written in. Without them a native server wrote 7% fewer bytes per run; its
 * runs per second moved within the noise (1.04x), and 1.16x with a retention of 1m
 * (benchmarks/results/usage-minutes-20261207). A usage query reads one row per minute instead
 * of one per run.
 *
 * <p>Only the writer's thread uses it, inside its transactions ({@link GroupCommit.Gathering}).
 */
final class UsageByMinute implements GroupCommit.Gathering {
    private record Key(String tenant, Instant minute, String agent, String provider) {}

    private static final class Sum {
        long runs;
        long providerRuns;
        long calls;
        long inputTokens;
        long outputTokens;
        double costUsd;
    }

    private final Map<Key, Sum> sums = new LinkedHashMap<>();

    /**
     * Adds the usage of a run that ended at {@code finishedAt}. The run counts once in
     * {@code runs}, under its provider that sorts first, and once in {@code provider_runs} of each
     * provider it called, so that summing either over any grouping counts each run once.
     */
    void add(String tenant, String agent, Instant finishedAt, List<ProviderUse> usage) {
        if (usage.isEmpty()) {
            return;
        }
        Instant minute = RunStore.minuteStart(finishedAt);
        String first = usage.stream().map(ProviderUse::provider).min(Comparator.naturalOrder()).orElseThrow();
        for (ProviderUse u : usage) {
            Sum sum = sums.computeIfAbsent(new Key(tenant, minute, agent, u.provider()), k -> new Sum());
            sum.runs += u.provider().equals(first) ? 1 : 0;
            sum.providerRuns++;
            sum.calls += u.calls();
            sum.inputTokens += u.inputTokens();
            sum.outputTokens += u.outputTokens();
            sum.costUsd += u.costUsd();
        }
    }

    @Override
    public void begin() {
        sums.clear();
    }

    @Override
    public void beforeCommit(StoreSession s) throws SQLException {
        for (var e : sums.entrySet()) {
            Key k = e.getKey();
            Sum v = e.getValue();
            s.update(MERGE, k.tenant(), k.minute().atOffset(ZoneOffset.UTC), k.agent(), k.provider(), v.runs, v.providerRuns,
                    v.calls, v.inputTokens, v.outputTokens, v.costUsd);
        }
        sums.clear();
    }

    private static final String MERGE = """
            merge into usage_minutes t using (values (cast(? as varchar), cast(? as timestamp(0) with time zone),
              cast(? as varchar), cast(? as varchar), cast(? as bigint), cast(? as bigint), cast(? as bigint),
              cast(? as bigint), cast(? as bigint), cast(? as double precision)))
              v(tenant, starts_at, agent, provider, runs, provider_runs, calls, input_tokens, output_tokens, cost_usd)
            on t.tenant = v.tenant and t.starts_at = v.starts_at and t.agent = v.agent and t.provider = v.provider
            when matched then update set runs = t.runs + v.runs, provider_runs = t.provider_runs + v.provider_runs,
              calls = t.calls + v.calls, input_tokens = t.input_tokens + v.input_tokens,
              output_tokens = t.output_tokens + v.output_tokens, cost_usd = t.cost_usd + v.cost_usd
            when not matched then insert (tenant, starts_at, agent, provider, runs, provider_runs, calls, input_tokens,
              output_tokens, cost_usd) values (v.tenant, v.starts_at, v.agent, v.provider, v.runs, v.provider_runs,
              v.calls, v.input_tokens, v.output_tokens, v.cost_usd)""";
}
