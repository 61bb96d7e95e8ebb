"""render — turns UBL-TR documents into human-readable HTML and PDF.

The project's own visualization XSLT (embedded into built invoices), the karekod, HTML via
lxml and PDF via WeasyPrint, and sandboxed use of a document's own XSLT. Depends only on ubl.
"""
