"""sqlite3 connections that finalize their statements when they close, as they do on CPython.

CPython frees a dropped cursor at once (reference counting), which finalizes its statement, so
``closing(sqlite3.connect(...))`` really closes the database. GraalPy frees it only when its
garbage collector runs; until then the "closed" connection lingers with a live statement and can
hold the database locked ("database is locked" for the next writer; CrewAI's task-output store
hits this on every kickoff). The connections made here close their cursors first. That changes
nothing a program can rely on: a cursor of a closed connection cannot be used on CPython either.
"""

import sqlite3
import weakref


class _Connection(sqlite3.Connection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._graft_cursors = weakref.WeakSet()

    def cursor(self, factory=sqlite3.Cursor):
        cursor = super().cursor(factory)
        self._graft_cursors.add(cursor)
        return cursor

    # The C implementations make their cursor internally; route them through cursor() above.
    def execute(self, sql, parameters=(), /):
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql, parameters, /):
        return self.cursor().executemany(sql, parameters)

    def executescript(self, script, /):
        return self.cursor().executescript(script)

    def close(self):
        for cursor in list(self._graft_cursors):
            cursor.close()
        super().close()


_connect = sqlite3.connect


def _graft_connect(*args, **kwargs):
    # factory is the sixth positional parameter; a caller that names its own keeps it.
    if "factory" not in kwargs and len(args) < 6:
        kwargs["factory"] = _Connection
    return _connect(*args, **kwargs)


def install():
    if sqlite3.connect is not _graft_connect:
        sqlite3.connect = _graft_connect
