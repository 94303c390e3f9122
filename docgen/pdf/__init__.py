"""Stage 6, PDF: filled .docx files and the client's scans in, PDFs and one bundle out.

`convert.py` runs LibreOffice (isolated profile and temporary folder, a watchdog on progress that names a hang
within a minute, a check that each PDF opens); `evidence.py` repairs scanned PDFs and turns images into A4 pages,
reporting unusable files by name; `sanitise.py` takes JavaScript, actions, links, embedded files and forms out of
a scan and refuses a page the bundle cannot take; `bundle.py` merges the index and sections with bookmarks and
page stamps, with all page arithmetic in `page_ranges`; `disk.py` names a folder that cannot be written (a full
or read-only disk, no permission, an unusable TMPDIR).
"""
