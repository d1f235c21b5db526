"""Parameters bound into a query as an inline ``VALUES`` block, for engines without
``initBindings`` (Oxigraph, a remote SPARQL server).

The block is placed first inside the query's outermost ``WHERE {`` (the first line of the query
that starts with ``WHERE``): a trailing ``VALUES`` clause would be joined after projection by
Virtuoso, which then cannot see unprojected variables. The values are RDF terms written with
the strict N-Triples escapes; an IRI holding a character that IRIs may not hold is refused, so a
value can never change the query around it. Only the project's own named queries are bound this
way, and a test checks that every engine gives the same rows as rdflib's ``initBindings``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..errors import QueryArgumentError

__all__ = ["bind_terms", "bind_values", "insert_data", "lateral_optionals", "lateral_unions",
           "names_graphs", "prologue", "sparql_term"]

_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WHERE = re.compile(r"^WHERE\s*\{", re.MULTILINE | re.IGNORECASE)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}


def _iri(value: str) -> str:
    if _BAD_IRI.search(value):
        raise QueryArgumentError(f"IRI 含有不允许的字符：{value!r}",
                                 f"the IRI holds a character IRIs may not hold: {value!r}")
    return f"<{value}>"


def sparql_term(term: Node) -> str:
    """An IRI or a literal, written for a query.

    >>> sparql_term(Literal('say "}" \\n', lang="zh"))
    '"say \\\\"}\\\\" \\\\n"@zh'
    >>> sparql_term(URIRef("https://w3id.org/plankg/id/x> } ; DROP ALL"))
    Traceback (most recent call last):
    graph.errors.QueryArgumentError: IRI 含有不允许的字符：'https://w3id.org/plankg/id/x> } ; DROP ALL' / the IRI holds a character IRIs may not hold: 'https://w3id.org/plankg/id/x> } ; DROP ALL'
    """
    if isinstance(term, URIRef):
        return _iri(str(term))
    if isinstance(term, Literal):
        text = '"' + "".join(_ESCAPES.get(c, c) for c in str(term)) + '"'
        if term.language:
            if not _LANG.match(term.language):
                raise QueryArgumentError(f"语言标签无效：{term.language!r}",
                                         f"invalid language tag: {term.language!r}")
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^{_iri(str(term.datatype))}"
        return text
    raise QueryArgumentError("只能绑定 IRI 或字面量", "only IRIs and literals can be bound")


def _outer_where(text: str) -> re.Match[str]:
    """Where the outermost group begins: the first line that starts with ``WHERE {``."""
    where = _WHERE.search(text)
    if where is None:
        raise QueryArgumentError("查询没有以 WHERE 开头的行，无法绑定参数",
                                 "the query has no line starting with WHERE to bind into")
    return where


def bind_values(text: str, bindings: Mapping[str, Node]) -> str:
    """``text`` with ``bindings`` joined first in its outermost WHERE group.

    >>> print(bind_values("SELECT ?a\\nWHERE {\\n  ?a ?p ?b }", {"b": Literal("x")}))
    SELECT ?a
    WHERE { VALUES (?b) { ("x") }
      ?a ?p ?b }
    """
    if not bindings:
        return text
    where = _outer_where(text)
    for name in bindings:
        if not _VAR.match(name):
            raise QueryArgumentError(f"参数名无效：{name!r}", f"invalid parameter name: {name!r}")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(sparql_term(term) for term in bindings.values())
    block = f" VALUES ({names}) {{ ({values}) }}"
    return text[:where.end()] + block + text[where.end():]


def prologue(prefixes: Mapping[str, str]) -> str:
    """PREFIX declarations, for engines that take no predefined prefixes (names and IRIs are
    checked, so nothing but declarations can come out)."""
    lines = []
    for name, namespace in prefixes.items():
        if not _VAR.match(name):
            raise QueryArgumentError(f"前缀名无效：{name!r}", f"invalid prefix name: {name!r}")
        label = name + ":"
        lines.append(" ".join(("PREFIX", label, _iri(str(namespace)))))
    return "\n".join(lines) + "\n"


def insert_data(graph: str, ntriples: str) -> str:
    """A SPARQL Update adding N-Triples (as pyoxigraph writes them) to ``graph`` (an IRI
    already written by :func:`sparql_term`)."""
    return "".join(("INSERT DATA { GRAPH ", graph, " {\n", ntriples, "\n} }"))  # noqa: FLY002


# The tokens of a query that can hold a variable name without being one: strings (long and
# short, either quote), IRIs, comments; and the variables themselves.
_TOKENS = re.compile(r"""
    (?P<skip>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
           |'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'
           |"(?:[^"\\\n]|\\.)*"
           |'(?:[^'\\\n]|\\.)*'
           |<[^<>"{}|^`\\\x00-\x20]*>
           |\#[^\n]*)
    |(?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)
    """, re.VERBOSE)


def bind_terms(text: str, bindings: Mapping[str, Node]) -> str:
    """``text`` with ``bindings`` substituted into its body as constants (what SEP-0007 and
    rdflib's ``initBindings`` mean), and joined as a ``VALUES`` block so that projected
    variables keep their value. A query planner sees the constants: Oxigraph plans a variable
    it substitutes itself as unbound, and scans where it could look up.

    Only variable tokens inside the outermost ``WHERE { … }`` group are replaced, and there only
    where SPARQL admits a term: a variable after ``AS``, in a ``VALUES`` header, in a subquery's
    projection or in solution modifiers (``GROUP BY``, ``HAVING``, ``ORDER BY``, the outer
    query's and a subquery's) stays a variable, bound by the ``VALUES`` block (a constant there
    is a syntax error: ``ORDER BY <iri>`` reads as a function call). Strings, IRIs and comments
    are skipped by the tokenizer, and the terms are written by :func:`sparql_term`.

    >>> print(bind_terms('SELECT ?a\\nWHERE {\\n  ?a ?p ?b . FILTER(?b != "?b") # ?b\\n}\\n'
    ...                  'ORDER BY ?b', {"b": Literal("x")}))
    SELECT ?a
    WHERE { VALUES (?b) { ("x") }
      ?a ?p "x" . FILTER("x" != "?b") # ?b
    }
    ORDER BY ?b
    """
    if not bindings:
        return text
    terms = {name: sparql_term(term) for name, term in bindings.items()}
    head, parts = _template(text)
    # parts alternate: text, variable name, text, …
    body = "".join(part if i % 2 == 0 else terms.get(part[1:], part)
                   for i, part in enumerate(parts))
    return bind_values(head + body, bindings)


# The tokens bind_terms reads: those of _TOKENS, prefixed names (so that pk:order is no
# keyword), braces, and the keywords after which only a variable may stand.
_SCOPES = re.compile(_TOKENS.pattern.replace(
    "|(?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)",
    "|(?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)|(?P<name>[A-Za-z_][\\w.-]*:[\\w.-]*)"
    "|(?P<open>\\{)|(?P<close>\\})"
    "|(?P<word>\\b(?:AS|SELECT|VALUES|WHERE|GROUP|HAVING|ORDER)\\b)"),
    re.VERBOSE | re.IGNORECASE)


@lru_cache(maxsize=512)
def _template(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` cut at its outermost ``WHERE {``, and the rest split around the variable tokens
    that may take a constant (tokenized once per query text: the service binds the same few
    queries again and again).

    >>> text = "SELECT *\\nWHERE { { SELECT ?s { ?s ?p ?o } ORDER BY ?o } BIND(?o AS ?x) }"
    >>> [part for part in _template(text)[1] if part.startswith("?")]
    ['?s', '?p', '?o', '?o']
    """
    where = _outer_where(text)
    parts: list[str] = []
    last = where.end()
    depth, modifiers = 1, 0  # modifiers: the depth of the group whose GROUP/ORDER BY we are in
    header = after_as = False  # in a projection or a VALUES header; right after AS
    for match in _SCOPES.finditer(text, where.end()):
        kind = match.lastgroup
        if kind == "open":
            depth, header = depth + 1, False
        elif kind == "close":
            depth -= 1
            modifiers = 0 if modifiers > depth else modifiers
            if depth == 0:  # the solution modifiers of the query itself follow
                break
        elif kind == "word":
            word = match.group("word").upper()
            after_as = word == "AS"
            header = word in ("SELECT", "VALUES") or (header and word != "WHERE")
            modifiers = depth if word in ("GROUP", "HAVING", "ORDER") else modifiers
        elif kind == "var":
            if not (after_as or header or modifiers):
                parts += [text[last:match.start()], match.group("var")]
                last = match.end()
            after_as = False
    parts.append(text[last:])
    return text[:where.end()], tuple(parts)


_BRACES = re.compile(_TOKENS.pattern.replace(
    "|(?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)",
    "|(?P<optional>\\bOPTIONAL\\b)|(?P<union>\\bUNION\\b)|(?P<open>\\{)|(?P<close>\\})"),
    re.VERBOSE | re.IGNORECASE)


_DATASET_WORDS = re.compile(_TOKENS.pattern.replace(
    "|(?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)",
    "|(?P<var>[?$][A-Za-z_][A-Za-z0-9_]*)|(?P<name>[A-Za-z_][\\w.-]*:[\\w.-]*)"
    "|(?P<word>\\b(?:GRAPH|FROM)\\b)"),
    re.VERBOSE | re.IGNORECASE)


@lru_cache(maxsize=512)
def names_graphs(text: str) -> bool:
    """Whether the query ``text`` reads named graphs or chooses its dataset: a ``GRAPH`` or
    ``FROM`` keyword, not the words in a comment, a string, an IRI or a name.

    >>> names_graphs("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    True
    >>> names_graphs('# read from the graph\\nSELECT ?graph WHERE { ?graph pk:from "GRAPH" }')
    False
    """
    return any(match.group("word") for match in _DATASET_WORDS.finditer(text))


def lateral_optionals(text: str) -> str:
    """Every ``OPTIONAL { P }`` of ``text`` as ``LATERAL { OPTIONAL { P } }`` (SEP-0006, which
    Oxigraph implements): the same answers where the left side binds P's shared variables, as
    our queries do, but evaluated for each left row instead of over the whole store first.

    >>> lateral_optionals('SELECT * WHERE { ?a ?p ?b OPTIONAL { ?b ?q "}" } }')
    'SELECT * WHERE { ?a ?p ?b LATERAL { OPTIONAL { ?b ?q "}" } } }'
    """
    inserts: list[tuple[int, str]] = []
    pending = False
    depth = 0
    closing: list[int] = []  # depths whose closing brace ends a wrapped OPTIONAL
    for match in _BRACES.finditer(text):
        if match.group("optional"):
            inserts.append((match.start(), "LATERAL { "))
            pending = True
        elif match.group("open"):
            depth += 1
            if pending:
                closing.append(depth)
                pending = False
        elif match.group("close"):
            if closing and closing[-1] == depth:
                closing.pop()
                inserts.append((match.end(), " }"))
            depth -= 1
    for position, insert in sorted(inserts, reverse=True):
        text = text[:position] + insert + text[position:]
    return text


def _without_comments(text: str) -> str:
    return _TOKENS.sub(lambda m: "" if (m.group("skip") or "").startswith("#") else m.group(0),
                       text)


def lateral_unions(text: str) -> str:
    """Each ``{ A } UNION { B } …`` of the outermost WHERE group that follows other patterns,
    as ``LATERAL { { A } UNION { B } … }``: evaluated for each row of what precedes it (the task
    found from its plan and number), instead of over the whole store and joined after.

    >>> lateral_unions("SELECT * WHERE { ?t ?p ?o . { ?s ?q ?t } UNION { ?t ?r ?s } }")
    'SELECT * WHERE { ?t ?p ?o . LATERAL { { ?s ?q ?t } UNION { ?t ?r ?s } } }'
    """
    inserts: list[tuple[int, str]] = []
    depth, where_open, run_start, unions = 0, None, None, 0
    for match in _BRACES.finditer(text):
        if match.group("open"):
            depth += 1
            if depth == 1 and where_open is None:
                where_open = match.end()
            elif depth == 2 and run_start is None:
                run_start = match.start()
        elif match.group("close"):
            if depth == 2 and run_start is not None:
                after = _without_comments(text[match.end():]).lstrip()
                if after[:5].upper() != "UNION":
                    before = _without_comments(text[where_open:run_start]).strip()
                    if unions and before:
                        inserts += [(run_start, "LATERAL { "), (match.end(), " }")]
                    run_start, unions = None, 0
            depth -= 1
        elif match.group("union") and depth == 1:
            unions += 1
    for position, insert in sorted(inserts, reverse=True):
        text = text[:position] + insert + text[position:]
    return text
