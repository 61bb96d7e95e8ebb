"""Tests for entegrator.ubl.errors."""

from __future__ import annotations

from entegrator.errors import DocumentError
from entegrator.ubl.errors import InvoiceInvalid, NotAnInvoice, Problem, format_path


def test_format_path_uses_brackets_for_indices() -> None:
    assert format_path(("lines", 3, "taxes", 0, "code")) == "lines[3].taxes[0].code"


def test_problem_without_path_is_just_the_message() -> None:
    assert str(Problem("", "belge boş")) == "belge boş"


def test_invoice_invalid_lists_every_problem() -> None:
    error = InvoiceInvalid([Problem("number", "yok"), Problem("ettn", "yok")])
    assert error.problems == (Problem("number", "yok"), Problem("ettn", "yok"))
    assert "2 sorun" in str(error)
    assert "  - ettn: yok" in str(error)


def test_errors_are_document_errors() -> None:
    assert issubclass(InvoiceInvalid, DocumentError)
    assert issubclass(NotAnInvoice, DocumentError)
