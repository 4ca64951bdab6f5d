"""A chain that streams the model's tokens (LangChain's .stream), joined into the answer."""
from langchain_core.runnables import RunnableLambda

import graft

model = graft.chat_model()


def answer(text):
    return "".join(chunk.content for chunk in model.stream(text))


agent = RunnableLambda(answer)
