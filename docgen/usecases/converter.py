"""Keep a warm LibreOffice converter running for the office (`docgen converter start|stop|status`), so that
every `docgen packet` run while it runs converts on LibreOffice servers that are already up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from docgen.case import Settings
from docgen.pdf import service
from docgen.pdf.converter import COLD, Converter
from docgen.pdf.warm import WarmConverter
from docgen.text import Text
from docgen.usecases.context import RunContext, use_case


@dataclass(frozen=True)
class ConverterStatus:
    """Whether the office's warm converter runs, on how many servers, and why any could not start."""

    running: bool
    servers: int = 0
    folder: Path | None = None  # where its address is kept
    problems: list[Text] = field(default_factory=list)


def converter_folder(settings: Settings) -> Path:
    """Where the office's running converter keeps its address: beside docgen.toml (else the working folder)."""
    office = settings.source.parent if settings.source is not None else Path.cwd()
    return office / service.FOLDER


def running_converter(settings: Settings) -> WarmConverter | None:
    """The office's running warm converter, attached (the caller closes it), or None when none runs."""
    return service.attach(converter_folder(settings), settings.pdf_seconds_per_document)


def packet_converter(settings: Settings, pdf: bool) -> tuple[Converter, WarmConverter | None]:
    """The converter a packet uses: the office's running one when there is one, else the cold way; and the
    attached one to close after the build (None for the cold way)."""
    warm = running_converter(settings) if pdf else None
    return (warm, warm) if warm is not None else (COLD, None)


@use_case
def start_converter(ctx: RunContext, servers: int | None = None) -> ConverterStatus:
    """Start the office's warm converter (one LibreOffice server per core unless `servers` says), or report the
    one already running."""
    folder = converter_folder(ctx.settings)
    state = service.running(folder)
    if state is None:
        service.stop(folder)  # what a crashed supervisor left
        count = max(1, servers or os.cpu_count() or 1)
        state = service.spawn(folder, count, ctx.settings.pdf_seconds_per_document)
    return ConverterStatus(state.ready, len(state.ports), folder, list(state.problems))


@use_case
def stop_converter(ctx: RunContext) -> bool:
    """Stop the office's warm converter; whether one was running."""
    return service.stop(converter_folder(ctx.settings))


@use_case
def converter_status(ctx: RunContext) -> ConverterStatus:
    """Whether the office's warm converter runs and answers."""
    folder = converter_folder(ctx.settings)
    state = service.running(folder)
    return ConverterStatus(state is not None, len(state.ports) if state else 0, folder)
