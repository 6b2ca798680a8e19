"""Write brandcolumn/search/simplified.json: OpenCC's traditional -> simplified characters, which
search folds pages and queries with (brandcolumn/search/fold.py). Run it after upgrading opencc in
requirements.txt; tests/unit/test_search_parts.py fails while the file and OpenCC disagree.

    .venv/bin/python tools/make_simplified_table.py
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brandcolumn.search.fold import TABLE, converted_table  # noqa: E402

if __name__ == "__main__":
    table = converted_table()
    TABLE.write_text(json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(table)} characters -> {TABLE}")
