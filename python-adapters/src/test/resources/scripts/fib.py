"""A recursive function hot enough for the JIT to compile, and its twin the JIT is told to skip."""


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def skipped_fib(n):
    return n if n < 2 else skipped_fib(n - 1) + skipped_fib(n - 2)
