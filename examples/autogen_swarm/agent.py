"""A triage agent hands arithmetic over to a mathematician (AutoGen Swarm).

Handoffs are tool calls in a Swarm; the mathematician answers with Graft's calculator tool and
ends with TERMINATE. Model calls and the tool call are served by the Java runtime."""

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import Swarm

import graft

AGENT_NAME = "autogen-swarm"

model = graft.autogen_client()

triage = AssistantAgent(
    "triage",
    model_client=model,
    handoffs=["mathematician"],
    system_message="Route the question: hand arithmetic over to the mathematician.",
)
mathematician = AssistantAgent(
    "mathematician",
    model_client=model,
    tools=graft.autogen_tools("calculator"),
    reflect_on_tool_use=True,
    system_message="Solve arithmetic with the calculator, then end your answer with TERMINATE.",
)

agent = Swarm([triage, mathematician],
              termination_condition=TextMentionTermination("TERMINATE") | MaxMessageTermination(10))
