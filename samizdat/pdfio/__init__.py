"""The PDF libraries in one place: reading foreign PDFs, damage, Form XObjects, packing, splitting.

`read` reads a PDF from outside into checked values, resolving up front all
that is later copied; `damage` is the one net for what pypdf raises on a
damaged file, used only where a foreign file is read; `pages` checks a page's
boxes, turn and contents; `forms` makes source pages into Form XObjects and
carries metadata over; `pack` writes a PDF small and splits one per page;
`weasy` reads WeasyPrint's laid-out pages. These are the only modules that may
touch private attributes of pypdf or WeasyPrint, each use commented with the
public API it stands in for (tests/test_pdflib.py checks it). Importing this
package imports neither library: each module imports what it needs.
"""
