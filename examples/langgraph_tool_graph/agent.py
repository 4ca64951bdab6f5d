"""Answers arithmetic and unit questions: a hand-built LangGraph graph with a tool node.

The graph mixes a Python tool defined here with the runtime's Java calculator tool; both are
called through LangGraph's own ToolNode.
"""

from langchain_core.tools import tool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

import graft

AGENT_NAME = "units-graph"


@tool
def celsius_to_fahrenheit(celsius: float) -> str:
    """Convert a temperature from degrees Celsius to degrees Fahrenheit."""
    return "%g" % (celsius * 9 / 5 + 32)


tools = [celsius_to_fahrenheit, *graft.tools("calculator")]
model = graft.chat_model().bind_tools(tools)


def call_model(state: MessagesState):
    return {"messages": [model.invoke(state["messages"])]}


graph = StateGraph(MessagesState)
graph.add_node("model", call_model)
graph.add_node("tools", ToolNode(tools))
graph.add_edge(START, "model")
graph.add_conditional_edges("model", tools_condition)
graph.add_edge("tools", "model")

agent = graph.compile()
