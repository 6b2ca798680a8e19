"""URL slugs: ASCII a-z0-9 and '-', made from Chinese with phrase-aware pinyin."""

from __future__ import annotations

import functools
import re
import unicodedata

from pypinyin import lazy_pinyin, load_phrases_dict

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_LENGTH = 60

# Phrases of this column that pypinyin's dictionary reads wrongly (长效 is not zhang-xiao).
load_phrases_dict({"长效": [["cháng"], ["xiào"]]})


def is_slug(text: str) -> bool:
    return bool(SLUG.fullmatch(text))


@functools.lru_cache(maxsize=8192)
def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """Turn a title or file name into a slug: 银行服务 -> yin-hang-fu-wu.

    pypinyin reads phrases, so polyphonic characters come out right in
    context (重庆 -> chong-qing). The result is cut at a word boundary.
    """
    text = unicodedata.normalize("NFKC", text)
    words = []
    for chunk in lazy_pinyin(text):
        ascii_chunk = unicodedata.normalize("NFKD", chunk).encode("ascii", "ignore").decode()
        words.extend(re.findall(r"[a-z0-9]+", ascii_chunk.lower()))
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "-".join(words)[:max_length].strip("-")


def unique_slugs(names: list[str]) -> dict[str, str]:
    """Give each distinct name a slug; names that sound alike get -2, -3 in sorted order."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(set(names)):
        base = slugify(name) or "x"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        result[name] = slug
    return result
