"""Answers from a handbook kept in Graft memory: a LangChain retrieval chain (RAG).

Two agents share the tenant's "handbook" collection: `handbook-learn` stores each line of its
task as one memory; `handbook-rag` retrieves the closest lines with Graft memory as a LangChain
retriever and answers from them. Memories are embedded and searched in Java (the native store
and the offline all-MiniLM-L6-v2 model by default), so native agents see the same handbook.
"""

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnablePassthrough

import graft


@graft.agent(name="handbook-learn", description="Stores each line of the task in the handbook.")
def learn(task):
    lines = [line.strip() for line in task["input"].splitlines() if line.strip()]
    handbook = graft.memory("handbook")
    ids = handbook.add_texts(lines, [{"source": "handbook-learn"}] * len(lines))
    return {"output": "stored %d lines" % len(ids), "ids": ids, "count": handbook.count()}


def _context(documents):
    return "\n".join("- " + d.page_content for d in documents)


prompt = ChatPromptTemplate.from_messages([
    ("system", "Answer in one sentence from the handbook below.\n\nHandbook:\n{context}"),
    ("human", "{input}"),
])

retriever = graft.memory("handbook").as_retriever(search_kwargs={"k": 2})

agent = (
    {"context": retriever | _context, "input": RunnablePassthrough()}
    | prompt
    | graft.chat_model(temperature=0)
    | StrOutputParser()
)
AGENT_NAME = "handbook-rag"
