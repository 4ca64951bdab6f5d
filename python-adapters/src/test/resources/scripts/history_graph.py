"""A message-state graph that reports how many messages it was given (to test threads' history)."""
from langchain_core.messages import AIMessage
from langgraph.graph import START, MessagesState, StateGraph


def count(state: MessagesState):
    roles = ",".join(m.type for m in state["messages"])
    return {"messages": [AIMessage(content="saw " + roles)]}


graph = StateGraph(MessagesState)
graph.add_node("count", count)
graph.add_edge(START, "count")
agent = graph.compile()
