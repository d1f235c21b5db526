"""Read what a user passes to ``plankg validate``: plan text (Markdown, plain text, HTML saved
from a government site, .docx) or RDF (Turtle, N-Triples, JSON-LD, TriG).

Text formats become plan text for the same parser; HTML and .docx keep, for each extracted line,
the line (or paragraph) of the original file, so findings point into the user's file. Nothing
the user passes in is changed.

JSON-LD is checked before any RDF parser sees it: a remote context (``"@context": "http://…"``,
``@import``) is refused, so nothing is fetched, and so is nesting deeper than
:data:`MAX_JSON_DEPTH` (pyoxigraph's JSON-LD parser recurses, and a document nested 10,000 deep
crashed the whole process).
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from ..errors import SourceParseError
from ..parse.reading import decode_text, read_bounded

__all__ = ["MAX_JSON_DEPTH", "RDF_FORMATS", "Input", "read_input"]

RDF_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".trig": "trig",
               ".nq": "nquads"}
TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
           "article", "title", "td", "dd", "dt", "pre", "blockquote", "ul", "ol"}
_SKIP = {"script", "style", "noscript", "template", "head"}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_DOCX_XML = 50 * 1024 * 1024  # the document part inflated; a long plan's is under 2 MB
MAX_DOCX_RATIO = 200  # deflate reaches about 10× on such XML; a bomb reaches 1000×
MAX_JSON_DEPTH = 100  # arrays and objects inside each other; a plan needs fewer than 10


@dataclass
class Input:
    """A file as read: its text, its kind (``text`` or ``rdf``), and where its lines came from."""

    path: Path
    kind: str
    text: str
    rdf_format: str | None = None
    line_map: list[int] = field(default_factory=list)
    unit: str = "line"
    encoding: str = "utf-8"

    def original_line(self, line: int | None) -> int | None:
        """The line (or .docx paragraph) of the user's file for a line of the extracted text."""
        if line is None or not self.line_map:
            return line
        return self.line_map[min(line, len(self.line_map)) - 1]


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str, int]] = [("", 1)]
        self.skipping = 0

    def _break(self) -> None:
        if self.lines[-1][0].strip():
            self.lines.append(("", self.getpos()[0]))

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self._break()

    def handle_data(self, data) -> None:
        if self.skipping:
            return
        for i, piece in enumerate(data.split("\n")):
            if i:
                self._break()
            text, line = self.lines[-1]
            self.lines[-1] = (text + piece, line if text.strip() else self.getpos()[0] + i)


def _html(raw: str) -> tuple[str, list[int]]:
    parser = _HTMLText()
    parser.feed(raw)
    parser.close()
    lines = [(re.sub(r"[ \t\r\f\v]+", " ", t).strip(), n) for t, n in parser.lines]
    kept = [(t, n) for t, n in lines if t]
    text_lines, line_map = [], []
    for t, n in kept:  # a blank line between blocks, as in Markdown
        text_lines += [t, ""]
        line_map += [n, n]
    return "\n".join(text_lines), line_map


def _document_xml(archive: zipfile.ZipFile, path: Path) -> bytes:
    """The document part of a .docx, its size checked before it is inflated (a zip bomb
    declares, or inflates to, far more than any plan)."""
    info = archive.getinfo("word/document.xml")
    if info.file_size > MAX_DOCX_XML or info.file_size > MAX_DOCX_RATIO * max(
            info.compress_size, 1):
        raise SourceParseError(
            f".docx 解压后过大（{info.file_size:,} 字节）", f"the .docx inflates to too much "
            f"({info.file_size:,} bytes from {info.compress_size:,}): not read", file=path.name)
    with archive.open(info) as part:
        xml = part.read(MAX_DOCX_XML + 1)
    if len(xml) > MAX_DOCX_XML:
        raise SourceParseError(".docx 解压后过大", "the .docx inflates to too much: not read",
                               file=path.name)
    return xml


