"""Characters the Japanese documents cannot carry: a Han character outside JIS X 0208 / 0213 (and outside the
Windows Japanese set, which adds 髙, 﨑 and other kanji of Japanese names) is almost always a simplified Chinese
form the client typed (李伟, 会社员, 主妇, 浦东) and would reach the 申請書 and 理由書 unchanged.

`unusual_characters(profile)` walks every text field of the profile generically, so a field added to the model is
covered without a change here; `unusual_character_notices` words the findings for staff (`docgen profile check`,
`docgen assess`; the packet summary uses the same function). Only the characters are named — never the value.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from docgen.messages import say

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


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field path, text) for every string in a profile: model fields by their YAML name, list items by index."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            key = field.alias or name
            yield from _texts(getattr(value, name), f"{path}.{key}" if path else key)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}" if path else str(key))


def unusual_characters(profile: BaseModel) -> list[tuple[str, str]]:
    """(field path, its unusual characters) for every text field of the profile holding a Han character outside
    JIS X 0208 / 0213, e.g. [("applicant.name_kanji", "伟"), ("family[0].occupation", "妇")]."""
    out = []
    for path, text in _texts(profile, ""):
        found = unusual_in(text)
        if found:
            out.append((path, found))
    return out


def _examples(chars: str) -> str:
    """'偉' for one character, '伟→偉、东→東' for several; '' when none has a known Japanese form."""
    known = [(c, JAPANESE_FORM[c]) for c in chars if c in JAPANESE_FORM]
    if len(chars) == 1 and known:
        return known[0][1]
    return "、".join(f"{c}→{j}" for c, j in known)


def unusual_character_notice(path: str, chars: str) -> str:
    """The notice for one field, e.g. 「applicant.name_kanji: 日本の書類で使われない字（簡体字など）があります: 伟。
    日本の字体（例: 偉）で書くか確認してください」."""
    example = _examples(chars)
    listed = "、".join(chars)
    return say(
        f"{path}: 日本の書類で使われない字（簡体字など）があります: {listed}。日本の字体"
        + (f"（例: {example}）" if example else "")
        + "で書くか確認してください",
        f"{path}: characters Japanese documents do not use (simplified Chinese or similar): {', '.join(chars)}."
        " Check whether to write them in the Japanese form" + (f" (e.g. {example})" if example else ""),
    )


def unusual_character_notices(profile: BaseModel) -> list[str]:
    """One notice per field with unusual characters, for staff."""
    return [unusual_character_notice(path, chars) for path, chars in unusual_characters(profile)]
