"""--xsd with the Open Group's XSDs as published: their import of the W3C
xml.xsd (for xml:lang) resolves to the copy in the package, with network
access still off; an import that cannot be resolved says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MakeRepo

from generator.checks.validate import validate
from generator.core.errors import EaError
from generator.interop.archimate import export_archimate, validate_xsd

PRISTINE = Path(__file__).resolve().parents[2] / "shared" / "data" / "archimate" / "xsd" / "pristine"


@pytest.mark.skipif(
    not (PRISTINE / "archimate3_Model.xsd").is_file(),
    reason="needs the Open Group's ArchiMate 3.1 XSDs as published, in shared/data/archimate/xsd/pristine/",
)
@pytest.mark.parametrize("xsd", ["archimate3_Model.xsd", "archimate3_Diagram.xsd"])
def test_published_xsds_load_with_the_bundled_xml_xsd(make_repo: MakeRepo, xsd: str) -> None:
    text = (PRISTINE / "archimate3_Model.xsd").read_text(encoding="utf-8")
    assert 'schemaLocation="http://www.w3.org/2001/xml.xsd"' in text, "the published file imports xml.xsd by URL"
    # views belong to the Diagram XSD; the Model XSD takes a model-only export
    views = xsd == "archimate3_Diagram.xsd"
    data = export_archimate(validate(make_repo({}), use_cache=False).catalog, name="Test", views=views)
    assert validate_xsd(data, PRISTINE / xsd) == []


def test_an_xsd_importing_a_schema_from_the_web_gives_a_hint(tmp_path: Path) -> None:
    xsd = tmp_path / "remote.xsd"
    xsd.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:o="urn:other" targetNamespace="urn:t">'
        '<xs:import namespace="urn:other" schemaLocation="http://example.invalid/other.xsd"/>'
        '<xs:element name="a"><xs:complexType><xs:attribute ref="o:x"/></xs:complexType></xs:element>'
        "</xs:schema>",
        encoding="utf-8",
    )
    with pytest.raises(EaError, match="save that schema next to the XSD"):
        validate_xsd(b'<a xmlns="urn:t"/>', xsd)
