"""`docgen case new`: a case folder ready for a client — the profile skeleton, one evidence folder per item the
client brings (number + Japanese title + item id), a list of the folders in the client's language, and the
client handout (what to bring; its row numbers are the folders' numbers)."""

from __future__ import annotations

import re
from datetime import date
from typing import get_args

from docgen.case.folder import CaseFolder, item_folder_name
from docgen.case.settings import Settings
from docgen.checklist import build_checklist
from docgen.checklist.model import Checklist
from docgen.documents.generate import GENERATED
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.packet.safe_write import private_file
from docgen.profile.skeleton import skeleton
from docgen.rules.book import RuleBook
from docgen.rules.periods import Lang

CASE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,59}$")
FOLDERS_NOTE: dict[str, tuple[str, str]] = {
    "ja": ("証明書・写しの置き場所", "番号は「必要書類一覧」の番号です。書類はその番号のフォルダーに入れてください。"),
    "en": ("Where each document goes", "The numbers are those of the checklist. Put each document in its folder."),
    "zh": ("各材料的存放位置", "编号与材料清单的编号相同。请将材料放入对应编号的文件夹。"),
}


# The client's languages `case new` accepts (as `docgen intake new`), by name; a handout is made in one of them only
# where docgen has one (see handout_language), otherwise in English.
CLIENT_LANGS: dict[str, tuple[str, str]] = {
    "ja": ("日本語", "Japanese"),
    "en": ("英語", "English"),
    "zh": ("中国語（簡体字）", "Chinese (simplified)"),
    "zh-TW": ("繁体字中国語", "Traditional Chinese"),
    "vi": ("ベトナム語", "Vietnamese"),
}


def handout_language(lang: str) -> Lang:
    """The language the handout and folder list are made in: the client's where docgen has a handout for it (its
    labels, fonts and folder note), otherwise English — never a neighbour (zh-TW is not made in simplified zh)."""
    from docgen.checklist.output import LABELS
    from docgen.packet.handout import HANDOUT_FONTS

    if lang in get_args(Lang) and lang in LABELS and lang in HANDOUT_FONTS and lang in FOLDERS_NOTE:
        return lang
    return "en"


def handout_language_note(lang: str) -> str | None:
    """Why the handout is not in the client's language, if it is not, e.g.
    「ベトナム語の案内はまだないため、英語で作成しました」."""
    made = handout_language(lang)
    if made == lang:
        return None
    ja, en = CLIENT_LANGS.get(lang, (lang, lang))
    made_ja, made_en = CLIENT_LANGS[made]
    return say(
        f"{ja}の案内はまだないため、{made_ja}で作成しました",
        f"there is no handout in {en} yet, so it was made in {made_en}",
    )


def evidence_folders(checklist: Checklist) -> list[tuple[str, str]]:
    """(folder name, item id) for every item the client brings: not the documents docgen fills in, not what the
    office prepares, not the fee paid on grant."""
    return [
        (item_folder_name(n, item.title("ja"), item.id), item.id)
        for n, item in enumerate(checklist.items, 1)
        if item.rule.prepared_by == "client" and item.id not in GENERATED and item.rule.condition != "on_grant"
    ]


def new_case(
    settings: Settings,
    book: RuleBook,
    release_day: tuple[int, int],
    case_id: str,
    category: str,
    on: date,
    lang: str,
    *,
    handout_pdf: bool = True,
) -> CaseFolder:
    """Create the case folder under the office's cases folder; an existing case folder is never touched. The handout
    and the folder list are in `handout_language(lang)` (English where docgen has none in `lang`)."""
    if lang not in CLIENT_LANGS:
        raise DocgenError(
            say(
                f"依頼者の言語 '{lang}' には対応していません。次のいずれかを指定してください: "
                + " / ".join(CLIENT_LANGS),
                f"client language '{lang}' is not supported; use one of: " + " / ".join(CLIENT_LANGS),
            )
        )
    made = handout_language(lang)
    if not CASE_ID_RE.match(case_id):
        raise DocgenError(
            say(
                f"案件ID '{case_id}': 半角英数字と '-'、'_'、'.' で60文字以内にしてください（フォルダー名になります）",
                f"case id '{case_id}': use up to 60 letters, digits, '-', '_' and '.' (it becomes a folder name)",
            )
        )
    category = book.category_id(category)  # a Japanese title is its id; an unknown one fails with the known ones
    folder = CaseFolder.under(settings.cases_dir, case_id)
    if folder.root.exists():
        raise DocgenError(
            say(
                f"{folder.root} は既にあります。何も変更していません（case new は新しい案件だけを作ります）",
                f"{folder.root} already exists; nothing was changed (case new makes new cases only)",
            )
        )
    checklist = build_checklist(book, category, on, release_day)
    folder.evidence.mkdir(parents=True, mode=0o700)
    folder.root.chmod(0o700)
    with private_file(folder.profile) as part:
        part.write_text(skeleton(category, case_id=case_id, application_date=on), encoding="utf-8")
    titles = {item.id: item.title(made) for item in checklist.items}
    lines = [FOLDERS_NOTE[made][0], FOLDERS_NOTE[made][1], ""]
    for name, item_id in evidence_folders(checklist):
        (folder.evidence / name).mkdir(mode=0o700)
        lines.append(f"{name}\n    {titles[item_id]}" if made != "ja" else name)
    with private_file(folder.root / f"{case_id}-folders-{made}.txt") as part:
        part.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from docgen.packet.handout import write_checklist_document

    suffix = "pdf" if handout_pdf else "docx"
    write_checklist_document(checklist, folder.handout(made, suffix), made, pdf=handout_pdf, settings=settings)
    return folder
