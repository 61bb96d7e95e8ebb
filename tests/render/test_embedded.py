"""Tests for entegrator.render.embedded: a document's own XSLT, hostile ones included."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from entegrator.render import SandboxLimits, render_html
from entegrator.render.embedded import check_stylesheet, find_embedded_stylesheet, run_sandboxed
from entegrator.render.errors import EmbeddedStylesheetError
from entegrator.ubl import xml

Embed = Callable[..., bytes]

HEAD = (
    '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
    'xmlns:exsl="http://exslt.org/common" extension-element-prefixes="exsl">'
)
TAIL = "</xsl:stylesheet>"


def stylesheet(body: str) -> bytes:
    return (HEAD + body + TAIL).encode()


def main_template(content: str) -> bytes:
    return stylesheet(f'<xsl:template match="/"><html><body>{content}</body></html></xsl:template>')


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """An XML file whose content must never reach a rendered page."""
    path = tmp_path / "secret.xml"
    path.write_text("<s>GIZLI-SIR-7731</s>")
    return path


def embedded_error(document: bytes, limits: SandboxLimits | None = None) -> EmbeddedStylesheetError:
    with pytest.raises(EmbeddedStylesheetError) as caught:
        render_html(document, stylesheet="embedded", limits=limits)
    return caught.value


def test_embedded_gib_stylesheet_renders(ubltr: Path) -> None:
    page = render_html((ubltr / "YTB_Satis_Efatura.xml").read_bytes(), stylesheet="embedded")
    assert b"GIB2025000000001" in page


def test_embedded_2013_stylesheet_without_document_type_renders(samples_dir: Path) -> None:
    invoice = (samples_dir / "gib-efatura-paketi" / "1_TEMEL_FATURA.xml").read_bytes()
    assert b"TST2013000000766" in render_html(invoice, stylesheet="embedded")


def test_embedded_simple_stylesheet_output_is_returned(ticari: bytes, embed: Embed) -> None:
    page = render_html(
        embed(ticari, main_template("<p><xsl:value-of select=\"//*[local-name()='ID']\"/></p>")),
        stylesheet="embedded",
    )
    assert b"<p>GIB2009000000011</p>" in page


@pytest.mark.parametrize("href", ["/etc/passwd", "file:///etc/passwd", "SECRET", "SECRET_URI"])
def test_embedded_document_read_is_refused(
    ticari: bytes, embed: Embed, secret: Path, href: str
) -> None:
    href = {"SECRET": str(secret), "SECRET_URI": secret.as_uri()}.get(href, href)
    hostile = main_template(f"<p><xsl:copy-of select=\"document('{href}')\"/></p>")
    problem = embedded_error(embed(ticari, hostile))
    assert problem.problem == "failed"
    assert "GIZLI" not in str(problem)


def test_embedded_document_read_auto_falls_back_without_leaking(
    ticari: bytes, embed: Embed, secret: Path, caplog: pytest.LogCaptureFixture
) -> None:
    hostile = main_template(f"<p><xsl:copy-of select=\"document('{secret.as_uri()}')\"/></p>")
    with caplog.at_level(logging.WARNING, logger="entegrator.render"):
        page = render_html(embed(ticari, hostile))
    assert b"GIZLI" not in page
    assert page == render_html(ticari, stylesheet="own")
    assert "gömülü XSLT kullanılmadı" in caplog.text


def test_embedded_exsl_document_write_is_refused(
    ticari: bytes, embed: Embed, tmp_path: Path
) -> None:
    target = tmp_path / "yazildi.html"
    hostile = main_template(
        f'<exsl:document href="{target}" method="text">ele geçirildi</exsl:document>'
    )
    assert embedded_error(embed(ticari, hostile)).problem == "failed"
    assert not target.exists()


@pytest.mark.parametrize("element", ["include", "import"])
@pytest.mark.parametrize("href", ["LOCAL", "file:///etc/passwd", "http://127.0.0.1:9/x.xsl"])
def test_embedded_include_and_import_are_refused(
    ticari: bytes, embed: Embed, tmp_path: Path, element: str, href: str
) -> None:
    included = tmp_path / "included.xsl"
    included.write_bytes(stylesheet('<xsl:template match="/">SIZINTI</xsl:template>'))
    href = str(included) if href == "LOCAL" else href
    hostile = stylesheet(f'<xsl:{element} href="{href}"/>')
    problem = embedded_error(embed(ticari, hostile))
    assert problem.problem == "unsafe"
    assert f"xsl:{element}" in str(problem)


def test_embedded_infinite_recursion_is_stopped(ticari: bytes, embed: Embed) -> None:
    hostile = stylesheet(
        '<xsl:template match="/"><xsl:call-template name="r"/></xsl:template>'
        '<xsl:template name="r"><x><xsl:call-template name="r"/></x></xsl:template>'
    )
    assert embedded_error(embed(ticari, hostile)).problem == "failed"


def test_embedded_exponential_work_is_killed_at_the_timeout(ticari: bytes, embed: Embed) -> None:
    hostile = stylesheet(
        '<xsl:template match="/"><xsl:call-template name="r">'
        '<xsl:with-param name="n" select="60"/></xsl:call-template></xsl:template>'
        '<xsl:template name="r"><xsl:param name="n"/><xsl:if test="$n > 0">'
        '<xsl:call-template name="r"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template>'
        '<xsl:call-template name="r"><xsl:with-param name="n" select="$n - 1"/></xsl:call-template>'
        "</xsl:if></xsl:template>"
    )
    started = time.monotonic()
    problem = embedded_error(embed(ticari, hostile), SandboxLimits(timeout_seconds=2))
    assert problem.problem == "timeout"
    assert time.monotonic() - started < 10


def test_embedded_memory_hog_is_stopped(ticari: bytes, embed: Embed) -> None:
    hostile = stylesheet(
        '<xsl:template match="/"><xsl:call-template name="r">'
        '<xsl:with-param name="s" select="\'0123456789abcdef\'"/></xsl:call-template>'
        "</xsl:template>"
        '<xsl:template name="r"><xsl:param name="s"/>'
        '<xsl:call-template name="r"><xsl:with-param name="s" select="concat($s, $s)"/>'
        "</xsl:call-template></xsl:template>"
    )
    limits = SandboxLimits(timeout_seconds=20, memory_bytes=512 * 1024 * 1024)
    assert embedded_error(embed(ticari, hostile), limits).problem in ("failed", "timeout")


def test_embedded_output_size_is_capped(ticari: bytes, embed: Embed) -> None:
    big = main_template('<xsl:for-each select="//node()"><p>dolgu dolgu dolgu</p></xsl:for-each>')
    problem = embedded_error(embed(ticari, big), SandboxLimits(max_output_bytes=500))
    assert "çok büyük" in str(problem)


def test_embedded_non_stylesheet_is_refused(ticari: bytes, embed: Embed) -> None:
    assert embedded_error(embed(ticari, b"<html><body>x</body></html>")).problem == "unsafe"


def test_embedded_stylesheet_with_entities_is_refused(ticari: bytes, embed: Embed) -> None:
    hostile = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + main_template("&e;")
    assert embedded_error(embed(ticari, hostile)).problem == "unsafe"


def test_embedded_oversize_stylesheet_is_refused(ticari: bytes, embed: Embed) -> None:
    document = embed(ticari, main_template("x" * 5000))
    problem = embedded_error(document, SandboxLimits(max_stylesheet_bytes=1000))
    assert problem.problem == "unsafe"


def test_find_embedded_stylesheet_refuses_bad_base64(ticari: bytes, embed: Embed) -> None:
    root = xml.parse(embed(ticari, b"<x/>"))
    node = root.find(".//{*}EmbeddedDocumentBinaryObject")
    node.text = "bu*base64*değil"
    with pytest.raises(EmbeddedStylesheetError) as caught:
        find_embedded_stylesheet(root, SandboxLimits())
    assert caught.value.problem == "unsafe"


def test_find_embedded_stylesheet_by_filename_alone(ticari: bytes, embed: Embed) -> None:
    data = main_template("merhaba")
    root = xml.parse(embed(ticari, data, document_type="GORUNTULEME"))
    assert find_embedded_stylesheet(root, SandboxLimits()) == data


def test_find_embedded_stylesheet_ignores_other_attachments(ticari: bytes, embed: Embed) -> None:
    root = xml.parse(embed(ticari, b"%PDF-1.4", document_type="PDF"))
    node = root.find(".//{*}EmbeddedDocumentBinaryObject")
    node.set("filename", "ek.pdf")
    node.text = base64.b64encode(b"%PDF-1.4").decode()
    with pytest.raises(EmbeddedStylesheetError) as caught:
        find_embedded_stylesheet(root, SandboxLimits())
    assert caught.value.problem == "missing"


def test_check_stylesheet_accepts_transform_root() -> None:
    data = b'<xsl:transform version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>'
    assert check_stylesheet(data, SandboxLimits()).tag.endswith("transform")


def test_run_sandboxed_checks_before_starting(ticari: bytes) -> None:
    with pytest.raises(EmbeddedStylesheetError):
        run_sandboxed(ticari, stylesheet('<xsl:include href="x.xsl"/>'), SandboxLimits())
