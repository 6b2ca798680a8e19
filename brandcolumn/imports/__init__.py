"""`build.py import FILE`: material that reaches the column as a document, made into the column's own files.

    document.py  a Word document (.docx), or text pasted from WPS or a web page (.txt, .html), as a draft
                 case in Markdown: headings, lists, tables, footnotes and pictures kept, Word's noise gone
"""
