"""Analyses that turn the catalog into decisions: rationalisation (overlaps,
merger matrix, candidates, contracts, data-centre exit, cost per capability)
and the sustainability report.

Each analysis is a pure function from a :class:`~generator.catalog.catalog.Catalog`
and an injected ``today`` to pydantic result objects; renderers in
:mod:`generator.analysis.render` turn any result into Markdown, CSV, JSON or
Excel, and :mod:`generator.site.analysis_pages` into site pages. Nothing here
imports click or reads the clock.
"""

from generator.analysis.rationalisation import RationalisationReport, rationalise
from generator.analysis.sustainability import SustainabilityReport, sustainability_report

__all__ = ["RationalisationReport", "SustainabilityReport", "rationalise", "sustainability_report"]
