"""Solves arithmetic with a calculator: LangGraph's prebuilt ReAct agent on Graft's model and tools."""

from langgraph.prebuilt import create_react_agent

import graft

AGENT_NAME = "calculator-langgraph"

agent = create_react_agent(
    graft.chat_model(),
    graft.tools("calculator"),
    prompt="You are a careful assistant. Use the calculator for arithmetic.",
)
