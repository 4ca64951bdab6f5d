"""Plain Python agents: functions decorated with @graft.agent."""

import graft


@graft.agent(name="shout", description="Repeats the task in capitals.")
def shout(task):
    return task["input"].upper() + "!"


@graft.agent(name="word-count", description="Counts the words of the task, as structured output.")
def word_count(task):
    words = task["input"].split()
    return {"output": "%d words" % len(words), "words": len(words)}
