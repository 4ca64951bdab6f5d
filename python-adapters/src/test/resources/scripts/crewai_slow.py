"""A crew whose Python tool blocks (deadline test): the model asks for a long pause."""
import time

from crewai import Agent, Crew, Task
from crewai.tools import tool

import graft


@tool("pause")
def pause(seconds: float) -> str:
    """Waits the given number of seconds."""
    time.sleep(seconds)
    return "paused"


worker = Agent(role="Worker", goal="Do as told", backstory="Patient.", llm=graft.crewai_llm(), tools=[pause])
agent = Crew(agents=[worker], tasks=[Task(description="{input}", expected_output="done", agent=worker)])
