"""Decides which framework an agent object belongs to, by its type."""

from graft.adapters.callable import CallableAdapter

EXPECTED = ("a LangChain Runnable (a compiled LangGraph graph is one), a CrewAI Crew, "
            "an AutoGen AgentChat agent or team, or a callable (task) -> str | dict")


def _type_module(obj):
    return type(obj).__module__ or ""


def adapter_for(obj):
    """The adapter for ``obj``, or ``None`` when Graft cannot run it."""
    module = _type_module(obj)
    if module.startswith("crewai"):
        from graft.adapters.crewai import CrewAIAdapter, is_crew

        if is_crew(obj):
            return CrewAIAdapter()
        raise TypeError("this CrewAI object is not a Crew; Graft runs crews (Crew(agents=..., tasks=...)), "
                        "so wrap a single Agent in a one-task Crew")
    if module.startswith("autogen"):
        from graft.adapters.autogen import AutoGenAdapter, is_autogen

        if is_autogen(obj):
            return AutoGenAdapter()
        raise TypeError("this AutoGen object is neither an AgentChat agent nor a team; Graft runs "
                        "autogen_agentchat agents (AssistantAgent, ...) and teams (RoundRobinGroupChat, ...)")
    try:
        from langchain_core.runnables import Runnable
    except ImportError:
        Runnable = None
    if Runnable is not None and isinstance(obj, Runnable):
        from graft.adapters.langchain import LangChainAdapter, _is_graph

        return LangChainAdapter("langgraph" if _is_graph(obj) else "langchain")
    if callable(obj) and not isinstance(obj, type):
        return CallableAdapter()
    return None
