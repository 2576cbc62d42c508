"""`python -m kimicheck`."""

from kimicheck.cli import main

raise SystemExit(main())
