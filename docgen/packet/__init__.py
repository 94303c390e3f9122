"""Stage 7, packet: a `Case` in, the packet folder out.

`build.py` assesses the case once, builds its checklist once and hands both to the documents, the index
(`index.py`), the reports (`reports.py`) and the manifest (`manifest.py`); `safe_write.py` writes
atomically and owner-only. `handout.py` (client checklist as Word/PDF) and `preview.py` (one template as
PDF/PNG) are smaller pipelines of the same stages.
"""
