"""Write README's field lists from the schemas, the one place each field is described.

    .venv/bin/python tools/write_field_docs.py          # rewrite README.md
    .venv/bin/python tools/write_field_docs.py --check  # exit 1 if README.md differs (a test runs this)

Each list stands between `<!-- fields: NAME -->` and `<!-- /fields -->` in README.md.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from brandcolumn.core.config import DEFAULT_CATEGORIES, FIELDS, Config  # noqa: E402
from brandcolumn.core.schema import Field, yaml_lines  # noqa: E402
from brandcolumn.load.content import CASE_FIELDS, PAGE_FIELDS  # noqa: E402
from brandcolumn.load.data import NAMING_FIELDS, NEWS_FIELDS, brand_fields  # noqa: E402

README = PROJECT / "README.md"
CASE_BODY = """## 从口号到形象

正文……表格、脚注（`[^1]`）都可以用。插图写成
![办税服务厅的品牌形象墙](photos/xin-qiao-hall.jpg)，方括号里写图片内容的文字说明。"""


def _examples(fields: dict[str, Field]) -> list[str]:
    return yaml_lines(fields, lambda field: field.example)


def _settings_table(fields: dict[str, Field]) -> list[str]:
    rows = ["| 字段 | 说明 | 例如 |", "| --- | --- | --- |"]
    for name, field in fields.items():
        doc = ("必填：" if field.required else "") + field.doc
        sub = getattr(field.parse, "fields", None)
        if sub:
            doc += "：" + "、".join(f"`{key}`（{item.doc}）" for key, item in sub.items())
        rows.append(f"| `{name}` | {doc} | {f'`{field.example}`' if field.example else ''} |")
    return rows


def blocks() -> dict[str, str]:
    """Each list of README, by its marker's name."""
    brand = brand_fields(Config(PROJECT, "", "", categories=dict(DEFAULT_CATEGORIES)))
    return {
        "case": "\n".join(["```markdown", "---", *_examples(CASE_FIELDS), "---", CASE_BODY, "```"]),
        "brand": "\n".join(["```yaml", *_examples(brand), "```"]),
        "naming": "\n".join(["```yaml", *_examples(NAMING_FIELDS), "```"]),
        "news": "\n".join(["```yaml", *("- " + line[2:] if i == 0 else line for i, line in
                                         enumerate(yaml_lines(NEWS_FIELDS, lambda f: f.example, "  "))), "```"]),
        "page": "\n".join(["```markdown", "---", *_examples(PAGE_FIELDS), "---", "正文……", "```"]),
        "settings": "\n".join(_settings_table(FIELDS)),
    }


def written(text: str) -> str:
    """README's text with every list written anew."""
    made = blocks()

    def replace(match: re.Match) -> str:
        return f"{match[1]}\n{made[match[2]]}\n{match[4]}"
    # What stands between two markers never holds another marker.
    return re.sub(r"(<!-- fields: (\w+) -->)\n((?:(?!<!-- ).)*?)(<!-- /fields -->)", replace, text, flags=re.S)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    new = written(text)
    if "--check" in sys.argv:
        return 0 if new == text else 1
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
