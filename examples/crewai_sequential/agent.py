"""A researcher computes, a writer reports (CrewAI sequential crew).

Both agents' model calls go to the Java runtime through graft.crewai_llm(); the researcher's
calculator is the runtime's Java tool, offered to CrewAI by graft.crewai_tools()."""

from crewai import Agent, Crew, Process, Task

import graft

AGENT_NAME = "crewai-research-crew"

llm = graft.crewai_llm()
researcher = Agent(role="Researcher", goal="Compute exact figures", backstory="Careful with numbers.",
                   llm=llm, tools=graft.crewai_tools("calculator"))
writer = Agent(role="Writer", goal="Report results in one sentence", backstory="Concise.", llm=llm)
research = Task(description="Compute {input}", expected_output="the number", agent=researcher)
report = Task(description="Write one sentence with the result.", expected_output="one sentence", agent=writer)
agent = Crew(agents=[researcher, writer], tasks=[research, report], process=Process.sequential)
