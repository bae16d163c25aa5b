"""How fast kgraph is at scale: ``python -m kgraph.bench`` (or ``make bench``).

For each corpus size (default 1k, 10k and 100k papers) a child process, so that memory
peaks do not mix:

1. makes a synthetic corpus: papers whose abstracts recombine the sentences of the
   papers in ``data/`` (deterministic: paper *i* depends only on the seed and *i*, so a
   smaller corpus is a prefix of a larger one), and writes it as JSON Lines;
2. measures, on the first ``--sample`` papers of it, the extraction pipeline on one core
   and spaCy's bare tokenizer on the same text (the yardstick), in words per second;
3. builds the graph from the file as ``kgraph build --no-cache`` does (ingest, extract
   with ``--jobs``, build, analyse, export into a temporary directory), timing each stage;
4. reports its peak memory: its own maximum RSS (``getrusage``) and the peak of the RSS
   summed over it and its worker processes (sampled every 0.2 s).

Then, on the smallest size, the cache and the up-to-date check: a first build with an
empty cache, a rebuild of the same input (up to date: it stops after ingest), the same
rebuild with ``force`` (the up-to-date check bypassed: extraction comes from the cache,
but the graph is built, analysed and exported again), and a rebuild with 10% new papers,
each a fresh process running `kgraph.pipeline.build` as ``kgraph build`` does, timed
from outside.

    python -m kgraph.bench --sizes 1000,10000 --jobs 2 --output bench.json
    python -m kgraph.bench --sizes 1000 --markdown
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_SAMPLE = 2_000
STAGES = ("ingest", "extract", "build", "analyse", "export")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


# --- the synthetic corpus --------------------------------------------------------------

def sentence_pool(inputs=("data/",)) -> tuple[list[str], list[str], list[int]]:
    """Titles, abstract sentences and abstract lengths (in sentences) of the real corpus."""
    from kgraph.ingest import read_corpus

    papers = read_corpus(list(inputs)).papers
    titles = [p.title for p in papers if p.title]
    sentences, lengths = [], []
    for p in papers:
        parts = [s for s in _SENTENCE.split(p.abstract) if s.strip()]
        sentences.extend(parts)
        lengths.append(len(parts))
    return titles, sentences, lengths


def synthetic_records(n: int, seed: int = 0, pool=None) -> list[dict]:
    """``n`` paper records made of real titles and sentences, recombined."""
    titles, sentences, lengths = pool or sentence_pool()
    records = []
    for i in range(n):
        rng = random.Random(f"{seed}/{i}")
        month = rng.randrange(24)
        records.append({
            "id": f"synth-{seed}-{i:06d}",
            "title": f"{rng.choice(titles)} (variant {i})",
            "abstract": " ".join(rng.choice(sentences) for _ in range(rng.choice(lengths))),
            "date": f"{2023 + month // 12}-{month % 12 + 1:02d}-{rng.randrange(1, 29):02d}",
        })
    return records


def write_corpus(records: list[dict], path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# --- measuring ---------------------------------------------------------------------------

class PeakRSS:
    """The peak of the RSS summed over this process and its descendants (Linux; else None)."""

    def __init__(self, interval: float = 0.2):
        self.interval, self.peak = interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakRSS:
        if Path("/proc/self/stat").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, sum(_tree_rss_pages(os.getpid())) * page)

    @property
    def mb(self) -> float | None:
        return round(self.peak / 2**20, 1) if self.peak else None


def _tree_rss_pages(root: int):
    parents: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21])
    todo = [root]
    while todo:
        pid = todo.pop()
        yield rss.get(pid, 0)
        todo.extend(parents.get(pid, ()))


def _clock(func) -> dict[str, float]:
    """Wall and CPU seconds (of this process) that ``func()`` takes."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return {"wall_s": round(time.perf_counter() - wall, 3), "cpu_s": round(time.process_time() - cpu, 3)}


def interleaved_clocks(tokenize, extract, texts: list[str], chunk: int = 100) -> tuple[dict, dict]:
    """Time the tokenizer and the extraction on the same texts, alternating chunk by chunk,
    so a change in the machine's load mid-run affects both alike and their ratio holds.
    ``tokenize`` takes a list of texts, ``extract`` a range of their indexes."""
    totals = [{"wall_s": 0.0, "cpu_s": 0.0}, {"wall_s": 0.0, "cpu_s": 0.0}]
    for start in range(0, len(texts), chunk):
        part = texts[start:start + chunk]
        for total, run in zip(totals, (lambda: tokenize(part),
                                       lambda: extract(range(start, start + len(part))))):
            for key, value in _clock(run).items():
                total[key] += value
    return tuple({key: round(value, 3) for key, value in t.items()} for t in totals)


