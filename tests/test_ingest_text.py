"""The pure helpers of ingest: text normalisation, LaTeX, dates, ids."""
import pytest

from kgraph.ingest.dates import normalise_date
from kgraph.ingest.records import parse_arxiv_id, parse_authors, parse_doi
from kgraph.ingest.text import normalise_text, title_hash, title_key


@pytest.mark.parametrize("raw, clean", [
    ("  many \t spaces\nand\r\nlines  ", "many spaces and lines"),
    ("T5 &amp; GPT &lt;3 &eacute;t&eacute; &#x4e2d;&#25991;", "T5 & GPT <3 été 中文"),
    ("R&D and Q&A stay", "R&D and Q&A stay"),
    ("<b>Bold</b> and <i>it</i><br/>x", "Bold and it x"),
    ('<a href="https://x.org" class=\'y\'>link</a> <!-- note -->', "link"),
    ("<jats:p>Crossref <jats:italic>style</jats:italic></jats:p>", "Crossref style"),
    ("ctrl\x00\x07\x1b chars\x7f", "ctrl chars"),
    ("e\u0301te\u0301", "été"),  # NFC
])
def test_normalise_text(raw, clean):
    assert normalise_text(raw) == clean


def test_script_tags_are_stripped_but_their_text_is_kept():
    # Decision: tags go, text stays, in raw and in escaped form alike.
    assert normalise_text("Hi <script>alert('x')</script>!") == "Hi alert('x') !"
    assert normalise_text("Hi &lt;script&gt;alert(1)&lt;/script&gt;") == "Hi alert(1)"


@pytest.mark.parametrize("text", [
    "a token <EOS> and <projektor> and <s> ... </s>",
    "triplets <subject, relationship, object> under (<600M MACs) and a < b > c",
    "ImageNav (\"go to location in <this picture>\")",
])
def test_angle_brackets_that_are_content_survive(text):
    assert normalise_text(text) == text


@pytest.mark.parametrize("text", [
    "مرحبا بالعالم \u200fنص\u200f",  # right-to-left, with RLM marks kept
    "大规模语言模型的高效推理",
    "Emoji 🚀 and family 👩\u200d👩\u200d👧 and flag 🇫🇷",
])
def test_rtl_cjk_and_emoji_are_kept(text):
    assert normalise_text(text) == text


@pytest.mark.parametrize("raw, clean", [
    (r"achieves 58.1\% accuracy", "achieves 58.1% accuracy"),
    (r"\emph{nested \textbf{bold}} and {\bf Bold}", "nested bold and Bold"),
    (r"``quoted'' text", '"quoted" text'),
    (r"Network~(FFN), i.e.~points, Fig.~1, \eg~progress", "Network (FFN), i.e. points, Fig. 1, e.g. progress"),
    (r"M\'elange, na\"ive, \c{c}a, \'{\i}", "Mélange, naïve, ça, í"),
    (r"$O(n^{2})$ with $\alpha \leq 0.5$", "O(n^2) with α ≤ 0.5"),
    (r"$\mathcal{O}(\frac{1}{\epsilon})$ over $\mathbb{R}^d$", "O(1/ε) over ℝ^d"),
    (r"$10^{-3}$ and $x_{t-1}$ and $\sim$10\%", "10^(-3) and x_(t-1) and ~10%"),
    (r"$$E = mc^2$$ and \(a \times b\)", "E = mc^2 and a × b"),
    (r"ranges 10~20X, 0.8dB~2dB, 75%~89% and ~10G FLOPs", "ranges 10~20X, 0.8dB~2dB, 75%~89% and ~10G FLOPs"),
    ("costs $5 and $10, or $5-$10, or \\$100K+", "costs $5 and $10, or $5-$10, or $100K+"),
    ("see https://host.org/~user/a~b", "see https://host.org/~user/a~b"),
])
def test_latex_in_arxiv_abstracts(raw, clean):
    assert normalise_text(raw) == clean


def test_a_one_megabyte_text_is_normalised_whole():
    text = "word $x$ &amp; <b>b</b> " * 42_000  # 1 MB
    assert normalise_text(text) == ("word x & b " * 42_000).strip()


def test_title_key_and_hash():
    assert title_key("G3Reg: Pyramid  Graph-based_Registration!") == "g3reg pyramid graph based registration"
    assert title_key("ÉTÉ") == title_key("été")
    assert title_hash("A  Title") == title_hash("a title.") and len(title_hash("x")) == 16


@pytest.mark.parametrize("raw, iso", [
    ("2023-03-11", "2023-03-11"), ("2023-03-11T17:59:59Z", "2023-03-11"),
    ("2023/3/5", "2023-03-05"), ("2023-03", "2023-03"), ("2023", "2023"), (2021, "2021"),
    ("Mon, 2 Apr 2007 19:18:42 GMT", "2007-04-02"), ("Mar 11", "--03-11"),
    ("Feb 29", "--02-29"), ("March 11, 2024", "2024-03-11"), ("11 Mar 2024", "2024-03-11"),
    ("May 2024", "2024-05"),
    ("2023-02-30", None), ("2023-13", None), ("Feb 30", None), ("soon", None), ("", None),
    (True, None), (None, None), ([2023], None),
])
def test_normalise_date(raw, iso):
    assert normalise_date(raw) == iso


@pytest.mark.parametrize("raw, arxiv", [
    ("2301.01234", "2301.01234"), ("2301.01234v3", "2301.01234"), ("arXiv:2301.01234v1", "2301.01234"),
    ("http://arxiv.org/abs/2301.01234v2", "2301.01234"), ("https://arxiv.org/pdf/2301.01234.pdf", "2301.01234"),
    ("hep-th/9901001v1", "hep-th/9901001"), ("http://arxiv.org/abs/math.GT/0309136v1", "math.GT/0309136"),
    ("not an id", None), ("2021.acl-long.353", None),
])
def test_parse_arxiv_id(raw, arxiv):
    assert parse_arxiv_id(raw) == arxiv


def test_parse_doi_and_authors():
    assert parse_doi("https://doi.org/10.1000/ABC.def") == "10.1000/abc.def"
    assert parse_doi("doi:10.48550/arXiv.2301.01234") == "10.48550/arxiv.2301.01234"
    assert parse_doi("12.34/nope") is None
    assert parse_authors("A. Smith, B. Jones and C. Wu") == ("A. Smith", "B. Jones", "C. Wu")
    assert parse_authors("Ann Anand and Alexander Brand") == ("Ann Anand", "Alexander Brand")
    assert parse_authors(r"C. Bal\'azs, E. L. Berger") == ("C. Balázs", "E. L. Berger")
