"""A help-desk crew that answers from the company handbook (CrewAI knowledge sources).

The crew's knowledge is CrewAI's own ``knowledge_sources``; Graft stores its chunks in Graft
memory (collection ``knowledge-crew`` of the caller's tenant) and searches them with Graft's
embedder, so the agent's prompt gets the closest handbook lines. Before searching, CrewAI asks the
model to turn the task into a search query: that is the first scripted turn."""

from crewai import Agent, Crew, Process, Task
from crewai.knowledge.source.string_knowledge_source import StringKnowledgeSource

import graft

AGENT_NAME = "crewai-help-desk"

HANDBOOK = [
    "Invoices are due on the 5th of each month.",
    "The office closes at 6 pm on Fridays.",
    "Guests sign in at reception and wear a visitor badge.",
]

desk = Agent(role="Help desk", goal="Answer staff questions from the handbook",
             backstory="Knows the company handbook.", llm=graft.crewai_llm())
answer = Task(description="Answer this question: {input}", expected_output="one sentence", agent=desk)
agent = Crew(agents=[desk], tasks=[answer], process=Process.sequential,
             knowledge_sources=[StringKnowledgeSource(content=line) for line in HANDBOOK])
