"""Each reader on small hand-written texts: records, their lines, and what is reported."""
import gzip
import json

import pytest

from kgraph.ingest import FORMATS, guess_format
from kgraph.ingest.arxiv_atom import read as read_atom
from kgraph.ingest.daily_papers import read as read_daily
from kgraph.ingest.delimited import read_csv, read_tsv
from kgraph.ingest.json_records import read_json, read_jsonl
from kgraph.ingest.openalex import abstract_from_index, read as read_openalex
from kgraph.ingest.records import Bad, BadRecord, Raw, make_paper
from kgraph.ingest.sources import decode, gunzip

ABSTRACT = "We propose a method. " * 20  # longer than any title


def raws(items):
    return [(i.line, dict(i.fields)) for i in items if isinstance(i, Raw)]


def bads(items):
    return [(i.line, i.reason) for i in items if isinstance(i, Bad)]


# Daily Papers ---------------------------------------------------------------------------

DAILY = f"""new

Get trending papers in your email inbox!

Subscribe

Daily Papers

byAK and the research community

Mar 11

First Paper: A Title

{ABSTRACT}

Second Paper

{ABSTRACT}
"""


def test_daily_papers_pairs_titles_and_abstracts_after_the_header():
    items = list(read_daily(DAILY))
    assert bads(items) == []
    assert raws(items) == [
        (13, {"title": "First Paper: A Title", "abstract": ABSTRACT.strip(), "date": "Mar 11"}),
        (17, {"title": "Second Paper", "abstract": ABSTRACT.strip(), "date": "Mar 11"}),
    ]
    paper, warnings = make_paper(raws(items)[0][1], "x.txt:13")
    assert paper.date == "--03-11" and warnings == []


def test_daily_papers_without_a_date_and_with_by_ak_spelt_apart():
    text = f"new\nSubscribe\nby AK and the research community\nOnly Title\n{ABSTRACT}\n"
    assert raws(read_daily(text)) == [(4, {"title": "Only Title", "abstract": ABSTRACT.strip(), "date": None})]


def test_daily_papers_resynchronises_on_a_missing_abstract_or_title():
    text = "\n".join(["Title A", "Title B", ABSTRACT, ABSTRACT, "Title C", ABSTRACT, "Title D"])
    items = list(read_daily(text))
    assert [line for line, _ in raws(items)] == [2, 5]
    assert [line for line, _ in bads(items)] == [1, 4, 7]
    assert "no abstract" in bads(items)[0][1] and "paragraph" in bads(items)[1][1]
    assert "file ends" in bads(items)[2][1]


def test_daily_papers_reads_concatenated_pages_with_their_own_dates():
    page = "new\nSubscribe\nDaily Papers\n{date}\nTitle {n}\n" + ABSTRACT + "\n"
    text = page.format(date="Mar 11", n=1) + page.format(date="May 7", n=2)
    assert [f["date"] for _, f in raws(read_daily(text))] == ["Mar 11", "May 7"]


# JSON Lines and JSON --------------------------------------------------------------------

def test_jsonl_skips_blank_lines_and_reports_bad_lines_with_their_numbers():
    text = '{"title": "A", "abstract": "x"}\n\nnot json\n[1, 2]\n{"title": "B", "abstract": "y"}\n{"title": "C", "abs'
    items = list(read_jsonl(text))
    assert [line for line, _ in raws(items)] == [1, 5]
    assert [line for line, _ in bads(items)] == [3, 4, 6]
    assert "not JSON" in bads(items)[0][1]
    assert "found an array" in bads(items)[1][1]
    assert "last line" in bads(items)[2][1]


def test_json_array_keeps_each_element_line_and_survives_a_broken_element():
    text = ('[\n  {"title": "A", "abstract": "x"},\n  {"title": "B", "abstract": \n'
            '  {"title": "C", "abstract": "z"},\n  3\n]\n')
    items = list(read_json(text))
    assert [(line, f["title"]) for line, f in raws(items)] == [(2, "A"), (4, "C")]
    assert [line for line, _ in bads(items)] == [3, 5]


def test_json_array_cut_off_keeps_what_came_before():
    text = '[{"title": "A", "abstract": "x"},\n {"title": "B", "abstract": "y"},\n {"title": "C", "abst'
    items = list(read_json(text))
    assert [f["title"] for _, f in raws(items)] == ["A", "B"]
    assert bads(items) == [(3, bads(items)[0][1])] and "not JSON" in bads(items)[0][1]


