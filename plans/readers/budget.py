"""How much of a file a plan may need: every reader stops at these limits and refuses the file.

The limits are chosen from what real plans hold, with room to spare: the seed plans and the
generated fixtures at five times their size pass, and so does a plan with photos, logos and
scanned signature pages. A ward plan is a few pages with a table of tens to a few hundred tasks;
each limit below is one to two orders of magnitude above that. The README lists them.
"""

from typing import Final

MAX_FILE_BYTES: Final = 20 * 1024 * 1024
"""The file as sent."""
MAX_TEXT_CHARS: Final = 2_000_000
"""The running text and every table cell together (a 50-task plan is about 35,000)."""

MAX_PAGES: Final = 300
"""PDF pages (a plan with its appendices and scanned signature pages is under 30)."""
MAX_PAGE_STREAM_BYTES: Final = 4 * 1024 * 1024
"""One PDF stream that pdfminer parses (page content, forms, object streams), inflated (a page
of dense text is 5 to 50 KB)."""
MAX_FONT_STREAM_BYTES: Final = 32 * 1024 * 1024
"""One embedded font, inflated (a full font with every script is about 20 MB)."""
MAX_IMAGE_STREAM_BYTES: Final = 128 * 1024 * 1024
"""One picture, inflated (an A4 page scanned in colour at 300 dpi is 26 MB); never parsed."""
MAX_PARSED_STREAM_BYTES: Final = 4 * 1024 * 1024
"""All of a PDF's parsed streams (page contents, forms, object streams) together: pdfminer
reads about 0.6 MB of text operators a second, so what passes is read well within 10 s (a
page of dense text holds 5 to 50 KB)."""
MAX_PDF_UNPACKED_BYTES: Final = 512 * 1024 * 1024
"""Every stream of a PDF together, pictures included, inflated through every filter."""

MAX_UNPACKED_BYTES: Final = 200 * 1024 * 1024
"""A .docx/.xlsx archive's parts together, unpacked."""
MAX_XML_BYTES: Final = 16 * 1024 * 1024
"""One XML part the parser holds in memory (a 300-task plan's document.xml is about 2 MB)."""

MAX_TABLE_CELLS: Final = 200_000
"""Cells of every table together, each merged cell counted over the grid it covers."""
MAX_COLUMNS: Final = 100
"""Grid columns of a Word table (a task table has 4 to 12)."""
MAX_NESTING: Final = 8
"""Tables inside table cells, level upon level."""
MAX_ROWS: Final = 20_000
"""Rows of one Excel sheet up to its last filled row."""
MAX_MERGED_RANGES: Final = 10_000
"""Merged ranges of one Excel sheet."""

READ_CPU_SECONDS: Final = 20
"""Processor time to read a file into a draft (the slowest accepted file takes under 10 s)."""
READ_SECONDS: Final = 60.0
"""Wall-clock time to read a file into a draft: a reader blocked or starved is stopped too."""
READ_MEMORY_BYTES: Final = 640 * 1024 * 1024
"""Address space of the process that reads a file (the largest accepted file peaks under
300 MB resident; libraries map more than they touch)."""
