"""Attachments the input scenarios send: a one-page PDF and a small PNG, built here, byte-exact.

Built rather than stored so the suite carries no binary files, and tiny so a real gateway bills
a few hundred prompt tokens at most.  The PDF by URL is a small public test document (W3C's
accessibility test files), fetched by the gateway, never by gatecheck.
"""

from __future__ import annotations

import base64
import struct
import zlib

import pytest

#: A one-page PDF served publicly for tests; the gateway (or its provider) fetches it.
PDF_URL = "https://www.w3.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf"


def tiny_pdf(text: str = "gatecheck") -> bytes:
    """A valid one-page PDF showing ``text`` in Helvetica, with a correct cross-reference table."""
    content = f"BT /F1 18 Tf 20 20 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 60] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def tiny_png(size: int = 16, rgb: tuple[int, int, int] = (32, 96, 160)) -> bytes:
    """A valid ``size`` x ``size`` PNG of one colour."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    rows = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="session")
def pdf_data_url() -> str:
    """:func:`tiny_pdf` as a base64 data URL, the form Requesty's reference (002) shows."""
    return "data:application/pdf;base64," + base64.b64encode(tiny_pdf()).decode("ascii")


@pytest.fixture(scope="session")
def pdf_url() -> str:
    """:data:`PDF_URL`."""
    return PDF_URL


@pytest.fixture(scope="session")
def png_data_url() -> str:
    """:func:`tiny_png` as a base64 data URL."""
    return "data:image/png;base64," + base64.b64encode(tiny_png()).decode("ascii")
