"""A prompt with a structured input variable besides {input}."""
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

prompt = ChatPromptTemplate.from_messages([("human", "{input} in {language}")])
agent = prompt | RunnableLambda(lambda value: value.to_string()) | StrOutputParser()
