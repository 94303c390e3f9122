"""The evidence folders of a case: one per item the client brings, named and numbered as the 提出書類一覧表 numbers
the case's checklist (`case new` makes them, `case sync` keeps them so, scans are stored in them), and the folder
list given to the client in their language."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.case.folder import item_folder_name
from docgen.checklist.model import Checklist
from docgen.packet.index import numbered
from docgen.rules.periods import Lang

FOLDERS_NOTE: dict[str, tuple[str, str]] = {
    "ja": ("証明書・写しの置き場所", "番号は「必要書類一覧」の番号です。書類はその番号のフォルダーに入れてください。"),
    "en": ("Where each document goes", "The numbers are those of the checklist. Put each document in its folder."),
    "zh": ("各材料的存放位置", "编号与材料清单的编号相同。请将材料放入对应编号的文件夹。"),
}


@dataclass(frozen=True)
class EvidenceFolder:
    """An item the client brings, with its number in the 提出書類一覧表 and its Japanese title."""

    number: int
    title: str
    item_id: str

    @property
    def name(self) -> str:
        return item_folder_name(self.number, self.title, self.item_id)


def evidence_folders(checklist: Checklist) -> list[EvidenceFolder]:
    """One folder for every item the client brings (not the documents docgen fills in, not what the office
    prepares, not the fee paid on grant), numbered as the 提出書類一覧表 numbers the checklist's items."""
    return [
        EvidenceFolder(n, item.title("ja"), item.id)
        for n, item in numbered(checklist)
        if item.rule.prepared_by == "client" and item.rule.condition != "on_grant"
    ]


def folder_list(checklist: Checklist, lang: Lang) -> str:
    """The text of `<case id>-folders-<lang>.txt`: each folder's name, with the item's title in `lang` (a
    language of FOLDERS_NOTE) under it when that is not Japanese."""
    heading, note = FOLDERS_NOTE[lang]
    titles = {item.id: item.title(lang) for item in checklist.items}
    lines = [heading, note, ""]
    for f in evidence_folders(checklist):
        lines.append(f.name if lang == "ja" else f"{f.name}\n    {titles[f.item_id]}")
    return "\n".join(lines) + "\n"
