"""A tiny generator of valid one-page PDF documents (text only), for the demo documents: no binary in the repo."""

import textwrap

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4, in points
MARGIN = 56
LINE_WIDTH_CHARS = 88


def _escape(text: str) -> bytes:
    """A PDF literal string in WinAnsi (Latin-1 covers French accents; the few other characters are replaced)."""
    text = text.replace("’", "'").replace("œ", "oe").replace("Œ", "OE").replace("…", "...").replace("–", "-")
    encoded = text.encode("cp1252", errors="replace")
    return encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content_stream(title: str, paragraphs: list[str]) -> bytes:
    lines = [b"BT", b"/F2 16 Tf", f"{MARGIN} {PAGE_HEIGHT - MARGIN - 16} Td".encode(), b"20 TL"]
    for line in textwrap.wrap(title, 60):
        lines.append(b"(" + _escape(line) + b") Tj T*")
    lines += [b"/F1 11 Tf", b"15 TL", b"T*"]
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, LINE_WIDTH_CHARS) or [""]:
            lines.append(b"(" + _escape(line) + b") Tj T*")
        lines.append(b"T*")
    lines.append(b"ET")
    return b"\n".join(lines)


def pdf_document(title: str, paragraphs: list[str]) -> bytes:
    """A PDF 1.4 file with one A4 page showing a title and paragraphs in Helvetica."""
    stream = _content_stream(title, paragraphs)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
        ).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title (" + _escape(title) + b") /Producer (Conseiller numerique) >>",
    ]
    output = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n".encode() + b"0000000000 65535 f \n"
    output += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    output += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n".encode()
    output += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(output)
