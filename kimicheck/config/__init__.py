"""The config file: its models (version 1) and the loader that maps every value to its position."""

from kimicheck.config.models import (
    Balance,
    ChatSettings,
    Config,
    Defaults,
    Intervals,
    ModelEntry,
    Provider,
)

__all__ = ["Balance", "ChatSettings", "Config", "Defaults", "Intervals", "ModelEntry", "Provider"]
