"""One Java -> Python -> Java crossing: Java calls cross(), which calls back into Java."""

import polyglot

_java = polyglot.import_value("bench_echo")


def cross(x):
    return _java.echo(x)


def python_only(x):
    return x + 1
