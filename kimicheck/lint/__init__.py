"""The offline linter: rules over a loaded config, findings at `file:line:col`, reporters."""
