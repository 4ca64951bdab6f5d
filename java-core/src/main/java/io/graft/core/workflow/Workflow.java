package io.graft.core.workflow;

import io.graft.core.Checks;
import java.util.List;

/** What a workflow does: one of the coordination patterns, over agents named by their registered names. */
public sealed interface Workflow {

    /** Every agent the workflow calls. */
    List<String> agents();

    /** Each agent's output is the next one's input; the last output is the answer. */
    record Pipeline(List<String> steps) implements Workflow {
        public Pipeline {
            steps = nonEmpty(steps, "pipeline steps");
        }

        @Override
        public List<String> agents() {
            return steps;
        }
    }

    /** Every member answers the same input at once; the aggregator makes one answer of theirs. */
    record Parallel(List<String> members, Aggregator aggregator) implements Workflow {
        public Parallel {
            members = nonEmpty(members, "parallel members");
        }

        @Override
        public List<String> agents() {
            return aggregator instanceof Aggregator.Judge j
                    ? java.util.stream.Stream.concat(members.stream(), java.util.stream.Stream.of(j.agent())).toList()
                    : members;
        }
    }

    /** How a parallel workflow picks its answer. */
    sealed interface Aggregator {
        /** The answer most members gave (compared ignoring case, surrounding space and final punctuation); ties go to the earlier member. */
        record MajorityVote() implements Aggregator {}

        /** A judge agent reads the question and every member's answer and gives the final answer. */
        record Judge(String agent) implements Aggregator {
            public Judge {
                Checks.requireNonBlank(agent, "judge agent");
            }
        }
    }

    /** {@code rounds} rounds in which every debater answers, seeing the debate so far; the moderator concludes. */
    record Debate(List<String> debaters, int rounds, String moderator) implements Workflow {
        public Debate {
            debaters = nonEmpty(debaters, "debaters");
            Checks.requirePositive(rounds, "rounds");
            Checks.requireNonBlank(moderator, "moderator");
        }

        @Override
        public List<String> agents() {
            return java.util.stream.Stream.concat(debaters.stream(), java.util.stream.Stream.of(moderator)).toList();
        }
    }

    /**
     * A router agent names the next worker (its answer is a worker's name) or {@code DONE}; the
     * worker runs on the task and the work so far. At most {@code maxTurns} workers run.
     */
    record Supervisor(String router, List<String> workers, int maxTurns) implements Workflow {
        public Supervisor {
            Checks.requireNonBlank(router, "router");
            workers = nonEmpty(workers, "workers");
            Checks.requirePositive(maxTurns, "maxTurns");
        }

        @Override
        public List<String> agents() {
            return java.util.stream.Stream.concat(java.util.stream.Stream.of(router), workers.stream()).toList();
        }
    }

    private static List<String> nonEmpty(List<String> names, String what) {
        List<String> copy = List.copyOf(names);
        Checks.requireArgument(!copy.isEmpty(), what + " must name at least one agent");
        copy.forEach(n -> Checks.requireNonBlank(n, what + " entry"));
        return copy;
    }
}
