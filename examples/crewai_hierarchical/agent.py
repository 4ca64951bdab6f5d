"""A manager delegates to a researcher and a writer (CrewAI hierarchical crew).

CrewAI creates the manager agent from manager_llm and gives it its delegation tools; every model
call, the manager's included, goes to the Java runtime, and the researcher's calculator is the
runtime's Java tool."""

from crewai import Agent, Crew, Process, Task

import graft

AGENT_NAME = "crewai-managed-crew"

llm = graft.crewai_llm()
researcher = Agent(role="Researcher", goal="Compute exact figures", backstory="Careful with numbers.",
                   llm=llm, tools=graft.crewai_tools("calculator"), allow_delegation=False)
writer = Agent(role="Writer", goal="Report results in one sentence", backstory="Concise.", llm=llm,
               allow_delegation=False)
answer = Task(description="Answer the question: {input}", expected_output="one sentence with the exact result")
agent = Crew(agents=[researcher, writer], tasks=[answer], process=Process.hierarchical, manager_llm=llm)
