package io.graft.core;

/**
 * Places for runs on something that serves only so many at once, such as a pool of Python
 * interpreters. {@link AgentRuntime#submit} takes a place before a run starts and gives it back
 * when the run ends, so a run that would only wait is refused at once
 * ({@link RuntimeOverloadedException}, an HTTP 429) instead of queuing until its deadline, and
 * runs of other agents are not refused for it.
 */
public interface Admission {
    /** Takes a place for one run; false when every place is taken. */
    boolean tryEnter();

    /** Gives back a place taken by {@link #tryEnter}. */
    void leave();

    /** What is full, for the refusal, e.g. "the Python pool's 2 contexts and 32 waiting places are all taken". */
    String full();

    /** No bound: every run gets a place (native agents, which run on threads of their own). */
    Admission UNBOUNDED = new Admission() {
        @Override
        public boolean tryEnter() {
            return true;
        }

        @Override
        public void leave() {}

        @Override
        public String full() {
            return "never full";
        }
    };
}
