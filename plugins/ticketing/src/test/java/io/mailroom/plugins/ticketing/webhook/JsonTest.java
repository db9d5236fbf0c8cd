package io.mailroom.plugins.ticketing.webhook;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {

    @Test
    void escapes_what_json_requires() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("s", "a\"b\\c\nd\u0001e\u2028");
        value.put("n", 5L);
        value.put("b", true);
        value.put("z", null);
        value.put("l", Arrays.asList(1, "x", null));

        assertThat(Json.write(value))
                .isEqualTo("{\"s\":\"a\\\"b\\\\c\\nd\\u0001e\\u2028\",\"n\":5,\"b\":true,\"z\":null,\"l\":[1,\"x\",null]}");
        assertThat(Json.write(List.of())).isEqualTo("[]");
    }
}
