"""Before templates are filled for a case: a case without a 取次者, and templates that need one.

In: the case (its profile's filing_agent, which `build_case` already filled from docgen.toml [office] when the
profile has none) and the names of the templates about to be filled. Out: nothing, or a `DocgenError` naming each
template, part and paragraph that uses `agent` outside `{% if agent %}` — raised before any work, instead of a
render error halfway through a packet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from docgen.documents.template_check.check import check_template
from docgen.errors import DocgenError
from docgen.text import Text

if TYPE_CHECKING:
    from docgen.case import Case


def require_agent(case: Case, names: Iterable[str] | None = None) -> None:
    """Stop before filling templates `names` (default: every template the settings resolve) when the case has no
    取次者 and one of them uses agent outside {% if agent %}: it could not be filled."""
    if case.profile.filing_agent is not None:
        return
    settings = case.settings
    paths = [settings.template(name)[0] for name in (settings.template_names() if names is None else names)]
    uses = [f for path in paths for f in check_template(path) if f.code == "needs_office"]
    if not uses:
        return
    lines = dict.fromkeys(f"  {f.file}（{f.where}）「{f.context}」" for f in uses)
    listed = "\n".join(lines)
    raise DocgenError(
        Text(
            "取次者がいないため書類を作成できません: プロフィールに filing_agent がなく、docgen.toml に [office] も"
            "ありません。次のテンプレートが取次者（agent）を {% if agent %} の外で使っています:\n"
            + listed
            + "\ndocgen.toml に [office] を書くか、プロフィールに filing_agent を書くか、テンプレートのその部分を "
            "{% if agent %} … {% endif %} で囲んでください（docgen templates check で確認できます）",
            "no filing agent, so the documents cannot be made: the profile has no filing_agent and docgen.toml no"
            " [office], and these templates use agent outside {% if agent %}:\n"
            + listed
            + "\nWrite [office] in docgen.toml, or filing_agent in the profile, or put that part of the template"
            " inside {% if agent %} … {% endif %} (docgen templates check shows them).",
        )
    )
