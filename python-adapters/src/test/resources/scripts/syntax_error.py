"""A script with a syntax error on line 4."""
import graft

def broken(:
    pass
