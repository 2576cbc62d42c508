"""One module per `kimicheck` subcommand; see `kimicheck.cli.COMMANDS`."""
