"""Plain words for residents: the hall's jargon and the plain Chinese a resident reads instead.

Every resident screen, voice prompt, tile and outcome uses the plain word. A legal term stays
only where the law names the document (the 告知承诺书 the resident signs, 办事指南 as a
document's title), and then with its one-line explanation from `EXPLAINED`.
tests/test_plain_words.py holds the screens, prompts and labels to this list.
"""

from __future__ import annotations

PLAIN: dict[str, str] = {
    "秒批": "当场办结",
    "即时办结": "当场办结",
    "告知承诺通过": "签承诺后当场办结",
    "告知承诺": "签承诺，当场办结",
    "证照联办": "接着办许可",
    "一业一证": "一张许可证办一个行业",
    "一次告知": "一次说清",
    "容缺受理": "先受理，材料以后补交",
    "校验码": "最后一位",
    "窗口无否决权": "窗口不能说不行，只能说怎么办",
}

# Where a legal term must appear (a document the law names), the line that explains it.
EXPLAINED: dict[str, str] = {
    "告知承诺书": "您签字承诺所填属实，就可以当场拿到结果；如有不实，要承担法律责任。",
}
