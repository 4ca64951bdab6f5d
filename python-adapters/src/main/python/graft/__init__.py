"""Graft's Python API: runtime services for agent scripts, all routed to the Java host.

An agent script is a plain Python module. It exposes a module-level ``agent`` or decorates
functions with ``@graft.agent(name=...)``; Graft detects the framework from the object's type.
"""

from graft._bridge import GraftError
from graft._registry import agent

__all__ = ["GraftError", "agent", "chat_model", "tools", "memory", "crewai_llm", "autogen_client", "autogen_tools", "crewai_tools"]


def chat_model(**options):
    """A LangChain ``BaseChatModel`` served by the runtime's chat model (supports ``bind_tools``
    and streaming). ``options`` (temperature, max_tokens, ...) are passed to the provider."""
    from graft.langchain import GraftChatModel

    return GraftChatModel(options=options)


def tools(*names):
    """The runtime's tools as LangChain tools: the named ones, or all when no name is given."""
    from graft.langchain import graft_tools

    return graft_tools(list(names))


def memory(collection=None):
    """The running agent's memory (``graft.memory()``: the task's namespace, or
    ``default/<agent>``), or another collection of the same tenant (``graft.memory("kb")``).
    ``.as_retriever()`` and ``.as_vector_store()`` give LangChain views of it."""
    from graft._memory import Memory

    return Memory(collection)


def crewai_llm(**options):
    """A CrewAI LLM served by the runtime's chat model (native tool calling, usage)."""
    from graft.crewai import GraftCrewLLM

    return GraftCrewLLM(options=options)


def crewai_tools(*names):
    """The runtime's tools as CrewAI tools: the named ones, or all when no name is given."""
    from graft.crewai import crewai_tools as build

    return build(list(names))


def autogen_client(model_info=None, **options):
    """An AutoGen ``ChatCompletionClient`` served by the runtime's chat model (tool calls,
    streaming, usage). ``options`` are passed to the provider; ``model_info`` overrides the
    capabilities AutoGen sees (default: function calling and JSON output, no vision)."""
    from graft.autogen import GraftChatCompletionClient

    return GraftChatCompletionClient(options=options, model_info=model_info)


def autogen_tools(*names):
    """The runtime's tools as AutoGen tools: the named ones, or all when no name is given."""
    from graft.autogen import autogen_tools as build

    return build(list(names))
