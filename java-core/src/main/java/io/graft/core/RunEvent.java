package io.graft.core;

/** What a running agent reports as it goes; the HTTP API streams these as Server-Sent Events. */
public sealed interface RunEvent {

    String runId();

    record Started(String runId, String agent, Framework framework) implements RunEvent {}

    /** A piece of generated text, as the model streams it. */
    record Token(String runId, String agent, String text) implements RunEvent {}

    /** A recorded step: an LLM call, a tool execution or a message. */
    record StepRecorded(String runId, Step step) implements RunEvent {}

    record Finished(String runId, AgentResult result) implements RunEvent {}
}
