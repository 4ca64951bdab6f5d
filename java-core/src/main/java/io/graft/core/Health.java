package io.graft.core;

/** Whether a component can take work now, and why not. */
public record Health(boolean ready, String detail) {
    public static Health up(String detail) {
        return new Health(true, detail);
    }

    public static Health down(String detail) {
        return new Health(false, detail);
    }
}
