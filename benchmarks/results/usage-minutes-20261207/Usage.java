import java.sql.*;
import java.nio.file.*;
import java.time.OffsetDateTime;
/** Writer cost per run: mode "rows" (a usage row per run in each commit), "inrow" (usage bytes in the run row only),
 *  "agg" (one MERGE of a per-minute sum per commit, as the server now does),
 *  "batch" (usage bytes in the run row, usage rows inserted every 2048 runs in one commit). Group of 32 runs per commit. */
public class Usage {
  public static void main(String[] a) throws Exception {
    String mode = a[0]; int runs = Integer.parseInt(a[1]); int group = Integer.parseInt(a[2]);
    Path dir = Files.createTempDirectory("usage");
    String url = "jdbc:h2:file:" + dir + "/db;WRITE_DELAY=0;CACHE_SIZE=65536";
    byte[] result = "{\"output\":\"17 * 23 + 4 = 395.\",\"status\":\"COMPLETED\"}".getBytes();
    byte[] events = ("1\trun.started\t{\"agent\":\"calculator-native\",\"framework\":\"native\"}\n".repeat(1)
        + "2\tllm.turn\t{\"provider\":\"scripted\",\"tool_calls\":[{\"name\":\"calculator\"}]}\n3\ttool.call\t{\"name\":\"calculator\",\"args\":{\"expression\":\"17 * 23 + 4\"}}\n"
        + "4\ttool.result\t{\"name\":\"calculator\",\"output\":\"395\"}\n5\tllm.turn\t{\"provider\":\"scripted\"}\n6\tmessage\t{\"role\":\"assistant\",\"content\":\"17 * 23 + 4 = 395.\"}\n7\trun.finished\t{\"status\":\"COMPLETED\"}").getBytes();
    byte[] usageBytes = "scripted:/work/main/examples/native_react/scripted.json\t2\t49\t15\t0.0".getBytes();
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      Statement s = c.createStatement();
      s.execute("create table runs (id varchar(64) primary key, tenant varchar(200) not null, agent varchar(200) not null, framework varchar(32) not null, status varchar(16) not null, thread_id varchar(200) not null, input varchar not null, created_at timestamp(6) with time zone not null, finished_at timestamp(6) with time zone, result_utf8 varbinary, events_utf8 varbinary, usage_utf8 varbinary)");
      s.execute("create index runs_by_tenant on runs(tenant, created_at)");
      s.execute("create table run_usage (run_id varchar(64) not null, provider varchar(200) not null, tenant varchar(200) not null, agent varchar(200) not null, finished_at timestamp(6) with time zone not null, calls int not null, input_tokens bigint not null, output_tokens bigint not null, cost_usd double precision not null)");
      s.execute("create index run_usage_by_tenant on run_usage(tenant, finished_at)");
      s.execute("create table usage_minutes (tenant varchar(200) not null, starts_at timestamp(0) with time zone not null, agent varchar(200) not null, provider varchar(200) not null, runs bigint not null, provider_runs bigint not null, calls bigint not null, input_tokens bigint not null, output_tokens bigint not null, cost_usd double precision not null, primary key (tenant, starts_at, agent, provider))");
      PreparedStatement m = c.prepareStatement("merge into usage_minutes t using (values (cast(? as varchar), cast(? as timestamp(0) with time zone), cast(? as varchar), cast(? as varchar), cast(? as bigint), cast(? as bigint), cast(? as bigint), cast(? as bigint), cast(? as bigint), cast(? as double precision))) v(tenant, starts_at, agent, provider, runs, provider_runs, calls, input_tokens, output_tokens, cost_usd) on t.tenant = v.tenant and t.starts_at = v.starts_at and t.agent = v.agent and t.provider = v.provider when matched then update set runs = t.runs + v.runs, provider_runs = t.provider_runs + v.provider_runs, calls = t.calls + v.calls, input_tokens = t.input_tokens + v.input_tokens, output_tokens = t.output_tokens + v.output_tokens, cost_usd = t.cost_usd + v.cost_usd when not matched then insert values (v.tenant, v.starts_at, v.agent, v.provider, v.runs, v.provider_runs, v.calls, v.input_tokens, v.output_tokens, v.cost_usd)");
      int agg = 0;
      c.setAutoCommit(false);
      PreparedStatement p = c.prepareStatement("insert into runs values (?,?,?,?,?,?,?,?,?,?,?,?)");
      PreparedStatement u = c.prepareStatement("insert into run_usage values (?,?,?,?,?,?,?,?,?)");
      java.util.List<Object[]> pending = new java.util.ArrayList<>();
      long t0 = System.nanoTime(), mark = t0; int lastI = 0;
      for (int i = 0; i < runs; i++) {
        OffsetDateTime now = OffsetDateTime.now();
        String id = String.format("%016x-%s", System.currentTimeMillis() << 16 | (i & 0xffff), java.util.UUID.randomUUID().toString().substring(0, 18));
        p.setString(1, id); p.setString(2, "default"); p.setString(3, "calculator-native"); p.setString(4, "native"); p.setString(5, "COMPLETED");
        p.setString(6, "t-" + i); p.setString(7, "What is 17 * 23 + 4?"); p.setObject(8, now); p.setObject(9, now); p.setBytes(10, result); p.setBytes(11, events);
        p.setBytes(12, mode.equals("rows") ? null : usageBytes); p.executeUpdate();
        if (mode.equals("rows")) insert(u, id, now);
        else if (mode.equals("batch")) pending.add(new Object[] {id, now});
        if (mode.equals("agg")) agg++;
        if ((i + 1) % group == 0) {
          if (agg > 0) { OffsetDateTime mi = now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES); m.setString(1, "default"); m.setObject(2, mi); m.setString(3, "calculator-native"); m.setString(4, "scripted:/work/main/examples/native_react/scripted.json"); m.setLong(5, agg); m.setLong(6, agg); m.setLong(7, 2L * agg); m.setLong(8, 49L * agg); m.setLong(9, 15L * agg); m.setDouble(10, 0.0); m.executeUpdate(); agg = 0; }
          c.commit();
        }
        if (mode.equals("batch") && pending.size() >= 2048) {
          for (Object[] r : pending) { setUsage(u, (String) r[0], (OffsetDateTime) r[1]); u.addBatch(); }
          u.executeBatch(); c.commit(); pending.clear();
        }
        if ((i + 1) % 100000 == 0) { long t = System.nanoTime(); System.out.printf("%s %d runs: %.2f us/run (last 100k), file %.1f MB%n", mode, i + 1, (t - mark) / 1e3 / (i + 1 - lastI), Files.size(dir.resolve("db.mv.db")) / 1e6); mark = t; lastI = i + 1; }
      }
      System.out.printf("%s total %.2f us/run%n", mode, (System.nanoTime() - t0) / 1e3 / runs);
    }
  }
  static void setUsage(PreparedStatement u, String id, OffsetDateTime now) throws SQLException {
    u.setString(1, id); u.setString(2, "scripted:/work/main/examples/native_react/scripted.json"); u.setString(3, "default"); u.setString(4, "calculator-native"); u.setObject(5, now); u.setInt(6, 2); u.setLong(7, 49); u.setLong(8, 15); u.setDouble(9, 0.0);
  }
  static void insert(PreparedStatement u, String id, OffsetDateTime now) throws SQLException { setUsage(u, id, now); u.executeUpdate(); }
}
