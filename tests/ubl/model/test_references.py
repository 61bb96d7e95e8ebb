"""Tests for entegrator.ubl.model.references."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from entegrator.ubl.model import AdditionalDocument

_BASE = {"id": "EK-1", "issue_date": "2025-01-02"}


def test_embedded_content_needs_a_mime_code() -> None:
    with pytest.raises(ValidationError, match="MIME"):
        AdditionalDocument.model_validate({**_BASE, "content": "YWJj"})


def test_attachment_is_either_embedded_or_linked() -> None:
    with pytest.raises(ValidationError, match="ya gömülü"):
        AdditionalDocument.model_validate(
            {**_BASE, "content": "YWJj", "mime_code": "text/plain", "uri": "https://x.tr/a"}
        )


def test_filename_without_content_is_refused() -> None:
    with pytest.raises(ValidationError, match="dosya adı"):
        AdditionalDocument.model_validate({**_BASE, "filename": "a.pdf"})
