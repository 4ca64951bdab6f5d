"""A writer and a reviewer take turns until the reviewer approves (AutoGen RoundRobinGroupChat).

The writer uses Graft's calculator tool; the team stops when the reviewer says APPROVED (or after
eight messages). Model calls and the tool call are served by the Java runtime."""

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat

import graft

AGENT_NAME = "autogen-review-team"

model = graft.autogen_client()

writer = AssistantAgent(
    "writer",
    model_client=model,
    tools=graft.autogen_tools("calculator"),
    reflect_on_tool_use=True,
    system_message="Answer the question. Use the calculator for arithmetic.",
)
reviewer = AssistantAgent(
    "reviewer",
    model_client=model,
    system_message="Check the writer's answer. Say APPROVED when it is right, otherwise explain what is wrong.",
)

agent = RoundRobinGroupChat(
    [writer, reviewer],
    # Only the reviewer's approval ends the team: a task that already says APPROVED (the output of
    # an earlier pipeline step, say) must not stop it before anyone has answered.
    termination_condition=TextMentionTermination("APPROVED", sources=["reviewer"]) | MaxMessageTermination(8),
)
