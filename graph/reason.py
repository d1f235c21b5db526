"""Reason: the OWL 2 RL closure of each asserted graph, kept apart in a graph of its own.

What reasoning draws from a graph (a document's, or a curated source's) with the ontology goes to
``inferred/{owner}`` (:func:`plankg.graph.iris.inferred_graph`): adding or replacing one document
recomputes only its own inferences, and no load replaces another's. No rule of the ontology
joins two instance triples of different graphs (a test checks that the union of the graphs'
closures equals the closure of their union), so nothing is lost by reasoning per graph.

Only new triples are kept, never one whose subject is a literal, and never the closure's
boilerplate (``owl:Thing`` types, reflexive ``owl:sameAs``, axioms about datatypes). Shortcut
properties that OWL RL cannot express (the agency of an assignment with a given role:
``pk:leadAgency`` & co.) are materialised from the assignments before the closure, so that their
super-property ``pk:assignedAgency`` follows by OWL RL.
"""

from __future__ import annotations

import owlrl
from rdflib import BNode, Dataset, Graph, Literal

from . import iris
from .iris import OWL, PK, RDF, RDFS

__all__ = ["INFERRED_PREFIX", "infer", "infer_graph", "is_inferred"]

INFERRED_PREFIX = str(iris.named_graph("inferred"))
_BOILERPLATE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class,
                      RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype,
                      OWL.AnnotationProperty}
_ROLE_SHORTCUTS = {"lead": PK.leadAgency, "support": PK.supportAgency,
                   "responsible": PK.responsibleAgency, "unspecified": PK.unspecifiedRoleAgency}


def _keep(s, p, o) -> bool:
    if isinstance(s, (Literal, BNode)) or isinstance(o, BNode):
        return False
    if p == OWL.sameAs or p == RDFS.subClassOf or p == RDFS.subPropertyOf:
        return False
    if p in (OWL.equivalentClass, OWL.equivalentProperty, RDFS.domain, RDFS.range):
        return False
    if p == RDF.type and o in _BOILERPLATE_TYPES:
        return False
    return str(s).startswith(iris.BASE) or str(o).startswith(iris.BASE)


def _shortcuts(union: Graph) -> Graph:
    """pk:leadAgency & co.: task → agency, one property per role."""
    g = Graph()
    for task, part in union.subject_objects(iris.CV.hasParticipation):
        role = union.value(part, iris.CV.role)
        agency = union.value(None, iris.CV.playsRole, part)
        key = str(role).rsplit("/", 1)[-1] if role else None
        if agency is not None and key in _ROLE_SHORTCUTS:
            g.add((task, _ROLE_SHORTCUTS[key], agency))
    return g


_AXIOM_SUBJECT = (RDFS.domain, RDFS.range, RDFS.subPropertyOf, OWL.equivalentProperty,
                  OWL.inverseOf, OWL.propertyChainAxiom, OWL.propertyDisjointWith)
_AXIOM_OBJECT = (RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf, OWL.onProperty)
_SCHEMA_NAMESPACES = (str(OWL), str(RDFS))
_ANNOTATIONS = {RDFS.isDefinedBy, RDFS.seeAlso, OWL.imports, OWL.versionIRI, OWL.priorVersion}
_CLASS_AXIOMS = {RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith, OWL.intersectionOf,
                 OWL.unionOf, OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue,
                 OWL.onProperty, RDF.first, RDF.rest}
_PROPERTY_TYPES = (OWL.SymmetricProperty, OWL.TransitiveProperty, OWL.FunctionalProperty,
                   OWL.InverseFunctionalProperty, OWL.AsymmetricProperty, OWL.IrreflexiveProperty)


def _reasoning_input(union: Graph, schema: Graph) -> Graph:
    """The triples OWL RL can draw a conclusion from, here.

    An instance triple yields a conclusion only through an axiom on its predicate (domain,
    range, super-property, inverse, characteristics, a restriction on it), or, for rdf:type,
    through class axioms. The ontology uses neither owl:sameAs nor keys, so triples of every
    other predicate (texts, offsets, provenance, SKOS annotations) are inert: leaving them out
    gives the same closure at a fraction of the cost. A literal object matters only through a
    domain or a super-property: a range on a literal gives a literal subject, which is dropped.
    Of the ontology only the axioms go in: its own individuals (concepts, labels) assert the
    types the closure would give them, so they would only slow it down.
    """
    relevant = {s for p in _AXIOM_SUBJECT for s in schema.subjects(p, None)}
    relevant |= {o for p in _AXIOM_OBJECT for o in schema.objects(None, p)}
    relevant |= {s for t in _PROPERTY_TYPES for s in schema.subjects(RDF.type, t)}
    relevant.add(RDF.type)
    supers = {s for p in (RDFS.subPropertyOf, OWL.equivalentProperty)
              for s in schema.subjects(p, None)}
    domains: dict = {}
    for prop, cls in schema.subject_objects(RDFS.domain):
        domains.setdefault(prop, set()).add(cls)
    g = Graph()
    for s, p, o in schema:  # the axioms; the ontology's own individuals only add known types
        if p in _AXIOM_SUBJECT or p in _AXIOM_OBJECT or p in _CLASS_AXIOMS or (
                p == RDF.type and o in _PROPERTY_TYPES):
            g.add((s, p, o))
    ontology = set(schema.subjects())
    for s, p, o in union:
        if s in ontology:
            continue
        if isinstance(o, Literal):
            # a domain whose class the subject already has adds nothing
            keep = p in supers or any((s, RDF.type, c) not in union for c in domains.get(p, ()))
        else:
            keep = p in relevant or (str(p).startswith(_SCHEMA_NAMESPACES)
                                     and p not in _ANNOTATIONS)
        if keep:
            g.add((s, p, o))
    return g


def is_inferred(name) -> bool:
    """Whether a graph name is one of the inferred graphs (or the older shared one)."""
    name = str(name)
    return name == INFERRED_PREFIX or name.startswith(INFERRED_PREFIX + "/")


def infer_graph(asserted: Graph, schema: Graph, *, prune: bool = True) -> Graph:
    """What OWL 2 RL draws from ``asserted`` with the ontology ``schema``: new triples only,
    without literal subjects or boilerplate."""
    given = set(asserted) | set(schema)
    union = Graph()
    union.addN((s, p, o, union) for s, p, o in given)
    closure = _reasoning_input(union, schema) if prune else Graph() + union
    closure += _shortcuts(union)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False,
                           axiomatic_triples=False, datatype_axioms=False).expand(closure)
    inferred = Graph()
    inferred.addN((s, p, o, inferred) for s, p, o in closure
                  if (s, p, o) not in given and _keep(s, p, o))
    return inferred


def infer(ds: Dataset, *, prune: bool = True) -> Graph:
    """Compute the inferred graph of every asserted graph of ``ds`` (all but the ontology) and
    store each in ``ds`` as ``inferred/{owner}``; returns their union.

    ``prune=False`` feeds the reasoner every triple; the result is the same, only slower (a
    test checks this on the seed plan).
    """
    schema = ds.graph(iris.named_graph("ontology"))
    owners = [g for g in ds.graphs() if len(g) and not is_inferred(g.identifier)
              and g.identifier != schema.identifier]
    everything = Graph()
    for owner in sorted(owners, key=lambda g: str(g.identifier)):
        inferred = infer_graph(owner, schema, prune=prune)
        target = ds.graph(iris.inferred_graph(owner.identifier))
        target.addN((s, p, o, target) for s, p, o in inferred)
        everything += inferred
    return everything
