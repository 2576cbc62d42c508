"""Lint rules, one module per family; `kimicheck.lint.registry` lists them."""
