"""Live checks of a provider: `models`, `balance` and `chat`."""
