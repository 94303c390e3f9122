"""The case a run works on: office settings, the rules, the profile and the dates, built once by the CLI.

In: `docgen.toml` (office, folders, release day), the profile file, today. Out: `Settings`, `Rules` and a
`Case` that every later stage receives as an argument; nothing below the entry point reads the clock,
a settings file or a global rule book.
"""

from docgen.case.case import Case, Rules, build_case, load_rules
from docgen.case.settings import Settings, load_settings

__all__ = ["Case", "Rules", "Settings", "build_case", "load_rules", "load_settings"]
