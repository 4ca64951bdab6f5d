"""A crew whose texts use placeholders besides {input}: each becomes a required structured input."""
from crewai import Agent, Crew, Task

import graft

expert = Agent(role="{domain} expert", goal="Answer about {topic}", backstory="Knows {domain}.", llm=graft.crewai_llm())
agent = Crew(agents=[expert], tasks=[Task(description="{input} ({history})", expected_output="a note on {topic}",
                                          agent=expert)])
