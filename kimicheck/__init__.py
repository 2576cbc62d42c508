"""kimicheck: lint, probe and monitor Kimi (Moonshot AI) and OpenAI-compatible provider configs."""

__version__ = "0.1.0"

__all__ = ["__version__"]
