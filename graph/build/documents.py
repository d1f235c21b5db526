"""Document identity: the IRI, level and curated facts of a document, from its 发文字号."""

from __future__ import annotations

from rdflib import URIRef

from .. import iris
from ..divisions import UNRESOLVED, level_of
from ..model import DocNumber, Plan
from ..registry import KnownDocument, Registry

__all__ = ["UNRESOLVED", "document_iri", "level_of", "plan_iri"]


def document_iri(number: DocNumber, *, registry: Registry, near: Plan | None = None) -> URIRef:
    """The IRI of the document numbered ``number``.

    A registered document gets its registered division and series key. An unregistered one
    gets the division of its series where the registry of series knows it (国发, 国办发, 发改…:
    national), else shares the division of ``near`` when both series codes start alike
    (沁政办函 beside 沁政办发), and is marked ``unresolved`` otherwise: a guess would mint a
    wrong identity.
    """
    known: KnownDocument | None = registry.document(str(number))
    if known:
        return iris.document(division=known.division, year=known.year,
                             series_key=known.series_key, serial=known.serial)
    division = registry.series_division(number.series_code) or UNRESOLVED
    if division == UNRESOLVED and near is not None and near.number and near.division and (
            number.series_code[:2] == near.number.series_code[:2]):
        division = near.division
    return iris.document(division=division, year=number.year,
                         series_key=iris.series_key(number.series_code), serial=number.serial)


def plan_iri(plan: Plan, *, registry: Registry) -> URIRef:
    """The IRI of a parsed plan: from its number, or from its file name when it has none."""
    if plan.number is None:
        return iris.unnumbered_document(plan.source_file)
    return document_iri(plan.number, registry=registry, near=plan)
