"""An AutoGen team whose Python tool blocks (deadline test): the model asks for a long pause."""
import time

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination
from autogen_agentchat.teams import RoundRobinGroupChat

import graft


def pause(seconds: float) -> str:
    """Waits the given number of seconds."""
    time.sleep(seconds)
    return "paused"


worker = AssistantAgent("worker", model_client=graft.autogen_client(), tools=[pause])
agent = RoundRobinGroupChat([worker], termination_condition=MaxMessageTermination(4))
