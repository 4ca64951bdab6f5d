"""Fails while importing, on line 5."""
import graft


raise RuntimeError("configuration missing")
