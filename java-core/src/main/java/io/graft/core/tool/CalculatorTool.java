package io.graft.core.tool;

import io.graft.core.model.ToolSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;

/** Evaluates arithmetic: {@code + - * / ^}, parentheses, unary minus, decimals. */
public final class CalculatorTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec("calculator",
            "Evaluate an arithmetic expression with + - * / ^ and parentheses, e.g. '17 * 23 + 4'.",
            Map.of("type", "object",
                    "properties", Map.of("expression", Map.of("type", "string", "description", "the expression")),
                    "required", java.util.List.of("expression")));

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public String call(Map<String, Object> arguments) {
        if (!(arguments.get("expression") instanceof String expression) || expression.isBlank()) {
            throw new ToolException("calculator needs a non-empty string argument 'expression', got " + arguments);
        }
        BigDecimal value = new Parser(expression).parse();
        return value.stripTrailingZeros().toPlainString();
    }

    /** Recursive descent over the expression text; precedence: ^, then * /, then + -. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        BigDecimal parse() {
            BigDecimal v = sum();
            skipSpaces();
            if (pos < text.length()) {
                throw error("unexpected '" + text.charAt(pos) + "'");
            }
            return v;
        }

        private BigDecimal sum() {
            BigDecimal v = product();
            while (true) {
                if (eat('+')) {
                    v = v.add(product());
                } else if (eat('-')) {
                    v = v.subtract(product());
                } else {
                    return v;
                }
            }
        }

        private BigDecimal product() {
            BigDecimal v = power();
            while (true) {
                if (eat('*')) {
                    v = v.multiply(power());
                } else if (eat('/')) {
                    BigDecimal d = power();
                    if (d.signum() == 0) {
                        throw error("division by zero");
                    }
                    v = v.divide(d, MathContext.DECIMAL64);
                } else {
                    return v;
                }
            }
        }

        private BigDecimal power() {
            BigDecimal base = unary();
            if (eat('^')) {
                BigDecimal exp = power();
                if (exp.stripTrailingZeros().scale() > 0 || exp.abs().compareTo(BigDecimal.valueOf(999)) > 0) {
                    throw error("exponent must be a whole number up to 999");
                }
                int e = exp.intValue();
                return e >= 0 ? base.pow(e) : BigDecimal.ONE.divide(base.pow(-e), MathContext.DECIMAL64);
            }
            return base;
        }

        private BigDecimal unary() {
            if (eat('-')) {
                return unary().negate();
            }
            if (eat('+')) {
                return unary();
            }
            if (eat('(')) {
                BigDecimal v = sum();
                if (!eat(')')) {
                    throw error("missing ')'");
                }
                return v;
            }
            return number();
        }

        private BigDecimal number() {
            skipSpaces();
            int start = pos;
            while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            if (start == pos) {
                throw error(pos < text.length() ? "unexpected '" + text.charAt(pos) + "'" : "unexpected end");
            }
            try {
                return new BigDecimal(text.substring(start, pos));
            } catch (NumberFormatException e) {
                throw error("bad number '" + text.substring(start, pos) + "'");
            }
        }

        private boolean eat(char c) {
            skipSpaces();
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private ToolException error(String what) {
            return new ToolException("cannot evaluate '" + text + "': " + what + " at position " + (pos + 1));
        }
    }
}
