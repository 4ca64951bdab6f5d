"""Collects the functions a script marks with ``@graft.agent``."""

_declared = []


def agent(name, description=""):
    """Marks a function as an agent.

    A function with one parameter is a callable agent: ``(task) -> str | dict``, where ``task``
    is a dict with ``input``, ``inputs``, ``history`` and ``metadata``. A function with no
    parameters is a factory: Graft calls it once when loading the script and runs what it
    returns (a Runnable, a compiled graph, ...).
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError("@graft.agent needs a non-empty name, got %r" % (name,))

    def mark(fn):
        if not callable(fn):
            raise TypeError("@graft.agent(name=%r) decorates a function, got %r" % (name, fn))
        _declared.append((name, description or (fn.__doc__ or "").strip().split("\n")[0], fn))
        return fn

    return mark


def take_declared():
    """Returns and forgets what the last imported script declared."""
    found = list(_declared)
    _declared.clear()
    return found
