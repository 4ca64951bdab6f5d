import java.sql.*;
public class Plan { public static void main(String[] a) throws Exception {
  try (Connection c = DriverManager.getConnection("jdbc:h2:mem:p", "sa", ""); Statement s = c.createStatement()) {
    s.execute("create table runs (id varchar(64) primary key, tenant varchar(200) not null, created_at timestamp(6) with time zone not null, finished_at timestamp(6) with time zone)");
    s.execute("create index runs_by_tenant on runs(tenant, created_at)");
    s.execute("create table run_event_chunks (run_id varchar(64) not null, first_seq bigint not null, primary key (run_id, first_seq))");
    for (String q : new String[] {"explain select id from runs where id < 'x' and finished_at < now() order by id fetch first 256 rows only",
        "explain delete from runs where id between 'a' and 'b' and finished_at < now()",
        "explain delete from run_event_chunks c where c.run_id between 'a' and 'b' and not exists (select 1 from runs r where r.id = c.run_id)"}) {
      try (ResultSet rs = s.executeQuery(q)) { rs.next(); System.out.println(rs.getString(1)); System.out.println(); }
    }
  }
}}