def _docx(path: Path) -> tuple[str, list[int]]:
    try:
        with zipfile.ZipFile(path) as archive:
            xml = _document_xml(archive, path)
        root = ElementTree.fromstring(xml)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise SourceParseError("不是有效的 .docx 文件", f"not a valid .docx file ({exc})",
                               file=path.name) from None
    text_lines, line_map = [], []
    for number, paragraph in enumerate(root.iter(f"{_W}p"), 1):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
        text = "".join(parts).strip()
        if text:
            text_lines += [text, ""]
            line_map += [number, number]
    return "\n".join(text_lines), line_map


def _decode(data: bytes, path: Path) -> str:
    """RDF text: UTF-8 only, as its formats say."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceParseError("不是文本文件", "not a text file (binary content)", file=path.name,
                               line=data[:data.index(b"\x00")].count(b"\n") + 1)
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise SourceParseError("文件不是 UTF-8 编码的文本", "the file is not UTF-8 text",
                               file=path.name, line=data[:exc.start].count(b"\n") + 1) from None


def _json_depth_and_remote(value) -> tuple[int, bool]:
    """How deep ``value`` nests, and whether it names a remote context (iteratively: the
    document may be deeper than Python's recursion limit allows).

    >>> _json_depth_and_remote({"@context": {"@vocab": "http://x/"}, "p": [1, {"q": 2}]})
    (3, False)
    >>> _json_depth_and_remote([{"@context": ["http://x/ctx"]}])[1]
    True
    """
    deepest, remote, todo = 0, False, [(value, 1)]
    while todo:
        node, depth = todo.pop()
        if isinstance(node, dict):
            context = node.get("@context")
            contexts = context if isinstance(context, list) else [context]
            remote |= "@import" in node or any(isinstance(c, str) for c in contexts)
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth)
        todo.extend((child, depth + 1) for child in children)
    return deepest, remote


def _check_json_ld(text: str, path: Path) -> None:
    """Refuse JSON-LD that would make the parser fetch a context or recurse too deep."""
    try:
        data = json.loads(text)
    except RecursionError:
        data = None
        deepest, remote = MAX_JSON_DEPTH + 1, False
    except json.JSONDecodeError as exc:
        raise SourceParseError("JSON 语法错误", f"JSON syntax error: {exc.msg}", file=path.name,
                               line=exc.lineno) from None
    except ValueError:  # a number of more than 4,300 digits
        raise SourceParseError("JSON 中的数字过长", "a number in the JSON is too long",
                               file=path.name) from None
    if data is not None:
        if not isinstance(data, dict | list):
            raise SourceParseError("JSON-LD 文档必须是对象或数组",
                                   "a JSON-LD document must be an object or an array",
                                   file=path.name, line=1)
        deepest, remote = _json_depth_and_remote(data)
    if deepest > MAX_JSON_DEPTH:
        raise SourceParseError(f"JSON-LD 嵌套过深（超过 {MAX_JSON_DEPTH} 层）",
                               f"the JSON-LD nests deeper than {MAX_JSON_DEPTH} levels",
                               file=path.name)
    if remote:
        raise SourceParseError("不接受远程 JSON-LD 上下文（@context 须写在文档内）",
                               "remote JSON-LD contexts are refused: put the @context inline",
                               file=path.name)


def read_input(path: Path) -> Input:
    """Read a file for validation (a regular file, bounded: :mod:`plankg.graph.parse.reading`);
    unreadable input raises :class:`SourceParseError`."""
    data = read_bounded(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        text, line_map = _docx(path)
        return Input(path, "text", text, line_map=line_map, unit="paragraph")
    if suffix in RDF_FORMATS:
        text = _decode(data, path)
        if RDF_FORMATS[suffix] == "json-ld":
            _check_json_ld(text, path)
        return Input(path, "rdf", text, rdf_format=RDF_FORMATS[suffix])
    text, encoding = decode_text(data, file=path.name)
    if suffix in HTML_SUFFIXES or re.match(r"\s*(<!doctype html|<html)", text, re.IGNORECASE):
        text, line_map = _html(text)
        return Input(path, "text", text, line_map=line_map, encoding=encoding)
    return Input(path, "text", text, encoding=encoding)
