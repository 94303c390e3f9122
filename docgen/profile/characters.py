"""Characters the Japanese documents cannot carry: a Han character outside JIS X 0208 / 0213 (and outside the
Windows Japanese set, which adds 髙, 﨑 and other kanji of Japanese names) is almost always a simplified Chinese
form the client typed (李伟, 会社员, 主妇, 浦东) and would reach the 申請書 and 理由書 unchanged.

A whole answer written in Chinese (a 理由 typed by a Chinese client: 「因为我的家人都在日本…」) is told apart from a
stray character: no kana, and several simplified-only characters or the particles and pronouns of Chinese prose
(的, 了, 我, 们 …); staff are told the field seems to be in Chinese, not which characters.

`character_findings(profile)` walks every text field of the profile generically, so a field added to the model is
covered without a change here; `unusual_character_notices` words the findings for staff (`docgen profile check`,
`docgen assess`, `docgen intake import`; the packet summary uses the same function). Only the characters are
named — never the value.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from docgen.messages import say
from docgen.validation import field_path

# Encodable in one of these = a character Japanese documents use: JIS X 0208 and 0213 (shift_jis_2004; not
# euc_jis_2004, whose Python codec also takes JIS X 0212 characters such as 刘 and 吴), and Windows' cp932 for the
# NEC/IBM kanji of Japanese names (髙, 﨑 …).
JAPANESE_CODECS = ("shift_jis_2004", "cp932")

# The Japanese form of simplified characters common in Chinese names, occupations and addresses, for the example
# in the notice ("日本の字体（例: 偉）"). Only a suggestion: staff check the client's documents (the residence card
# prints the name in the form to use). A character not listed is still reported, without an example.
_PAIRS = (
    # surnames
    "张張 刘劉 陈陳 杨楊 赵趙 吴呉 孙孫 马馬 罗羅 郑鄭 谢謝 许許 邓鄧 冯馮 韩韓 钱銭 汤湯 龙竜 萧蕭 韦韋 苏蘇 卢盧 "
    "阎閻 闫閻 钟鍾 谭譚 邹鄒 陆陸 顾顧 乔喬 贺賀 赖頼 龚龔 庞龐 兰蘭 颜顔 严厳 鲁魯 毕畢 聂聶 齐斉 时時 费費 纪紀 "
    "项項 卫衛 鲍鮑 单単 华華 车車 边辺 饶饒 邬鄔 畅暢 简簡 娄婁 谈談 连連 计計 窦竇 迟遅 蓝藍 练練 乐楽 应応 荆荊 "
    "银銀 扬揚 习習 蔺藺 "
    # given names
    "伟偉 丽麗 军軍 红紅 强強 艳艶 辉輝 鹏鵬 飞飛 刚剛 伦倫 颖穎 欢歓 庆慶 长長 东東 凤鳳 娇嬌 琼瓊 洁潔 晓暁 帅帥 "
    "轩軒 铭銘 鸿鴻 凯凱 锋鋒 钢鋼 诚誠 岚嵐 艺芸 绮綺 纯純 爱愛 贞貞 兴興 发発 贵貴 顺順 义義 胜勝 泽沢 树樹 莲蓮 "
    "满満 众衆 亿億 权権 贤賢 达達 婵嬋 娴嫻 玮瑋 玑璣 钰鈺 锦錦 "
    # occupations and work
    "员員 妇婦 师師 护護 农農 职職 财財 设設 营営 电電 话話 术術 专専 经経 务務 业業 销銷 译訳 贸貿 饭飯 厅庁 馆館 "
    "饮飲 软軟 讲講 导導 记記 编編 辑輯 药薬 剂剤 园園 运運 输輸 仓倉 库庫 质質 检検 验験 测測 试試 产産 维維 驾駕 "
    "驶駛 调調 询詢 问問 劳労 动動 络絡 统統 监監 总総 负負 责責 团団 队隊 组組 织織 实実 进進 级級 书書 证証 议議 "
    "论論 认認 识識 语語 说説 读読 观観 览覧 间間 题題 闭閉 "
    # places and addresses
    "县県 乡郷 镇鎮 辽遼 闽閩 陕陝 汉漢 济済 宾賓 锡錫 绍紹 滨浜 门門 岛島 临臨"
)
JAPANESE_FORM: dict[str, str] = {pair[0]: pair[1] for pair in _PAIRS.split()}


def is_japanese(char: str) -> bool:
    """Whether Japanese documents (JIS X 0208 / 0213, Windows Japanese) have this character."""
    for codec in JAPANESE_CODECS:
        try:
            char.encode(codec)
            return True
        except UnicodeEncodeError:
            continue
    return False


def is_han(char: str) -> bool:
    """A Chinese character (kanji / hanzi), in any of Unicode's blocks for them."""
    return unicodedata.name(char, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def unusual_in(text: str) -> str:
    """The Han characters of `text` that Japanese documents do not use, each once, in order."""
    return "".join(dict.fromkeys(c for c in text if is_han(c) and not is_japanese(c)))


# Particles, pronouns and adverbs of Chinese prose (simplified and traditional) that Japanese writes in kana or
# not at all; counted only in an answer without kana, so 目的 or その他 in Japanese prose never count.
CHINESE_MARKERS = frozenset("的了我你您他她们們这這吗嗎呢吧很给給让讓没沒说說还還")
MIN_HAN = 6  # a name, a company or a short address is not prose
Language = Literal["", "zh-Hans", "zh"]


def _is_kana(char: str) -> bool:
    """Hiragana or katakana letters (not ・ or ー, which Japanese and Chinese names both use)."""
    return "\u3041" <= char <= "\u309f" or "\u30a1" <= char <= "\u30fa"


def chinese_text(text: str) -> Language:
    """'zh-Hans' when `text` reads as Chinese prose in simplified characters, 'zh' as Chinese prose in
    characters Japanese also has, '' otherwise (Japanese, a name, an address, a stray character)."""
    han = [c for c in text if is_han(c)]
    if len(han) < MIN_HAN or any(_is_kana(c) for c in text):
        return ""
    odd = set(unusual_in(text))
    markers = {c for c in han if c in CHINESE_MARKERS}
    if len(odd) >= 3 or (odd and markers) or len(odd) * 4 >= len(han):
        return "zh-Hans"
    return "zh" if len(markers) >= 2 else ""


@dataclass(frozen=True)
class Finding:
    """A text field Japanese documents cannot carry as it is: its unusual characters, or its language."""

    loc: tuple[str | int, ...]  # ('family', 0, 'application', 'reason')
    chars: str  # the Han characters outside JIS X 0208 / 0213, each once
    language: Language  # 'zh-Hans' / 'zh': the whole answer seems to be in Chinese

    @property
    def path(self) -> str:
        return field_path(self.loc)


def _texts(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(location, text) for every string in a profile: model fields by their YAML name, list items by index."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            yield from _texts(getattr(value, name), (*loc, field.alias or name))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _texts(item, (*loc, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*loc, str(key)))


def character_findings(profile: BaseModel) -> list[Finding]:
    """Every text field of the profile with characters Japanese documents do not use or written in Chinese."""
    out = []
    for loc, text in _texts(profile, ()):
        found, language = unusual_in(text), chinese_text(text)
        if found or language:
            out.append(Finding(loc, found, language))
    return out


def unusual_characters(profile: BaseModel) -> list[tuple[str, str]]:
    """(field path, its unusual characters) for every text field of the profile holding a Han character outside
    JIS X 0208 / 0213, e.g. [("applicant.name_kanji", "伟"), ("family[0].occupation", "妇")]."""
    return [(f.path, f.chars) for f in character_findings(profile) if f.chars]


def _examples(chars: str) -> str:
    """'偉' for one character, '伟→偉、东→東' for several; '' when none has a known Japanese form."""
    known = [(c, JAPANESE_FORM[c]) for c in chars if c in JAPANESE_FORM]
    if len(chars) == 1 and known:
        return known[0][1]
    return "、".join(f"{c}→{j}" for c, j in known)


def unusual_character_message(chars: str) -> str:
    """What is wrong with a field holding `chars`, e.g. 「日本の書類で使われない字（簡体字など）があります: 伟。
    日本の字体（例: 偉）で書くか確認してください」."""
    example = _examples(chars)
    listed = "、".join(chars)
    return say(
        f"日本の書類で使われない字（簡体字など）があります: {listed}。日本の字体"
        + (f"（例: {example}）" if example else "")
        + "で書くか確認してください",
        f"characters Japanese documents do not use (simplified Chinese or similar): {', '.join(chars)}."
        " Check whether to write them in the Japanese form" + (f" (e.g. {example})" if example else ""),
    )


def unusual_character_notice(path: str, chars: str) -> str:
    """The notice for one field: 「applicant.name_kanji: 日本の書類で使われない字（簡体字など）があります: 伟。…」."""
    return f"{path}: {unusual_character_message(chars)}"


def chinese_text_message(language: Language) -> str:
    """What is wrong with an answer written in Chinese (never its characters or its value)."""
    simplified = language == "zh-Hans"
    return say(
        f"中国語{'（簡体字）' if simplified else ''}で書かれているようです。日本の書類にそのまま載るため、"
        "日本語で記入してください",
        f"this seems to be written in Chinese{' (simplified characters)' if simplified else ''}; it goes into the"
        " Japanese documents as written: write it in Japanese",
    )


def finding_message(finding: Finding) -> str:
    """The message of one finding, without the place (the caller names the field or the cell)."""
    return chinese_text_message(finding.language) if finding.language else unusual_character_message(finding.chars)


def unusual_character_notices(profile: BaseModel) -> list[str]:
    """One notice per field with unusual characters or written in Chinese, for staff: 「field: message」."""
    return [f"{f.path}: {finding_message(f)}" for f in character_findings(profile)]
