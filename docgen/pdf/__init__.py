"""Stage 6, PDF: filled .docx files and the client's scans in, PDFs and one bundle out.

`convert.py` runs LibreOffice (isolated profile, timeout, a check that each PDF opens); `evidence.py`
repairs scanned PDFs and turns images into A4 pages, reporting unreadable files by name; `bundle.py`
merges the index and sections with bookmarks and page stamps, with all page arithmetic in `page_ranges`.
"""