def _maxrss_mb(who=resource.RUSAGE_SELF) -> float:
    kb = resource.getrusage(who).ru_maxrss  # KiB on Linux, bytes on macOS
    return round(kb / (2**20 if sys.platform == "darwin" else 2**10), 1)


@contextmanager
def timer(times: dict[str, float], name: str, peaks: dict[str, float] | None = None):
    """Time a stage into ``times``; with ``peaks``, note this process's peak RSS after it."""
    t = time.perf_counter()
    try:
        yield
    finally:
        times[name] = round(time.perf_counter() - t, 3)
        if peaks is not None:
            peaks[name] = _maxrss_mb()


def timed_build(corpus: Path, outdir: Path, *, jobs: int, cache_dir: Path | None,
                formats: list[str] | None = None, fast: bool = False) -> dict:
    """The stages of `kgraph.pipeline.build`, one by one, each timed.

    An export that fails (out of memory, say) is recorded as ``export_error`` so that the
    figures of the stages before it are not lost.
    """
    from kgraph.analyse import analyse_graph
    from kgraph.build import build_graph
    from kgraph.export import write_all
    from kgraph.errors import KgraphError
    from kgraph.pipeline import extract, read

    times: dict[str, float] = {}
    peaks: dict[str, float] = {}  # maxrss after each stage: where the peak grows
    start = time.perf_counter()
    with timer(times, "ingest", peaks):
        c = read([corpus])
    with timer(times, "extract", peaks):
        extractions = extract(c, jobs=jobs, cache_dir=cache_dir, fast=fast)
    with timer(times, "build", peaks):
        G = build_graph(extractions)
    with timer(times, "analyse", peaks):
        analyse_graph(G)
    export_start = time.perf_counter()
    error = None
    with timer(times, "export", peaks):
        try:
            files = write_all(G, outdir, formats=formats)
        except (MemoryError, KgraphError) as err:
            files, error = sorted(Path(outdir).glob("*")), f"{type(err).__name__}: {err}"
    total = time.perf_counter() - start
    return {
        "export_error": error, "formats": formats or "all",
        "papers": len(c.papers), "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
        "stages_s": times, "maxrss_after_stage_mb": peaks, "total_s": round(total, 3),
        "papers_per_s": round(len(c.papers) / total, 1),
        "export_files_s": _file_times(files, export_start),
        "spacy_loaded": "spacy" in sys.modules,
    }


def _file_times(files: list[Path], export_start: float) -> dict[str, float]:
    """Each export file's share of the export stage, from when each was finished (mtime)."""
    wall_now, perf_now = time.time(), time.perf_counter()
    begin = wall_now - (perf_now - export_start)
    done = sorted((f.stat().st_mtime, f.name) for f in files)
    out, last = {}, begin
    for mtime, name in done:
        out[name] = round(max(0.0, mtime - last), 3)
        last = max(last, mtime)
    return out


def measure_size(size: int, *, jobs: int, seed: int, sample: int, formats: list[str] | None = None,
                 fast: bool = False) -> dict:
    """Everything measured for one corpus size (run in a child process of its own)."""
    from kgraph.extract import extract_raw
    from kgraph.extract.nlp import load_nlp, paper_text
    from kgraph.model import Paper

    result: dict = {"size": size, "jobs": jobs, "seed": seed, "fast": fast}
    with PeakRSS() as peak, tempfile.TemporaryDirectory(prefix="kgraph-bench-") as tmp:
        tmp = Path(tmp)
        records = synthetic_records(size, seed)
        corpus = write_corpus(records, tmp / "corpus.jsonl")
        texts = [paper_text(r["title"], r["abstract"]) for r in records[:sample]]
        words = sum(len(t.split()) for t in texts)
        result["words"] = sum(len(paper_text(r["title"], r["abstract"]).split()) for r in records)
        del records

        t = time.perf_counter()
        nlp = load_nlp(with_model=not fast)  # the pipeline the build runs, whose tokenizer is the yardstick
        result["model_load_s"] = round(time.perf_counter() - t, 3)
        sample_papers = [Paper(str(i), *text.split("\n", 1)) for i, text in enumerate(texts)]
        extract_raw(sample_papers[:8], jobs=1, fast=fast)  # warm up: first calls pay one-off setup
        tokenizer, extraction = interleaved_clocks(
            lambda chunk: [None for _ in nlp.tokenizer.pipe(chunk, batch_size=256)],
            lambda chunk: extract_raw([sample_papers[i] for i in chunk], jobs=1, fast=fast),
            texts)
        result["sample"] = {
            "papers": len(texts), "words": words,
            # per CPU-second of this process: what one core does, however busy the machine is
            "extract_words_per_s": round(words / extraction["cpu_s"]),
            "tokenizer_words_per_s": round(words / tokenizer["cpu_s"]),
            "ratio": round(extraction["cpu_s"] / tokenizer["cpu_s"], 1),
            "extract_wall_s": extraction["wall_s"], "tokenizer_wall_s": tokenizer["wall_s"],
        }
        result["build"] = timed_build(corpus, tmp / "out", jobs=jobs, cache_dir=None, formats=formats, fast=fast)
    result["maxrss_main_mb"] = _maxrss_mb()
    result["peak_rss_tree_mb"] = peak.mb
    result["load_average"] = os.getloadavg() if hasattr(os, "getloadavg") else None  # others' load skews wall times
    return result


