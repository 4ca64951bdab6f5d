"""Imports fine but defines no agent."""
value = 42
