"""Reads a Word document as an independent reader would, and prints what it finds as JSON.

Run with Debian's Python and its python-docx (/usr/bin/python3 read-docx.py FILE.docx), which shares
no code with the writer. Prints the sections (orientation, page size, the text of their headers) and the
body in order: each paragraph's text and style, each table's rows of cell texts and whether its first
row is marked to repeat at the top of every page, and the section each belongs to.
"""
import json
import sys

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def header_lines(header):
    if header is None:
        return []
    return [p.text for p in header.paragraphs if p.text]


def section_of(section):
    return {
        "orientation": "landscape" if section.orientation == WD_ORIENT.LANDSCAPE else "portrait",
        "width": section.page_width.twips if section.page_width is not None else None,
        "height": section.page_height.twips if section.page_height is not None else None,
        "header": header_lines(section.header),
        "footer": header_lines(section.footer),
        "titlePage": bool(section.different_first_page_header_footer),
    }


def repeats_header(table):
    first = table._tbl.tr_lst[0] if table._tbl.tr_lst else None
    if first is None or first.trPr is None:
        return False
    return first.trPr.find(qn("w:tblHeader")) is not None


def read(path):
    document = docx.Document(path)
    blocks = []
    section = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            blocks.append({"type": "paragraph", "section": section, "style": paragraph.style.name, "text": paragraph.text})
            # A paragraph carrying section properties ends its section.
            if child.pPr is not None and child.pPr.find(qn("w:sectPr")) is not None:
                section += 1
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            blocks.append(
                {
                    "type": "table",
                    "section": section,
                    "headerRepeats": repeats_header(table),
                    "rows": [[cell.text for cell in row.cells] for row in table.rows],
                }
            )
    return {
        "sections": [section_of(s) for s in document.sections],
        "blocks": blocks,
        "pictures": len(document.inline_shapes),
        "title": document.core_properties.title,
    }


if __name__ == "__main__":
    json.dump(read(sys.argv[1]), sys.stdout, ensure_ascii=False)
