"""iaclint's built-in rules: one module per rule, found by `iaclint.catalog`."""