def measure_cache(size: int, *, jobs: int, seed: int, formats: list[str] | None = None) -> dict:
    """First build, unchanged rebuild, forced rebuild and +10% papers, each in a fresh process.

    All four build into the same output directory with the same cache, as repeated
    ``kgraph build`` runs do; each run records whether the build was skipped as up to date.
    """
    from kgraph.extract.cache import ExtractionCache

    pool = sentence_pool()
    with tempfile.TemporaryDirectory(prefix="kgraph-bench-cache-") as tmp:
        tmp = Path(tmp)
        small = write_corpus(synthetic_records(size, seed, pool), tmp / "corpus.jsonl")
        grown = write_corpus(synthetic_records(size + size // 10, seed, pool), tmp / "grown.jsonl")
        cache = tmp / "cache"
        runs = {}
        for name, corpus, force in (("first", small, False), ("rebuild", small, False),
                                    ("forced", small, True), ("add_10pct", grown, False)):
            before = _cached(cache)
            t = time.perf_counter()
            child = _child(["--child-build", str(corpus), "--cache-dir", str(cache), "--jobs", str(jobs),
                            "--outdir", str(tmp / "out"), *_formats_args(formats), *(["--force"] if force else [])])
            runs[name] = {"wall_s": round(time.perf_counter() - t, 3), **child,
                          "extracted": _cached(cache) - before}
        with ExtractionCache(cache) as c:
            rows = len(c)
        size_mb = round(sum(f.stat().st_size for f in cache.iterdir()) / 2**20, 1)
    first = runs["first"]["wall_s"]
    return {"size": size, "jobs": jobs, "runs": runs, "cache_rows": rows, "cache_mb": size_mb,
            "speedup": round(first / runs["rebuild"]["wall_s"], 1),
            "speedup_forced": round(first / runs["forced"]["wall_s"], 1)}


def pipeline_build(corpus: Path, outdir: Path, *, jobs: int, cache_dir: Path | None,
                   formats: list[str] | None = None, force: bool = False) -> dict:
    """`kgraph.pipeline.build`, as ``kgraph build`` runs it, and what it did."""
    from kgraph.pipeline import build

    t = time.perf_counter()
    report = build([corpus], outdir, formats=formats, jobs=jobs, cache_dir=cache_dir, force=force)
    return {"skipped": report.skipped, "papers": len(report.corpus.papers), "nodes": report.nodes,
            "edges": report.edges, "files": len(report.files), "build_s": round(time.perf_counter() - t, 3)}


def _formats_args(formats: list[str] | None) -> list[str]:
    return ["--formats", ",".join(formats)] if formats else []


def _cached(cache_dir: Path) -> int:
    from kgraph.extract.cache import ExtractionCache

    if not cache_dir.exists():
        return 0
    with ExtractionCache(cache_dir) as c:
        return len(c)


def _child(args: list[str]) -> dict:
    """Run ``python -m kgraph.bench ARGS`` and return the JSON it prints last."""
    proc = subprocess.run([sys.executable, "-m", "kgraph.bench", *args], stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"kgraph.bench: child {' '.join(args)} failed with exit code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- reporting ---------------------------------------------------------------------------

def markdown(report: dict) -> str:
    rows = [
        "| papers | words | extraction (words per CPU-s) | tokenizer (words per CPU-s) | ratio | "
        f"build, --jobs {report['jobs']} (papers/s) | ingest / extract / build / analyse / export (s) | "
        "peak RSS, main / all processes (MB) |",
        "|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in report["sizes"]:
        s, b = r["sample"], r["build"]
        stages = " / ".join(f"{b['stages_s'][k]:.1f}" for k in STAGES)
        only = "" if b.get("formats", "all") == "all" else f" ({', '.join(b['formats'])} only)"
        only += ", --fast" if r.get("fast") else ""
        rows.append(f"| {r['size']:,}{only} | {r['words']:,} | {s['extract_words_per_s']:,} | "
                    f"{s['tokenizer_words_per_s']:,} | {s['ratio']}x | {b['papers_per_s']:,} | {stages} | "
                    f"{r['maxrss_main_mb']:,.0f} / {r['peak_rss_tree_mb'] or 0:,.0f} |")
    c = report.get("cache")
    if c:
        rows += ["", cache_markdown(c)]
    return "\n".join(rows)


def cache_markdown(c: dict) -> str:
    """The README's cache line, from `measure_cache`'s result."""
    runs = c["runs"]
    rebuild = runs["rebuild"]
    what = ("up to date: ingest only, nothing extracted or written" if rebuild.get("skipped")
            else "NOT skipped: rebuilt")
    return (f"Cache, {c['size']:,} papers (--jobs {c['jobs']}, wall time of a fresh process): "
            f"first build {runs['first']['wall_s']:.1f} s; unchanged rebuild {rebuild['wall_s']:.1f} s "
            f"(**{c['speedup']}x** faster; {what}); the same rebuild with --force "
            f"{runs['forced']['wall_s']:.1f} s ({c['speedup_forced']}x; extraction from the cache, "
            f"graph, analysis and every export redone); with {c['size'] // 10:,} new papers "
            f"{runs['add_10pct']['wall_s']:.1f} s ({runs['add_10pct']['extracted']:,} papers extracted); "
            f"cache {c['cache_mb']} MB for {c['cache_rows']:,} papers.")


def _parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(s.replace("_", "").lower().replace("k", "000")) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes takes numbers like 1000,10000 or 1k,10k, not {text!r}")
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("--sizes needs at least one size of 1 or more")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kgraph.bench", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Examples: python -m kgraph.bench --sizes 1k,10k --jobs 2 --markdown\n"
                                            "          python -m kgraph.bench --sizes 100k --fast --no-cache-run")
    parser.add_argument("--sizes", type=_parse_sizes, default=list(DEFAULT_SIZES),
                        help="comma-separated corpus sizes (default: 1000,10000,100000)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="extraction processes for the builds (default: the number of CPUs)")
    parser.add_argument("--sample", type=int, default=DEFAULT_SAMPLE,
                        help=f"papers the one-core and tokenizer figures are measured on (default: {DEFAULT_SAMPLE})")
    parser.add_argument("--formats", type=lambda text: [f.strip() for f in text.split(",") if f.strip()],
                        help="exports to write, as in `kgraph build --formats` (default: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fast", action="store_true",
                        help="measure `kgraph build --fast` (no statistical NER) for the sizes")
    parser.add_argument("--no-cache-run", action="store_true", help="skip the cache measurement")
    parser.add_argument("--output", type=Path, help="write the full report here as JSON")
    parser.add_argument("--markdown", action="store_true", help="print the README table")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--outdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--force", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child is not None:
        print(json.dumps(measure_size(args.child, jobs=args.jobs, seed=args.seed, sample=args.sample,
                                      formats=args.formats, fast=args.fast)))
        return 0
    if args.child_build is not None:
        print(json.dumps(pipeline_build(args.child_build, args.outdir, jobs=args.jobs, cache_dir=args.cache_dir,
                                        formats=args.formats, force=args.force)))
        return 0

    report: dict = {"jobs": args.jobs, "seed": args.seed, "formats": args.formats or "all",
                    "cpus": os.cpu_count(), "python": sys.version.split()[0], "sizes": []}
    for size in args.sizes:
        print(f"kgraph.bench: {size:,} papers ...", file=sys.stderr, flush=True)
        r = _child(["--child", str(size), "--jobs", str(args.jobs), "--seed", str(args.seed),
                    "--sample", str(args.sample), *_formats_args(args.formats), *(["--fast"] if args.fast else [])])
        report["sizes"].append(r)
        b = r["build"]
        print(f"  extraction {r['sample']['extract_words_per_s']:,} words/s on 1 core, tokenizer "
              f"{r['sample']['tokenizer_words_per_s']:,} words/s ({r['sample']['ratio']}x); build "
              f"{b['papers_per_s']} papers/s in {b['total_s']:.1f} s "
              f"({', '.join(f'{k} {v:.1f}' for k, v in b['stages_s'].items())}); "
              f"peak RSS {r['maxrss_main_mb']:.0f} MB main, {r['peak_rss_tree_mb'] or 0:.0f} MB all",
              file=sys.stderr, flush=True)
    if not args.no_cache_run:
        size = min(args.sizes)
        print(f"kgraph.bench: cache, {size:,} papers ...", file=sys.stderr, flush=True)
        report["cache"] = measure_cache(size, jobs=args.jobs, seed=args.seed, formats=args.formats)
        c = report["cache"]
        print(f"  first {c['runs']['first']['wall_s']:.1f} s, rebuild {c['runs']['rebuild']['wall_s']:.1f} s "
              f"({c['speedup']}x, skipped: {c['runs']['rebuild']['skipped']}), --force "
              f"{c['runs']['forced']['wall_s']:.1f} s ({c['speedup_forced']}x), "
              f"+10% {c['runs']['add_10pct']['wall_s']:.1f} s", file=sys.stderr, flush=True)
    if args.output:
        args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(markdown(report) if args.markdown else json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
