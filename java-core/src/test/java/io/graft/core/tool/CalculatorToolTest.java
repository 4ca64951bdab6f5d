package io.graft.core.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CalculatorToolTest {
    private final CalculatorTool calculator = new CalculatorTool();

    private String eval(String expression) {
        return calculator.call(Map.of("expression", expression));
    }

    @Test
    void evaluatesWithPrecedenceParenthesesAndDecimals() {
        assertEquals("395", eval("17 * 23 + 4"));
        assertEquals("21.5", eval("(70.7 - 32) * 5 / 9"));
        assertEquals("-8", eval("-2^3"));
        assertEquals("512", eval("2^3^2"));
        assertEquals("0.25", eval("2^-2"));
    }

    @Test
    void reportsBadExpressionsWithThePosition() {
        ToolException e = assertThrows(ToolException.class, () -> eval("2 + * 3"));
        assertEquals("cannot evaluate '2 + * 3': unexpected '*' at position 5", e.getMessage());
        assertTrue(assertThrows(ToolException.class, () -> eval("1/0")).getMessage().contains("division by zero"));
        assertTrue(assertThrows(ToolException.class, () -> calculator.call(Map.of())).getMessage()
                .contains("needs a non-empty string argument 'expression'"));
    }
}
