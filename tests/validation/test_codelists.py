"""The code-list index answers exactly like GİB's ``contains($List, concat(',',.,','))``."""

from __future__ import annotations

import pytest
from lxml import etree

from entegrator.validation import Layer, RuleMode, ValidationEngine, ValidationOptions
from entegrator.validation.codelists import INDEX_PREFIX, index_code_lists
from entegrator.validation.kinds import xsl_path
from tests.validation.support import edit

_XSL = "http://www.w3.org/1999/XSL/Transform"
_SCHEMATRON_ONLY = ValidationOptions(xsd=False, rules=RuleMode.OFF)
_TINY = f"""<xsl:stylesheet xmlns:xsl="{_XSL}" xmlns:svrl="http://purl.oclc.org/dsdl/svrl"
    version="1.0">
  <xsl:param name="Codes" select="',A,B,C,'"/>
  <xsl:param name="Computed" select="concat(',A', ',')"/>
  <xsl:template match="x">
    <xsl:if test="not(contains($Codes, concat(',',.,',')))">
      <svrl:failed-assert test="contains($Codes, concat(',',.,','))"/>
    </xsl:if>
    <xsl:if test="contains($Computed, concat(',',.,','))"/>
    <xsl:if test="contains($Codes, concat(',',@a,','))"/>
  </xsl:template>
</xsl:stylesheet>"""


def _tiny() -> etree._Element:
    return etree.fromstring(_TINY)


def test_only_literal_lists_of_the_context_value_are_indexed() -> None:
    stylesheet = _tiny()
    assert index_code_lists(stylesheet) == ["Codes"]
    tests = [e.get("test") for e in stylesheet.iter(f"{{{_XSL}}}if")]
    assert tests[0] == (
        "not((if (contains(string(.), ',')) then contains($Codes, concat(',',.,',')) "
        f"else exists(${INDEX_PREFIX}Codes(string(.)))))"
    )
    assert tests[1:] == [
        "contains($Computed, concat(',',.,','))",
        "contains($Codes, concat(',',@a,','))",
    ]


def test_reported_test_text_is_untouched() -> None:
    stylesheet = _tiny()
    index_code_lists(stylesheet)
    reported = stylesheet.find(".//{http://purl.oclc.org/dsdl/svrl}failed-assert")
    assert reported is not None
    assert reported.get("test") == "contains($Codes, concat(',',.,','))"


def test_index_holds_the_items_between_commas() -> None:
    stylesheet = _tiny()
    index_code_lists(stylesheet)
    declaration = stylesheet[0]
    assert declaration.get("name") == f"{INDEX_PREFIX}Codes"
    assert declaration.get("static") == "yes"
    assert declaration.get("select") == "map{'A':true(),'B':true(),'C':true()}"


def test_name_collision_is_refused() -> None:
    stylesheet = _tiny()
    clash = etree.SubElement(stylesheet, f"{{{_XSL}}}variable", name=f"{INDEX_PREFIX}Codes")
    clash.set("select", "1")
    with pytest.raises(ValueError, match="already declares"):
        index_code_lists(stylesheet)


def test_gibs_stylesheet_has_its_big_lists_indexed() -> None:
    stylesheet = etree.parse(str(xsl_path())).getroot()
    indexed = index_code_lists(stylesheet)
    assert {"CurrencyCodeList", "UnitCodeList", "MimeCodeList"} <= set(indexed)


def _list(name: str) -> list[str]:
    stylesheet = etree.parse(str(xsl_path())).getroot()
    param = stylesheet.find(f"{{{_XSL}}}param[@name='{name}']")
    assert param is not None
    return (param.get("select") or "").strip("'").split(",")[1:-1]


def _edge_values(items: list[str]) -> list[str]:
    first, second, last = items[0], items[1], items[-1]
    return [
        first,
        last,
        f"{first},{second}",
        f"{first},{last}",
        f"{first},",
        f",{last}",
        "",
        ",",
        ",,",
        f" {first}",
        f"{first} ",
        first.lower(),
        "ZZZZ",
        f"{first}\u0130",
    ]


@pytest.fixture(scope="module")
def verbatim() -> ValidationEngine:
    """An engine running GİB's lookups as written."""
    return ValidationEngine(index_code_lists=False)


@pytest.mark.parametrize(
    ("attribute", "code_list"),
    [
        ("currencyID", "CurrencyCodeList"),
        ("unitCode", "UnitCodeList"),
        ("mimeCode", "MimeCodeList"),
    ],
)
def test_indexed_and_verbatim_lookups_agree(
    engine: ValidationEngine,
    verbatim: ValidationEngine,
    ticari: bytes,
    attribute: str,
    code_list: str,
) -> None:
    for value in _edge_values(_list(code_list)):

        def put(root: etree._Element, value: str = value) -> None:
            for index, element in enumerate(root.iter(etree.Element)):
                if index % 7 == 0:
                    element.set(attribute, value)

        data = edit(ticari, put)
        ours = engine.validate(data, _SCHEMATRON_ONLY)
        gibs = verbatim.validate(data, _SCHEMATRON_ONLY)
        assert ours.findings == gibs.findings, value
        assert all(f.layer is Layer.SCHEMATRON for f in ours.findings)


def test_edge_values_reach_both_answers(verbatim: ValidationEngine, ticari: bytes) -> None:
    items = _list("CurrencyCodeList")
    outcomes = set()
    for value in (items[0], f"{items[0]},{items[1]}", f"{items[0]},{items[-1]}"):
        data = edit(ticari, lambda root, v=value: root[5].set("currencyID", v))
        report = verbatim.validate(data, _SCHEMATRON_ONLY)
        outcomes.add(any(f.rule == "GeneralCurrencyIDCheck-1" for f in report.findings))
    assert outcomes == {True, False}
