"""Stage 8, the command line: a thin layer that reads the clock and the settings once, builds the case,
and calls the library (one module per command group)."""
