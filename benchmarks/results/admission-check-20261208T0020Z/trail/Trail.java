import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** readTree of a run request with and without FAIL_ON_TRAILING_TOKENS: ns per call, rounds interleaved. */
public class Trail {
    public static void main(String[] a) throws Exception {
        ObjectMapper plain = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        ObjectMapper strict = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        String body = "{\"agent\": \"calculator-native\", \"input\": \"What is 17 * 23 + 4?\", \"wait\": true}";
        long sink = 0;
        for (int round = 0; round < 6; round++) {
            for (ObjectMapper m : new ObjectMapper[] {plain, strict}) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 1_000_000; i++) {
                    sink += m.readTree(body).size();
                }
                System.out.printf("round %d %s: %.0f ns per readTree%n", round, m == plain ? "plain " : "strict", (System.nanoTime() - t0) / 1e6);
            }
        }
        System.out.println(sink);
    }
}
