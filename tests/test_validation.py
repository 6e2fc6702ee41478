"""graph/validation.py: validation, and the conforming report an identical build reuses."""

import shutil
from pathlib import Path

import pytest

from eurasia_kg.graph import cache
from eurasia_kg.graph.dataset import build_dataset

FIXTURES = Path(__file__).parent / "fixtures"


def test_an_identical_build_reuses_the_conforming_report(tmp_path):
    data = tmp_path / "valid.ttl"
    shutil.copy(FIXTURES / "valid-minimal.ttl", data)
    first = build_dataset([data], validate=True)
    again = build_dataset([data], validate=True)
    assert first.report.conforms and not first.validation_cached
    assert again.report.conforms and again.validation_cached
    assert again.report.violations == [] and len(again.report.graph) == len(first.report.graph)


def test_changed_data_is_validated_afresh(tmp_path):
    data = tmp_path / "valid.ttl"
    shutil.copy(FIXTURES / "valid-minimal.ttl", data)
    build_dataset([data], validate=True)
    data.write_text(data.read_text(encoding="utf-8") + "\n# a comment changes the file\n", encoding="utf-8")
    assert not build_dataset([data], validate=True).validation_cached


def test_a_report_with_results_is_never_reused(tmp_path):
    invalid = next(p for p in sorted((FIXTURES / "invalid").glob("*.ttl")))
    data = tmp_path / invalid.name
    shutil.copy(invalid, data)
    first, again = (build_dataset([data], validate=True) for _ in range(2))
    assert not first.report.conforms and not again.validation_cached
    assert {v.message for v in again.report.violations} == {v.message for v in first.report.violations}


def test_no_report_is_kept_with_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("EURASIA_KG_CACHE", "off")
    data = tmp_path / "valid.ttl"
    shutil.copy(FIXTURES / "valid-minimal.ttl", data)
    first, again = (build_dataset([data], validate=True) for _ in range(2))
    assert first.report.conforms and not again.validation_cached


@pytest.mark.parametrize("tool", ["pyshacl", "rdflib", "pyoxigraph"])
def test_a_report_is_not_reused_across_tool_versions(tmp_path, monkeypatch, tool):
    """Regression: the key named pySHACL's version only, not the parsers that make the data."""
    data = tmp_path / "valid.ttl"
    shutil.copy(FIXTURES / "valid-minimal.ttl", data)
    build_dataset([data], validate=True)
    real = cache.version
    monkeypatch.setattr(cache, "version", lambda name: "99.0" if name == tool else real(name))
    assert not build_dataset([data], validate=True).validation_cached
