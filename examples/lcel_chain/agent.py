"""Answers a question in one sentence: a LangChain LCEL chain (prompt | model | parser)."""

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

import graft

AGENT_NAME = "one-sentence-lcel"

prompt = ChatPromptTemplate.from_messages([
    ("system", "You answer in one short sentence."),
    ("human", "{input}"),
])

agent = prompt | graft.chat_model(temperature=0) | StrOutputParser()