@pytest.mark.parametrize("text, titles", [
    ('{"title": "A", "abstract": "x", "entities": [{"name": "E"}]}', ["A"]),
    ('{"papers": [{"title": "A", "abstract": "x"},\n{"title": "B", "abstract": "y"}]}', ["A", "B"]),
    ('{"title": "A", "abstract": "x"}\n{"title": "B", "abstract": "y"}\n', ["A", "B"]),  # JSONL in .json
])
def test_json_shapes(text, titles):
    assert [f["title"] for _, f in raws(read_json(text))] == titles


def test_json_container_items_keep_their_lines():
    text = '{"meta": {},\n "results": [\n  {"title": "A", "abstract": "x"},\n  {"title": "B", "abstract": "y"}]}'
    assert [line for line, _ in raws(read_json(text))] == [3, 4]


def test_json_reports_trailing_text_and_garbage():
    assert [line for line, _ in bads(read_json('[{"title": "A", "abstract": "x"}]\n[{"b": 1}]'))] == [2]
    assert len(bads(read_json("{not json at all"))) == 1


# CSV and TSV ----------------------------------------------------------------------------

def test_csv_with_case_insensitive_headers_quotes_and_multiline_fields():
    text = 'ID,Title,Abstract,Authors\r\np1,"A, with comma","line one\r\nline two",Ann\r\np2,B,plain,Bob\r\n'
    items = list(read_csv(text))
    assert bads(items) == []
    assert raws(items) == [
        (2, {"id": "p1", "title": "A, with comma", "abstract": "line one\nline two", "authors": "Ann"}),
        (4, {"id": "p2", "title": "B", "abstract": "plain", "authors": "Bob"}),
    ]


def test_csv_bad_rows_are_reported_and_a_stray_quote_costs_one_line():
    text = 'title,abstract\nA,x\nonly one field\n"unclosed,y\nB,z\nC,w,,\n'
    items = list(read_csv(text))
    assert [f["title"] for _, f in raws(items)] == ["A", "B", "C"]  # trailing empty cells are fine
    assert [line for line, _ in bads(items)] == [3, 4]


def test_csv_without_an_abstract_column_is_one_problem():
    assert bads(read_csv("name,text\na,b\n")) == [(1, bads(read_csv("name,text\na,b\n"))[0][1])]
    assert "no abstract column" in bads(read_csv("name,text\na,b\n"))[0][1]


def test_tsv_and_summary_column():
    items = list(read_tsv("title\tsummary\nA\tx\n"))
    assert raws(items) == [(2, {"title": "A", "summary": "x"})]


def test_csv_field_over_the_default_size_limit():
    big = "y" * 200_000
    assert raws(read_csv(f"title,abstract\nA,{big}\n"))[0][1]["abstract"] == big


# arXiv Atom -----------------------------------------------------------------------------

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title>ArXiv Query</title>
  <entry>
    <id>http://arxiv.org/abs/2301.01234v2</id>
    <updated>2023-02-01T00:00:00Z</updated>
    <published>2023-01-03T18:00:00Z</published>
    <title>A Title
      Over Two Lines</title>
    <summary>  We study $x^{2}$ things.
    </summary>
    <author><name>Ann Smith</name></author>
    <author><name>Bob Jones</name></author>
    <arxiv:doi>10.1000/XYZ</arxiv:doi>
    <link href="http://arxiv.org/abs/2301.01234v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2301.01234v2" rel="related"/>
    <arxiv:primary_category term="cs.LG"/>
    <category term="cs.LG"/><category term="stat.ML"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/hep-th/9901001v1</id>
    <title>Old Style</title><summary>Text.</summary>
  </entry>
