"""Query and document tokenisation for Chinese legal text.

jieba with a user dictionary built from the corpus itself (law names, defined terms), simplified
Chinese via OpenCC (traditional questions work), stop words dropped, and a reviewed lexicon that
widens everyday words with the statute's own wording.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import jieba
import yaml
from opencc import OpenCC

jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not the user's business
LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")
STOPWORDS = set(
    "的 了 是 在 和 与 或 及 等 我 你 他 她 它 我们 你们 他们 这 那 这个 那个 吗 呢 吧 啊 呀 么 怎么 怎么办 怎样 如何 什么 "
    "可以 能 能否 能不能 是否 有 没有 会 要 需要 应该 应当 还 也 都 就 又 被 把 对 给 让 从 向 到 为 为了 因为 所以 如果 但是 "
    "而 并 且 一个 一下 一些 请问 请 问 咨询 律师 您好 你好 谢谢 现在 已经 自己 这样 那样 多少 哪些 哪里 这种 情况 问题 "
    "规定 法律 条 第 之 其 以 于 者 所 之后 之前 时候 后 前 中 内 上 下 不 没 无".split()
)
_PUNCT = re.compile(r"^[\W_]+$")
_t2s = OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s.convert(text)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, list[str]]:
    data = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    return {k: list(v) for k, v in data["synonyms"].items()}


_dictionary_loaded: set[int] = set()


def load_legal_dictionary(terms: list[str]) -> None:
    """Teach jieba the corpus' own terms once per process (law names, defined terms, lexicon)."""
    key = hash(tuple(terms))
    if key in _dictionary_loaded:
        return
    for term in terms:
        jieba.add_word(term, freq=2000)
    for word, expansions in lexicon().items():
        jieba.add_word(word, freq=2000)
        for term in expansions:
            jieba.add_word(term, freq=2000)
    _dictionary_loaded.add(key)


def tokens(text: str) -> list[str]:
    """Search tokens: jieba search-mode words without stop words and punctuation."""
    words = jieba.lcut_for_search(to_simplified(text))
    return [w for w in words if w.strip() and w not in STOPWORDS and not _PUNCT.match(w)]


def expand_query(text: str) -> list[str]:
    """Query tokens plus the statute wording for everyday words found in the query."""
    simplified = to_simplified(text)
    found = tokens(simplified)
    extra: list[str] = []
    for word, expansions in lexicon().items():
        if word in simplified:
            extra.extend(expansions)
    return found + [t for e in extra for t in tokens(e)]
