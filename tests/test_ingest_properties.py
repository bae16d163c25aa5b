"""Property-based tests: whatever the input, ingest reports problems, never a traceback."""
import csv
import io
import json
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from kgraph.errors import IngestError
from kgraph.ingest import FORMATS, read_corpus
from kgraph.ingest.text import normalise_text
from kgraph.model import Corpus

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FORMAT_NAMES = sorted(FORMATS)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["title", "abstract", "summary", "id", "doi", "arxiv_id", "authors", "date",
                         "categories", "versions", "url", "results", "display_name",
                         "abstract_inverted_index", "ids", "authorships", "x"]) | st.text(max_size=8),
        inner, max_size=6),
    max_leaves=20,
)


def read_bytes(tmp_path, data: bytes, fmt: str | None, strict: bool, name: str = "input") -> Corpus | None:
    """Read `data` as a file; return the corpus, or None if it raised an allowed IngestError."""
    path = tmp_path / name
    path.write_bytes(data)
    try:
        return read_corpus([path], fmt=fmt, strict=strict)
    except IngestError as err:
        assert "\n" not in str(err)
        if fmt is not None:
            assert strict, f"IngestError without strict: {err}"  # a forced format reads anything
        return None


@SETTINGS
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(FORMAT_NAMES + [None]), strict=st.booleans())
def test_arbitrary_bytes_never_raise_anything_but_ingest_error(tmp_path, data, fmt, strict):
    corpus = read_bytes(tmp_path, data, fmt, strict)
    if corpus is not None:
        assert corpus.records >= len(corpus.papers) + corpus.duplicates


@SETTINGS
@given(value=json_values, fmt=st.sampled_from(["json", "jsonl", "openalex", None]), strict=st.booleans(),
       lines=st.booleans())
def test_arbitrary_json_never_raises(tmp_path, value, fmt, strict, lines):
    values = value if lines and isinstance(value, list) else [value]
    text = "\n".join(json.dumps(v) for v in values) if lines else json.dumps(value, indent=1)
    read_bytes(tmp_path, text.encode(), fmt, strict, name="input.json")


@SETTINGS
@given(rows=st.lists(st.lists(st.text(max_size=20), max_size=5), max_size=6),
       header=st.lists(st.sampled_from(["title", "Abstract", "id", "authors", "date", "x", ""]), max_size=5),
       fmt=st.sampled_from(["csv", "tsv", None]), strict=st.booleans())
def test_arbitrary_csv_never_raises(tmp_path, rows, header, fmt, strict):
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if fmt == "tsv" else ",")
    writer.writerows([header, *rows])
    read_bytes(tmp_path, out.getvalue().encode(), fmt, strict, name="input.csv")


xml_names = st.sampled_from(["feed", "entry", "id", "title", "summary", "author", "name", "link",
                             "category", "published", "{http://www.w3.org/2005/Atom}entry",
                             "{http://www.w3.org/2005/Atom}title", "{http://arxiv.org/schemas/atom}doi"])
xml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
xml_trees = st.recursive(
    st.builds(lambda tag, text: (tag, text, []), xml_names, xml_text),
    lambda inner: st.builds(lambda tag, text, kids: (tag, text, kids), xml_names, xml_text,
                            st.lists(inner, max_size=4)),
    max_leaves=15,
)


def to_element(tree) -> ET.Element:
    tag, text, kids = tree
    elem = ET.Element(tag, {"term": text[:5], "href": text[:9], "rel": "alternate"} if text else {})
    elem.text = text
    elem.extend(to_element(k) for k in kids)
    return elem


@SETTINGS
@given(tree=xml_trees, cut=st.integers(min_value=0, max_value=400), strict=st.booleans())
def test_arbitrary_xml_never_raises(tmp_path, tree, cut, strict):
    data = ET.tostring(to_element(tree), encoding="utf-8", xml_declaration=True)
    read_bytes(tmp_path, data, "arxiv-atom", strict, name="input.xml")
    read_bytes(tmp_path, data[: len(data) - cut], "arxiv-atom", strict, name="input.xml")  # cut off


@SETTINGS
@given(text=st.text(max_size=300))
def test_normalise_text_output_is_clean(text):
    clean = normalise_text(text)
    assert clean == clean.strip() and "  " not in clean
    assert unicodedata.is_normalized("NFC", clean)
    assert not any(unicodedata.category(ch) in ("Cc", "Cs") or (ch.isspace() and ch != " ") for ch in clean)


@SETTINGS
@given(text=st.text(st.characters(blacklist_characters="&<\\$`'~{}"), max_size=300))
def test_normalise_text_is_idempotent_without_markup(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


# Valid records among garbage ------------------------------------------------------------

garbage_line = st.text(st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), max_size=60)
valid_title = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=3, max_size=20)


def not_a_json_object(line: str) -> bool:
    try:
        return not isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return True


@SETTINGS
@given(parts=st.lists(st.one_of(st.tuples(st.just("ok"), valid_title),
                                 st.tuples(st.just("junk"), garbage_line.filter(not_a_json_object))),
                      max_size=25))
def test_valid_jsonl_records_among_garbage_lines_survive(tmp_path, parts):
    lines, expected = [], {}
    for i, (kind, value) in enumerate(parts):
        if kind == "ok":
            lines.append(json.dumps({"id": f"r{i}", "title": value, "abstract": f"Abstract {value}."}))
            expected[f"r{i}"] = (len(lines), value)
        else:
            lines.append(value)
    assume(expected)
    corpus = read_bytes(tmp_path, "\n".join(lines).encode(), "jsonl", strict=False)
    by_id = {p.paper_id: p for p in corpus.papers}
    for paper_id, (line, title) in expected.items():
        assert by_id[paper_id].title == normalise_text(title)
        assert by_id[paper_id].sources == (f"{tmp_path / 'input'}:{line}",)


@SETTINGS
@given(parts=st.lists(st.one_of(st.tuples(st.just("ok"), valid_title),
                                 st.tuples(st.just("junk"), garbage_line.filter(lambda s: '"' not in s))),
                      max_size=25))
def test_valid_csv_rows_among_garbage_lines_survive(tmp_path, parts):
    # A garbage line without quotes cannot swallow the lines after it. (One with an unbalanced
    # quote opens a field that legitimately runs on: CSV's grammar says so.)
    lines, expected = ["title,abstract"], set()
    for kind, value in parts:
        if kind == "ok":
            lines.append(f"{value},Abstract of {value}.")
            expected.add(len(lines))
        else:
            lines.append(value)
    assume(expected)
    corpus = read_bytes(tmp_path, "\n".join(lines).encode(), "csv", strict=False)
    sources = {s for p in corpus.papers for s in p.sources}
    assert {f"{tmp_path / 'input'}:{n}" for n in expected} <= sources


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_every_reader_is_a_generator_that_accepts_empty_and_odd_text(fmt):
    for text in ("", "\n", "\x00", "{", "[", "<", "\ufeff", "a\tb\nc"):
        list(FORMATS[fmt](text))
