"""`docgen packet`: registered by docgen.cli."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the packet command (defined in the next step)."""
