"""A single AutoGen AssistantAgent (not a team), answering with a Java tool."""
from autogen_agentchat.agents import AssistantAgent

import graft

agent = AssistantAgent("solo", model_client=graft.autogen_client(), tools=graft.autogen_tools("calculator"),
                       reflect_on_tool_use=True)
