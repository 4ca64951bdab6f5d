"""Two AutoGen agents that never agree: a team without a termination condition (step-limit test)."""
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import RoundRobinGroupChat

import graft

model = graft.autogen_client()
agent = RoundRobinGroupChat([AssistantAgent("alice", model_client=model), AssistantAgent("bob", model_client=model)])
