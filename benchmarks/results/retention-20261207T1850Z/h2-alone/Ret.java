import java.sql.*;
import java.nio.file.*;
public class Ret { static final int SLEEP = Integer.getInteger("sleepNanos", 0);
  public static void main(String[] a) throws Exception {
    String url = a[0]; int runs = Integer.parseInt(a[1]); int group = 5; int keep = Integer.parseInt(a[2]); int batch = Integer.parseInt(a[3]);
    java.util.List<String> lines = Files.readAllLines(Path.of("/tmp/s21/sample.txt"));
    byte[] result = lines.get(0).getBytes(); byte[] events = String.join("\n", lines.subList(1, lines.size())).getBytes();
    Path file = Path.of(a[4]);
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      Statement s = c.createStatement();
      s.execute("create table runs (id varchar(64) primary key, tenant varchar(200) not null, agent varchar(200) not null, status varchar(16) not null, input varchar not null, created_at timestamp(6) with time zone not null, finished_at timestamp(6) with time zone, result_utf8 varbinary, events_utf8 varbinary)");
      s.execute("create index runs_by_tenant on runs(tenant, created_at)");
      boolean usage = Boolean.getBoolean("usage");
      s.execute("create table run_usage (run_id varchar(64) not null, provider varchar(200) not null, tenant varchar(200) not null, agent varchar(200) not null, finished_at timestamp(6) with time zone not null, calls int not null, input_tokens bigint not null, output_tokens bigint not null, cost_usd double precision not null)");
      s.execute("create index run_usage_by_tenant on run_usage(tenant, finished_at)");
      PreparedStatement u = c.prepareStatement("insert into run_usage values (?,?,?,?,?,?,?,?,?)");
      c.setAutoCommit(false);
      PreparedStatement p = c.prepareStatement("insert into runs values (?,?,?,?,?,?,?,?,?)");
      PreparedStatement sel = c.prepareStatement("select id from runs where id < ? order by id fetch first " + batch + " rows only");
      PreparedStatement del = c.prepareStatement("delete from runs where id between ? and ?");
      long t0 = System.nanoTime(); long deleted = 0; int compactions = 0;
      for (int i = 0; i < runs; i++) {
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
        p.setString(1, String.format("%012d", i)); p.setString(2, "default"); p.setString(3, "calculator-native"); p.setString(4, "COMPLETED"); p.setString(5, "What is 17 * 23 + 4?"); p.setObject(6, now); p.setObject(7, now); p.setBytes(8, result); p.setBytes(9, events); p.executeUpdate();
        if (usage) { u.setString(1, String.format("%012d", i)); u.setString(2, "scripted:/work/main/examples/native_react/scripted.json"); u.setString(3, "default"); u.setString(4, "calculator-native"); u.setObject(5, now); u.setInt(6, 2); u.setLong(7, 49); u.setLong(8, 15); u.setDouble(9, 0.0); u.executeUpdate(); }
        if ((i + 1) % group == 0) { c.commit(); if (SLEEP > 0) Thread.sleep(0, SLEEP); }
        if (keep > 0 && (i + 1) % 2000 == 0 && i > keep) {
          String cut = String.format("%012d", i - keep);
          while (true) {
            sel.setString(1, cut); java.util.List<String> ids = new java.util.ArrayList<>();
            try (ResultSet rs = sel.executeQuery()) { while (rs.next()) ids.add(rs.getString(1)); }
            if (ids.isEmpty()) break;
            del.setString(1, ids.getFirst()); del.setString(2, ids.getLast()); deleted += del.executeUpdate(); c.commit();
            if (ids.size() < batch) break;
          }
          int limit = Integer.getInteger("compactBytes", 0);
          if (limit > 0) {
            org.h2.mvstore.MVStore mv = ((org.h2.engine.SessionLocal) ((org.h2.jdbc.JdbcConnection) c).getSession()).getDatabase().getStore().getMvStore();
            if (mv.compact(Integer.getInteger("fill", 50), limit)) { compactions++; }
            c.commit();
          }
        }
        if ((i + 1) % 25000 == 0) System.out.printf("%d runs, %d deleted, %d compactions, file %.1f MB, %.1f us/run%n", i + 1, deleted, compactions, Files.size(file) / 1e6, (System.nanoTime() - t0) / 1e3 / (i + 1));
      }
    }
  }
}
