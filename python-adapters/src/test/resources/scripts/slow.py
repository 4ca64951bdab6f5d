"""An agent that computes for a long time (to test deadlines): a busy loop, then a blocking call."""
import time

import graft


@graft.agent(name="spin")
def spin(task):
    n = 0
    while True:
        n += 1


@graft.agent(name="sleepy")
def sleepy(task):
    time.sleep(60)
    return "woke"


@graft.agent(name="quick")
def quick(task):
    return "quick: " + task["input"]
