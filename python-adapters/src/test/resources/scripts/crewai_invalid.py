"""A crew CrewAI itself rejects: a sequential crew with a task that has no agent."""
from crewai import Agent, Crew, Process, Task

import graft

llm = graft.crewai_llm()
writer = Agent(role="Writer", goal="Write", backstory="Writes.", llm=llm)
orphan = Task(description="Summarise {input}", expected_output="a summary")
agent = Crew(agents=[writer], tasks=[orphan], process=Process.sequential)
