"""Its 'agent' is neither a framework object nor callable."""
agent = 42
