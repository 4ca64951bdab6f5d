"""A crew whose agent keeps calling a tool (step-limit test): the model never gives a final answer."""
from crewai import Agent, Crew, Task

import graft

llm = graft.crewai_llm()
worker = Agent(role="Worker", goal="Compute", backstory="Never satisfied.", llm=llm,
               tools=graft.crewai_tools("calculator"), max_iter=1000)
agent = Crew(agents=[worker], tasks=[Task(description="Compute {input}", expected_output="a number", agent=worker)])
