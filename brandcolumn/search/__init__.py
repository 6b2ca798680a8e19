"""Site search for Chinese with no server: an index of character pairs with their positions,
written at build time and searched in the browser (issue 14).

    documents.py  what the built pages declare searchable (Pagefind's data-pagefind-* attributes)
    fold.py       how text and queries are folded: width, case, spaces, traditional characters
    postings.py   where each character pair stands in each document (numpy, batch by batch)
    layout.py     the index files, cut so that a query fetches only what it needs
    index.py      the step the build runs: read, post, write, swap in; each part cached
    engine.js     the search in the browser (published as pagefind/pagefind.js)

A result is exactly a document whose text holds the query as written, however long the column:
every pair of the query is looked up, and the positions confirm the phrase.
"""

from .index import INDEX_DIR, index_search

__all__ = ["INDEX_DIR", "index_search"]
