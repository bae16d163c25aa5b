"""read_corpus end to end: files, directories, formats, encodings, duplicates, bad input."""
import gzip
import json
from pathlib import Path

import pytest

from kgraph.errors import ConfigError, IngestError
from kgraph.ingest import read_corpus
from kgraph.model import Problem

ABSTRACT = "We propose a method and evaluate it on ImageNet. " * 8
DATA = Path(__file__).resolve().parent.parent / "data"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def paper(title: str, abstract: str = ABSTRACT, **extra) -> dict:
    return {"title": title, "abstract": abstract, **extra}


def test_the_default_corpus(tmp_path):
    corpus = read_corpus([DATA])
    assert corpus.records == 385
    assert len(corpus.papers) == 336 and corpus.duplicates == 49
    assert corpus.problems == []
    assert all(p.title and p.abstract for p in corpus.papers)
    assert len({p.paper_id for p in corpus.papers}) == 336
    first = corpus.papers[0]
    assert first.title == "G3Reg: Pyramid Graph-based Global Registration using Gaussian Ellipsoid Model"
    assert first.date == "--03-11" and first.sources[0].endswith("000_2120e790abae241e.txt:11")
    assert sum(len(p.sources) for p in corpus.papers) == 385
    assert read_corpus([DATA]).papers == corpus.papers  # deterministic


def test_reads_every_format_by_extension_from_a_directory(tmp_path):
    write(tmp_path / "a.jsonl", jsonl(paper("JSONL Paper")))
    write(tmp_path / "b.json", json.dumps([paper("JSON Paper")]))
    write(tmp_path / "c.csv", f"title,abstract\nCSV Paper,{ABSTRACT}\n")
    write(tmp_path / "d.tsv", f"title\tabstract\nTSV Paper\t{ABSTRACT}\n")
    write(tmp_path / "e.xml", '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2301.00001v1</id>'
                              f"<title>Atom Paper</title><summary>{ABSTRACT}</summary></entry></feed>")
    write(tmp_path / "f.json", json.dumps({"results": [{"id": "https://openalex.org/W1", "display_name": "OpenAlex Paper",
                                                        "abstract_inverted_index": {"Words": [0], "here.": [1]}}]}))
    write(tmp_path / "g.txt", f"Daily Papers\nSubscribe\nDaily Paper\n{ABSTRACT}\n")
    write(tmp_path / "sub" / "h.jsonl.gz", gzip.compress(jsonl(paper("Gzipped Paper")).encode()))
    write(tmp_path / ".hidden.jsonl", jsonl(paper("Hidden Paper")))
    write(tmp_path / ".git" / "x.jsonl", jsonl(paper("In A Hidden Directory")))
    corpus = read_corpus([tmp_path])
    assert corpus.problems == []
    assert [p.title for p in corpus.papers] == [
        "JSONL Paper", "JSON Paper", "CSV Paper", "TSV Paper", "Atom Paper", "OpenAlex Paper",
        "Daily Paper", "Gzipped Paper"]
    assert corpus.papers[-1].sources == (f"{tmp_path / 'sub' / 'h.jsonl.gz'}:1",)


def test_format_is_sniffed_from_content_or_forced(tmp_path):
    sniffed = write(tmp_path / "papers.data", jsonl(paper("A"), paper("B")))
    assert len(read_corpus([sniffed]).papers) == 2
    forced = write(tmp_path / "papers.txt", f"title,abstract\nA,{ABSTRACT}\n")
    assert [p.title for p in read_corpus([forced], fmt="csv").papers] == ["A"]
    with pytest.raises(ConfigError, match="unknown input format 'yaml'"):
        read_corpus([forced], fmt="yaml")


def test_unknown_format_named_is_an_error_and_in_a_directory_a_problem(tmp_path):
    odd = write(tmp_path / "notes.md", "# just some notes\n")
    with pytest.raises(IngestError, match=r"notes\.md.*use --format NAME"):
        read_corpus([odd])
    write(tmp_path / "p.jsonl", jsonl(paper("A")))
    corpus = read_corpus([tmp_path])
    assert [p.title for p in corpus.papers] == ["A"]
    assert corpus.problems == [Problem(str(odd), None, corpus.problems[0].reason)]
    assert "use --format NAME" in corpus.problems[0].reason


