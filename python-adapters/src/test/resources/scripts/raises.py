"""An agent whose own code fails."""
import graft


def helper(x):
    return x["missing"]


@graft.agent(name="raises")
def raises(task):
    return helper({})
