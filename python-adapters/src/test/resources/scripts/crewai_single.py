"""A one-agent, one-task crew without tools."""
from crewai import Agent, Crew, Task

import graft

helper = Agent(role="Helper", goal="Answer", backstory="Helpful.", llm=graft.crewai_llm())
agent = Crew(agents=[helper], tasks=[Task(description="{input}", expected_output="an answer", agent=helper)])
