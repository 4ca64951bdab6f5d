"""A team AutoGen itself rejects: two participants share a name."""
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import RoundRobinGroupChat

import graft

model = graft.autogen_client()
first = AssistantAgent("twin", model_client=model)
second = AssistantAgent("twin", model_client=model)
agent = RoundRobinGroupChat([first, second])