</feed>
"""


def test_arxiv_atom_entries():
    items = list(read_atom(ATOM))
    assert bads(items) == []
    (line, fields), (line2, fields2) = raws(items)
    assert (line, line2) == (4, 20)
    paper, warnings = make_paper(fields, f"feed.xml:{line}")
    assert warnings == []
    assert paper.paper_id == "arxiv:2301.01234" and paper.arxiv_id == "2301.01234"
    assert paper.title == "A Title Over Two Lines" and paper.abstract == "We study x^2 things."
    assert paper.date == "2023-01-03" and paper.authors == ("Ann Smith", "Bob Jones")
    assert paper.doi == "10.1000/xyz" and paper.url == "http://arxiv.org/abs/2301.01234v2"
    assert paper.categories == ("cs.LG", "stat.ML")
    assert make_paper(fields2, "f")[0].paper_id == "arxiv:hep-th/9901001"


def test_arxiv_atom_truncated_feed_keeps_entries_before_the_break():
    text = ATOM[:ATOM.index("<title>Old Style")]
    items = list(read_atom(text))
    assert len(raws(items)) == 1 and len(bads(items)) == 1
    assert "not well-formed" in bads(items)[0][1]


def test_arxiv_atom_api_error_entry_and_no_entries():
    error = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#bad_id</id>'
             '<title>Error</title><summary>incorrect id format for 1234</summary></entry></feed>')
    assert "incorrect id format" in bads(read_atom(error))[0][1]
    assert "no Atom <entry>" in bads(read_atom('<feed xmlns="http://www.w3.org/2005/Atom"/>'))[0][1]


def test_arxiv_atom_refuses_entity_declarations():
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<feed><entry><title>&lol2;</title></entry></feed>')
    assert bads(read_atom(laughs)) == [(2, bads(read_atom(laughs))[0][1])]
    assert "refused" in bads(read_atom(laughs))[0][1] and raws(read_atom(laughs)) == []


# OpenAlex -------------------------------------------------------------------------------

WORK = {
    "id": "https://openalex.org/W123",
    "doi": "https://doi.org/10.48550/arxiv.2301.01234",
    "display_name": "An OpenAlex Work",
    "publication_date": "2023-01-03",
    "authorships": [{"author": {"display_name": "Ann Smith"}}, {"author": {}}],
    "abstract_inverted_index": {"We": [0], "study": [1], "things.": [3], "many": [2]},
    "primary_location": {"landing_page_url": "https://arxiv.org/abs/2301.01234"},
}


def test_abstract_from_inverted_index():
    assert abstract_from_index(WORK["abstract_inverted_index"]) == "We study many things."
    with pytest.raises(ValueError):
        abstract_from_index({"word": ["zero"]})


@pytest.mark.parametrize("text", [
    json.dumps(WORK), json.dumps([WORK]), json.dumps({"meta": {}, "results": [WORK]}),
    json.dumps(WORK) + "\n" + json.dumps(WORK) + "\n",
])
def test_openalex_shapes(text):
    records = raws(read_openalex(text))
    assert records
    paper, warnings = make_paper(records[0][1], "w.json")
    assert warnings == []
    # An arXiv DOI gives the arXiv id, and an arXiv id makes the paper id.
    assert paper.paper_id == "arxiv:2301.01234" and paper.doi == "10.48550/arxiv.2301.01234"
    assert paper.title == "An OpenAlex Work" and paper.abstract == "We study many things."
    assert paper.authors == ("Ann Smith",) and paper.date == "2023-01-03"


def test_openalex_work_without_abstract_or_ids():
    work = {"id": "https://openalex.org/W9", "display_name": "No Abstract", "abstract_inverted_index": None}
    (_, fields), = raws(read_openalex(json.dumps(work)))
    with pytest.raises(BadRecord, match="no abstract"):
        make_paper(fields, "w.json")
    fields["abstract"] = "x"
    assert make_paper(fields, "w.json")[0].paper_id == "openalex:W9"


# Records -> papers ----------------------------------------------------------------------

def test_make_paper_ids_in_order_of_preference():
    base = {"title": "T", "abstract": "A"}
    assert make_paper({**base, "id": "own-1", "arxiv_id": "2301.01234"}, "f")[0].paper_id == "own-1"
    assert make_paper({**base, "id": 17}, "f")[0].paper_id == "17"
    assert make_paper({**base, "arxiv_id": "2301.01234v2", "doi": "10.1000/x"}, "f")[0].paper_id == "arxiv:2301.01234"
    assert make_paper({**base, "doi": "10.1000/X"}, "f")[0].paper_id == "doi:10.1000/x"
    assert make_paper(base, "f")[0].paper_id.startswith("title:")


def test_make_paper_arxiv_snapshot_record():
    record = {"id": "0704.0001", "title": "Calculation of prompt diphoton production",
              "abstract": "  A fully differential calculation...\n", "authors": "C. Bal\\'azs, E. L. Berger and C.-P. Yuan",
              "categories": "hep-ph math.CO", "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
              "journal-ref": None, "submitter": "Pavel Nadolsky"}
    paper, warnings = make_paper(record, "s.json:1")
    assert warnings == []
    assert paper.paper_id == "0704.0001" and paper.arxiv_id == "0704.0001"
    assert paper.authors == ("C. Balázs", "E. L. Berger", "C.-P. Yuan")
    assert paper.categories == ("hep-ph", "math.CO") and paper.date == "2007-04-02"
    assert paper.abstract == "A fully differential calculation..."


def test_make_paper_prefers_date_over_published_over_update_date():
    paper, _ = make_paper({"title": "T", "summary": "A", "published": "2020-01-02", "update_date": "2021-01-01"}, "f")
    assert paper.date == "2020-01-02" and paper.abstract == "A"


@pytest.mark.parametrize("fields, reason", [
    ({"title": "T"}, "no abstract"),
    ({"x": 1}, "no title and no abstract"),
    ({"title": "T", "abstract": "  "}, "empty abstract"),
    ({"abstract": "A"}, "no title"),
    ({"title": "", "abstract": "A"}, "no title"),
    ({"title": ["T"], "abstract": "A"}, "title is a list, not text"),
    ({"title": "T", "abstract": 3}, "abstract is a number, not text"),
    ({"title": "T", "abstract": "A", "id": {"x": 1}}, "id is an object"),
])
def test_make_paper_rejects(fields, reason):
    with pytest.raises(BadRecord, match=reason):
        make_paper(fields, "f")


def test_make_paper_accepts_a_titleless_record_with_an_id():
    # Benchmark files (SciERC, TDMSci) give an id and an empty title on purpose.
    paper, _ = make_paper({"id": "J87-1003", "title": "", "abstract": "A"}, "f")
    assert paper.paper_id == "J87-1003" and paper.title == ""


def test_make_paper_drops_bad_optional_values_with_a_warning():
    paper, warnings = make_paper({"title": "T", "abstract": "A", "date": "soon", "authors": 5,
                                  "categories": [1], "doi": "nope", "url": "has space"}, "f")
    assert (paper.date, paper.authors, paper.categories, paper.doi, paper.url) == (None, (), (), None, None)
    assert len(warnings) == 5 and any("date 'soon' is not a date" in w for w in warnings)


# Registry and bytes ---------------------------------------------------------------------

@pytest.mark.parametrize("name, text, fmt", [
    ("a.jsonl", '{"title": "A"}', "jsonl"), ("a.JSON", "[]", "json"), ("a.csv", "x", "csv"),
    ("a.tsv.gz", "x", "tsv"), ("a.xml", "<feed/>", "arxiv-atom"), ("a.txt", "Title\nAbstract", "daily-papers"),
    ("a.json", '{"id": "https://openalex.org/W1", "display_name": "T"}', "openalex"),
    ("a.json", '[{"title": "T", "url": "https://openalex.org/W1"}]', "json"),
    ("noext", '{"title": "A"}\n{"title": "B"}\n', "jsonl"), ("noext", '[{"title": "A"}]', "json"),
    ("noext", "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>", "arxiv-atom"),
    ("noext", "Title\tAbstract\nA\tB\n", "tsv"), ("noext", "title,abstract\nA,B\n", "csv"),
    ("noext", "new\nSubscribe\nDaily Papers\n", "daily-papers"),
    ("a.txt", '{"title": "A"}\n{"title": "B"}\n', "jsonl"),
    ("noext", "just some words", None), ("noext", "<html><body>page</body></html>", None),
    ("noext", "[Re] A Title\nabstract", None), ("a.bin", "\x00\x01binary", None),
])
def test_guess_format(name, text, fmt):
    assert guess_format(name, text) == fmt


def test_format_names():
    assert list(FORMATS) == ["daily-papers", "jsonl", "json", "csv", "tsv", "arxiv-atom", "openalex"]


def test_decode_handles_bom_latin1_mixed_and_utf16():
    assert decode("\ufeffcafé".encode("utf-8")) == ("café", None)
    assert decode("café naïve".encode("latin-1")) == ("café naïve", None)
    assert decode("“smart” quotes".encode("cp1252")) == ("“smart” quotes", None)
    assert decode("été ".encode("utf-8") + b"caf\xe9") == ("été café", None)
    assert decode(b"\x81\x8d") == ("\x81\x8d", None)  # undefined in cp1252: Latin-1, nothing lost
    assert decode("中文".encode("utf-16")) == ("中文", None)


def test_gunzip_multi_member_and_truncated():
    data = gzip.compress(b"one ") + gzip.compress(b"two")
    assert gunzip(data) == (b"one two", None)
    out, warning = gunzip(gzip.compress(b"x" * 100_000)[:-20])
    assert out.startswith(b"xxx") and "cut off" in warning