def test_missing_path_empty_directory_and_nothing_readable(tmp_path):
    with pytest.raises(IngestError, match=r"^/no/such/path: no such file or directory; check the path$"):
        read_corpus(["/no/such/path"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(IngestError, match="empty: no input files in this directory"):
        read_corpus([tmp_path / "empty"])
    write(tmp_path / "pdfs" / "a.pdf", b"%PDF-1.7\x00\x01")
    with pytest.raises(IngestError, match="nothing readable in .*pdfs.*use --format NAME"):
        read_corpus([tmp_path / "pdfs"])
    with pytest.raises(IngestError, match="no input paths"):
        read_corpus([])


def test_error_messages_are_one_line(tmp_path):
    for inputs in (["/no/such/path"], [write(tmp_path / "x.md", "words")]):
        with pytest.raises(IngestError) as err:
            read_corpus(inputs)
        assert "\n" not in str(err.value)


def test_empty_file_is_a_problem_not_an_error(tmp_path):
    empty = write(tmp_path / "empty.jsonl", "")
    write(tmp_path / "blank.csv", "\n  \n")
    corpus = read_corpus([tmp_path])
    assert corpus.papers == [] and corpus.records == 0
    assert [(p.path, p.reason) for p in corpus.problems] == [
        (str(tmp_path / "blank.csv"), "empty file: no records"), (str(empty), "empty file: no records")]


def test_a_single_path_and_a_file_named_twice_are_fine(tmp_path):
    f = write(tmp_path / "p.jsonl", jsonl(paper("A")))
    assert len(read_corpus(f).papers) == 1
    corpus = read_corpus([f, tmp_path, str(f)])
    assert corpus.records == 1 and corpus.duplicates == 0


# Encodings and line endings -------------------------------------------------------------

def test_invalid_utf8_and_latin1_files_lose_nothing(tmp_path):
    latin1 = write(tmp_path / "latin1.csv", f"title,abstract\nCafé naïve,{ABSTRACT} été\n".encode("latin-1"))
    mixed = write(tmp_path / "mixed.jsonl", b'{"title": "R\xc3\xa9sum\xe9 of caf\xe9", "abstract": "ok \xff\xfe"}\n')
    corpus = read_corpus([latin1, mixed])
    assert corpus.problems == []
    assert [p.title for p in corpus.papers] == ["Café naïve", "Résumé of café"]
    assert corpus.papers[0].abstract.endswith("été")
    assert corpus.papers[1].abstract == "ok ÿþ"


def test_bom_and_crlf(tmp_path):
    bom = write(tmp_path / "bom.csv", b"\xef\xbb\xbfTitle,Abstract\r\nA,x\r\nB,y\r\n")
    crlf = write(tmp_path / "crlf.txt", f"new\r\nSubscribe\r\n\r\nMar 11\r\n\r\nC\r\n\r\n{ABSTRACT}\r\n".encode())
    corpus = read_corpus([bom, crlf])
    assert corpus.problems == []
    assert [(p.title, p.sources) for p in corpus.papers] == [
        ("A", (f"{bom}:2",)), ("B", (f"{bom}:3",)), ("C", (f"{crlf}:6",))]
    assert corpus.papers[2].date == "--03-11"


def test_truncated_gzip_keeps_what_came_before(tmp_path):
    data = gzip.compress(jsonl(*(paper(f"Paper {i}") for i in range(200))).encode())
    f = write(tmp_path / "cut.jsonl.gz", data[: len(data) // 2])
    corpus = read_corpus([f])
    assert 0 < len(corpus.papers) < 200
    assert "cut off" in corpus.problems[0].reason


# Bad records ----------------------------------------------------------------------------

def test_bad_records_become_problems_and_reading_goes_on(tmp_path):
    f = write(tmp_path / "p.jsonl", jsonl(
        paper("Good One"),
        {"title": "No Abstract"},
        {"abstract": "no title"},
        paper(["wrong", "type"]),
        paper("Good Two", date="someday"),
    ) + '{"title": "Cut", "abstr')
    corpus = read_corpus([f])
    assert [p.title for p in corpus.papers] == ["Good One", "Good Two"]
    assert [(p.line, p.reason.split(" (")[0]) for p in corpus.problems] == [
        (2, "no abstract"), (3, "no title"), (4, "title is a list, not text"),
        (5, "date 'someday' is not a date; read the paper without one"),
        (6, "not JSON: Unterminated string starting at"),
    ]
    assert corpus.problems[-1].reason.endswith("(column 18) (the file's last line: truncated?)")
    assert all(p.path == str(f) for p in corpus.problems)
    assert corpus.records == 6


def test_strict_stops_at_the_first_problem_naming_file_line_and_reason(tmp_path):
    f = write(tmp_path / "p.jsonl", jsonl(paper("Good"), {"title": "No Abstract"}, {"abstract": "x"}))
    with pytest.raises(IngestError, match=rf"^{f}:2: no abstract \(--strict stops at the first problem\)$"):
        read_corpus([f], strict=True)
    assert len(read_corpus([f]).problems) == 2


def test_strict_on_clean_input_reads_everything():
    assert len(read_corpus([DATA], strict=True).papers) == 336


def test_text_is_normalised_and_odd_content_kept(tmp_path):
    big = "Long abstract. " * 70_000  # over 1 MB
    f = write(tmp_path / "p.jsonl", jsonl(
        paper("Title with <b>HTML</b> and <script>alert(1)</script> &amp; ctrl\x07", "An $\\alpha$-approx with 10\\% gain."),
        paper("نموذج لغوي كبير", "نص عربي من اليمين إلى اليسار."),
        paper("大规模语言模型 🚀", "中文摘要。"),
        paper("Huge", big),
    ))
    corpus = read_corpus([f])
    assert corpus.problems == []
    html, rtl, cjk, huge = corpus.papers
    assert html.title == "Title with HTML and alert(1) & ctrl"
    assert html.abstract == "An α-approx with 10% gain."
    assert (rtl.title, cjk.title) == ("نموذج لغوي كبير", "大规模语言模型 🚀")
    assert huge.abstract == big.strip()


# Identity and duplicates ----------------------------------------------------------------

def test_duplicates_merge_into_the_first_and_fill_its_gaps(tmp_path):
    a = write(tmp_path / "a.jsonl", jsonl(
        paper("Same Paper: A Title", "Short abstract."),
        paper("Other Paper"),
    ))
    b = write(tmp_path / "b.csv", "title,abstract,authors,date\n"
                                  f"same paper -- a title,{ABSTRACT},\"Ann, Bob\",2023-05-01\n")
    corpus = read_corpus([a, b])
    assert corpus.records == 3 and corpus.duplicates == 1 and corpus.problems == []
    merged = corpus.papers[0]
    assert merged.title == "Same Paper: A Title"  # the first's
    assert merged.abstract == ABSTRACT.strip()  # the longer
    assert merged.authors == ("Ann", "Bob") and merged.date == "2023-05-01"  # filled in
    assert merged.sources == (f"{a}:1", f"{b}:2")


def test_duplicates_by_arxiv_id_and_doi_across_formats(tmp_path):
    f = write(tmp_path / "p.jsonl", jsonl(
        paper("Attention", arxiv_id="1706.03762v1"),
        paper("Attention Is All You Need", id="1706.03762v5", authors="A and B"),  # arXiv snapshot style
        paper("By DOI", doi="https://doi.org/10.1000/ABC"),
        paper("By DOI, Again", doi="10.1000/abc", url="https://x.org"),
    ))
    corpus = read_corpus([f])
    # The second record's title differs from the first's: a conflict, reported, not merged.
    assert [p.paper_id for p in corpus.papers] == ["arxiv:1706.03762", "doi:10.1000/abc"]
    assert [(p.line, "different title" in p.reason) for p in corpus.problems] == [(2, True), (4, True)]


def test_same_title_with_different_arxiv_ids_are_different_papers(tmp_path):
    f = write(tmp_path / "p.jsonl", jsonl(paper("Survey", arxiv_id="2301.00001"), paper("Survey", arxiv_id="2302.00002"),
                                          paper("Survey")))
    corpus = read_corpus([f])
    assert [p.paper_id for p in corpus.papers] == ["arxiv:2301.00001", "arxiv:2302.00002"]
    assert corpus.papers[0].sources == (f"{f}:1", f"{f}:3")


def test_duplicate_ids_with_different_content(tmp_path):
    # Decision: the first record wins. A same-id record with another title is a conflict:
    # reported as a Problem and not merged. One with the same title merges (longer abstract).
    f = write(tmp_path / "p.jsonl", jsonl(
        paper("First Title", "Short.", id="p1"),
        paper("Another Title", ABSTRACT, id="p1"),
        paper("first title", ABSTRACT, id="p1"),
    ))
    corpus = read_corpus([f])
    assert len(corpus.papers) == 1
    only = corpus.papers[0]
    assert (only.paper_id, only.title, only.abstract) == ("p1", "First Title", ABSTRACT.strip())
    assert only.sources == (f"{f}:1", f"{f}:3")
    assert corpus.duplicates == 1 and corpus.records == 3
    assert corpus.problems == [Problem(str(f), 2, f"same id as the paper read at {f}:1 but a different title; "
                                                  "kept that one and skipped this record")]
    with pytest.raises(IngestError, match=":2: same id"):
        read_corpus([f], strict=True)


def test_records_with_their_own_different_ids_are_never_merged(tmp_path):
    # Benchmarks give every record an id and rely on getting one paper per id back.
    f = write(tmp_path / "p.jsonl", jsonl(paper("", "Sentence one.", id="s-1"), paper("", "Sentence one.", id="s-2"),
                                          paper("Same", id="x-1"), paper("Same", id="x-2")))
    corpus = read_corpus([f])
    assert [p.paper_id for p in corpus.papers] == ["s-1", "s-2", "x-1", "x-2"]
    assert corpus.duplicates == 0


def test_control_characters_and_lone_surrogates_are_dropped(tmp_path):
    f = write(tmp_path / "p.jsonl", '{"title": "Bell\\u0007 and \\ud800 half", "abstract": "tab\\tnul\\u0000 end"}\n')
    (only,) = read_corpus([f]).papers
    assert (only.title, only.abstract) == ("Bell and half", "tab nul end")
    only.title.encode("utf-8")  # exportable


def test_progress_bar_goes_to_stderr(tmp_path, capsys):
    for i in range(3):
        write(tmp_path / f"{i}.jsonl", jsonl(paper(f"P{i}")))
    assert len(read_corpus([tmp_path], progress=True).papers) == 3
    out, err = capsys.readouterr()
    assert out == "" and "reading" in err
