import java.sql.*;
import java.util.*;
public class Amp {
  static byte[] pack(byte[] in, String mode) {
    if (mode.equals("lzf")) return org.h2.tools.CompressTool.getInstance().compress(in, "LZF");
    if (mode.equals("deflate")) { java.util.zip.Deflater d = new java.util.zip.Deflater(1, true); d.setInput(in); d.finish(); byte[] out = new byte[in.length + 64]; int n = d.deflate(out); d.end(); return java.util.Arrays.copyOf(out, n); }
    return in;
  }
  public static void main(String[] a) throws Exception {
    String url = a[0]; int runs = Integer.parseInt(a[1]); int group = Integer.parseInt(a[2]);
    java.util.List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/tmp/s20/amp/sample.txt"));
    String resultText = lines.get(0).replaceAll(" \\| $", ""); String eventsText = String.join("\n", lines.subList(1, lines.size())).replaceAll(" \\| $", "");
    String mode = System.getProperty("mode", "plain");
    byte[] result = pack(resultText.getBytes(java.nio.charset.StandardCharsets.UTF_8), mode); byte[] events = pack(eventsText.getBytes(java.nio.charset.StandardCharsets.UTF_8), mode);
    System.out.printf("mode %s: result %d -> %d bytes, events %d -> %d%n", mode, resultText.length(), result.length, eventsText.length(), events.length);
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      Statement s = c.createStatement();
      s.execute("create table runs (id varchar(64) primary key, tenant varchar(200) not null, agent varchar(200) not null, framework varchar(32) not null, status varchar(16) not null, thread_id varchar(200) not null, input varchar not null, created_at timestamp(6) with time zone not null, finished_at timestamp(6) with time zone, result varchar, events varchar, result_utf8 varbinary, events_utf8 varbinary)");
      s.execute("create index runs_by_tenant on runs(tenant, created_at)");
      boolean usage = Boolean.getBoolean("usage");
      s.execute("create table run_usage (run_id varchar(64) not null, provider varchar(200) not null, tenant varchar(200) not null, agent varchar(200) not null, finished_at timestamp(6) with time zone not null, calls int not null, input_tokens bigint not null, output_tokens bigint not null, cost_usd double precision not null)");
      if (!Boolean.getBoolean("noindex")) s.execute("create index run_usage_by_tenant on run_usage(tenant, finished_at)");
      c.setAutoCommit(false);
      PreparedStatement p = c.prepareStatement("insert into runs(id, tenant, agent, framework, status, thread_id, input, created_at, finished_at, result_utf8, events_utf8) values (?,?,?,?,?,?,?,?,?,?,?)");
      PreparedStatement u = c.prepareStatement("insert into run_usage values (?,?,?,?,?,?,?,?,?)");
      java.util.List<Object[]> pend = new java.util.ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
        p.setString(1, String.format("%016x-%08d", System.currentTimeMillis(), i)); p.setString(2, "default"); p.setString(3, "calculator-native"); p.setString(4, "native");
        p.setString(5, "COMPLETED"); p.setString(6, ""); p.setString(7, "What is 17 * 23 + 4?"); p.setObject(8, now); p.setObject(9, now);
        p.setBytes(10, result); p.setBytes(11, events); p.executeUpdate();
        if (usage && Boolean.getBoolean("multi")) { pend.add(new Object[] {"run-" + i, now}); if ((i + 1) % group == 0) { StringBuilder q = new StringBuilder("insert into run_usage values "); for (int k = 0; k < pend.size(); k++) q.append(k == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?)"); PreparedStatement m = c.prepareStatement(q.toString()); int n = 1; for (Object[] r : pend) { m.setString(n++, (String) r[0]); m.setString(n++, "scripted:scripted.json"); m.setString(n++, "default"); m.setString(n++, "calculator-native"); m.setObject(n++, r[1]); m.setInt(n++, 2); m.setLong(n++, 49); m.setLong(n++, 15); m.setDouble(n++, 0.0); } m.executeUpdate(); m.close(); pend.clear(); } }
        else if (usage) { u.setString(1, "run-" + i); u.setString(2, "scripted:scripted.json"); u.setString(3, "default"); u.setString(4, "calculator-native"); u.setObject(5, now); u.setInt(6, 2); u.setLong(7, 49); u.setLong(8, 15); u.setDouble(9, 0.0); u.executeUpdate(); }
        if ((i + 1) % group == 0) c.commit();
      }
      c.commit();
      long w = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/io")).stream().filter(l -> l.startsWith("wchar")).mapToLong(l -> Long.parseLong(l.split(" ")[1])).sum(); org.h2.mvstore.MVStore mv = ((org.h2.engine.SessionLocal) ((org.h2.jdbc.JdbcConnection) c).getSession()).getDatabase().getStore().getMvStore();
      System.out.printf("%d runs in groups of %d: %.1f us per run, wchar %.0f per run, version %d split %d keys %d%n", runs, group, (System.nanoTime() - t0) / 1e3 / runs, (double) w / runs, mv.getCurrentVersion(), mv.getMaxPageSize(), mv.getKeysPerPage());
    }
  }
}
