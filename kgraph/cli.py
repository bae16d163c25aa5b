"""kgraph's command line: thin commands over the library.

Each command parses its options, calls one library function and prints the result.
A KgraphError becomes a one-line message on stderr and its exit code; nothing a user
can cause ends in a traceback.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from kgraph.errors import KgraphError

DEFAULT_INPUT = "data/"
DEFAULT_OUTDIR = "exports/"
DEFAULT_CACHE = ".kgraph-cache"


def _fail_cleanly(func):
    """Turn a KgraphError into `kgraph: error: ...` and its exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KgraphError as err:
            click.echo(f"kgraph: error: {err}", err=True)
            sys.exit(err.exit_code)
        except KeyboardInterrupt:
            click.echo("kgraph: interrupted", err=True)
            sys.exit(130)

    return wrapper


def input_options(func):
    """INPUT paths, --format and --strict, read the same way by every command."""
    func = click.option("--strict", is_flag=True,
                        help="Stop at the first bad record instead of skipping it.")(func)
    func = click.option("--format", "fmt", default=None, metavar="NAME",
                        help="Force an input format instead of guessing it from the name or content "
                             "(daily-papers, jsonl, json, csv, tsv, arxiv-atom, openalex).")(func)
    func = click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))(func)
    return func


def _inputs_or_default(inputs):
    return list(inputs) or [Path(DEFAULT_INPUT)]


def extraction_options(func):
    """Options that decide how extraction runs: processes, cache, engine."""
    func = click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1),
                        help="Extraction processes on this machine.")(func)
    func = click.option("--cache-dir", default=DEFAULT_CACHE, show_default=True, type=click.Path(path_type=Path),
                        help="Where extraction results are cached per paper.")(func)
    func = click.option("--no-cache", is_flag=True, help="Neither read nor write the extraction cache.")(func)
    func = click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                        help="Run extraction here (local) or on a Dask cluster (dask).")(func)
    func = click.option("--scheduler", default=None, metavar="ADDRESS",
                        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --engine dask).")(func)
    func = click.option("--fast", is_flag=True,
                        help="Vocabulary, rules and abbreviations only, without the statistical NERs: "
                             "about 9x faster, lower recall (README: Fast extraction).")(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kgraph")
def main():
    """kgraph: turn research-paper abstracts into a knowledge graph.

    \b
    Quick start:
      kgraph build data/ -o exports/      # read, extract, build, export
      kgraph stats data/                  # what is in the corpus
      kgraph query "SELECT ..." --graph exports/graph.ttl
    """


@main.command()
@input_options
@extraction_options
@click.option("-o", "--outdir", default=DEFAULT_OUTDIR, show_default=True, type=click.Path(path_type=Path),
              help="Directory for the exports.")
@click.option("--formats", default=None, metavar="LIST",
              help="Comma-separated exports to write (default: all). "
                   "Names: graphml, gexf, ttl, nt, jsonld, html, csv.")
@click.option("--min-papers", default=1, show_default=True, type=click.IntRange(1),
              help="Keep entities named by at least this many papers.")
@click.option("--types", default=None, metavar="LIST",
              help="Comma-separated entity types to keep, e.g. DATASET,BENCHMARK.")
@click.option("--top-k", default=10, show_default=True, type=click.IntRange(0),
              help="Strongest paper-paper links kept per paper.")
@click.option("--min-weight", default=None, type=float,
              help="Weakest paper-paper link kept (default: chosen for the corpus).")
@click.option("--force", is_flag=True,
              help="Rebuild and rewrite the exports even when OUTDIR is up to date.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@_fail_cleanly
def build(inputs, fmt, strict, jobs, cache_dir, no_cache, engine, scheduler, fast, outdir, formats,
          min_papers, types, top_k, min_weight, force, quiet):
    """Build the graph from INPUT files or directories (default: data/) into OUTDIR.

    Like make, a build whose papers, options, formats and kgraph equal those of the
    last build into OUTDIR, and whose exports are untouched, stops after reading the
    input: OUTDIR is already up to date. --force rebuilds anyway.

    \b
    Examples:
      kgraph build                                   # data/ -> exports/
      kgraph build papers.jsonl arxiv.xml -o out/ --formats graphml,ttl
      kgraph build data/ --types DATASET,BENCHMARK --min-papers 2
      kgraph build --force                           # rebuild even if up to date
      kgraph build big.jsonl -o big/ --fast --jobs 2 # a large corpus, quickly
    """
    from kgraph.pipeline import build as run_build

    report = run_build(
        _inputs_or_default(inputs), outdir, fmt=fmt, strict=strict,
        formats=formats.split(",") if formats else None, jobs=jobs,
        cache_dir=None if no_cache else cache_dir, engine=engine, scheduler=scheduler,
        progress=not quiet, min_papers=min_papers,
        types=tuple(t.strip().upper() for t in types.split(",")) if types else None,
        top_k=top_k, min_weight=min_weight, force=force, fast=fast,
    )
    _print_problems(report.corpus)
    c = report.corpus
    click.echo(f"papers: {len(c.papers)} (records read {c.records}, skipped {len(c.problems)}, "
               f"duplicates merged {c.duplicates})")
    click.echo("entities: " + ", ".join(f"{t} {n}" for t, n in sorted(report.entities_by_type.items())))
    click.echo(f"graph: {report.nodes} nodes, {report.edges} edges")
    if report.skipped:
        click.echo(f"exports in {outdir} are up to date (nothing changed since the last build); "
                   "--force rewrites them")
        return
    for path in report.files:
        click.echo(f"wrote {path}")


def _print_problems(corpus, limit: int = 20):
    for problem in corpus.problems[:limit]:
        click.echo(f"kgraph: skipped {problem}", err=True)
    if len(corpus.problems) > limit:
        click.echo(f"kgraph: ... and {len(corpus.problems) - limit} more skipped records", err=True)


@main.command()
@input_options
@extraction_options
@click.option("-o", "--output", default="-", type=click.Path(allow_dash=True, path_type=Path),
              help="JSON Lines file to write (default: stdout).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@_fail_cleanly
def extract(inputs, fmt, strict, jobs, cache_dir, no_cache, engine, scheduler, fast, output, quiet):
    """Extract entities: one JSON line per paper.

    \b
    Examples:
      kgraph extract data/ -o entities.jsonl
      kgraph extract ../shared/dev_gold/dev.jsonl | head -1 | python -m json.tool
    """
    from kgraph.pipeline import extract as run_extract, read
    from kgraph.extract.records import write_extractions

    corpus = read(_inputs_or_default(inputs), fmt=fmt, strict=strict, progress=not quiet)
    _print_problems(corpus)
    extractions = run_extract(corpus, jobs=jobs, cache_dir=None if no_cache else cache_dir,
                              engine=engine, scheduler=scheduler, progress=not quiet, fast=fast)
    write_extractions(extractions, None if str(output) == "-" else output)


@main.command()
@click.argument("sparql")
@click.option("--graph", "graph_path", default="exports/graph.ttl", show_default=True,
              type=click.Path(path_type=Path), help="RDF export to query (.ttl, .nt, .jsonld).")
@click.option("--format", "out_format", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@_fail_cleanly
def query(sparql, graph_path, out_format):
    """Run a read-only SPARQL query (text, or a .rq file) over an RDF export.

    \b
    Examples:
      kgraph query kgraph/queries/most-used-hardware.rq --format csv
      kgraph query "PREFIX kg: <https://kgraph.dev/ns#>
        SELECT ?label (COUNT(?p) AS ?n) WHERE { ?p kg:uses ?e . ?e a kg:Hardware ;
        skos:prefLabel ?label } GROUP BY ?label ORDER BY DESC(?n) LIMIT 5"
    """
    from kgraph.query import run_query

    if sparql.endswith(".rq") and "\n" not in sparql and Path(sparql).is_file():
        sparql = Path(sparql).read_text(encoding="utf-8")
    click.echo(run_query(sparql, graph_path, out_format), nl=False)


@main.command()
@input_options
@extraction_options
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="Rows per list.")
@_fail_cleanly
def stats(inputs, fmt, strict, jobs, cache_dir, no_cache, engine, scheduler, fast, top):
    """Summarise a corpus: papers, entities per type, communities, hubs.

    \b
    Example:
      kgraph stats data/ --top 5
    """
    from kgraph.analyse import format_stats
    from kgraph.pipeline import extract as run_extract, graph, read

    corpus = read(_inputs_or_default(inputs), fmt=fmt, strict=strict, progress=True)
    G = graph(run_extract(corpus, jobs=jobs, cache_dir=None if no_cache else cache_dir,
                          engine=engine, scheduler=scheduler, progress=True, fast=fast))
    click.echo(format_stats(G, top=top))


@main.command()
@click.argument("name")
@input_options
@extraction_options
@_fail_cleanly
def show(name, inputs, fmt, strict, jobs, cache_dir, no_cache, engine, scheduler, fast):
    """Show one entity or paper by NAME (a name, alias, title or id) and why it links.

    \b
    Examples:
      kgraph show ImageNet
      kgraph show "G3Reg: Pyramid Graph-based Global Registration using Gaussian Ellipsoid Model"
    """
    from kgraph.analyse import format_show
    from kgraph.pipeline import extract as run_extract, graph, read

    corpus = read(_inputs_or_default(inputs), fmt=fmt, strict=strict, progress=True)
    G = graph(run_extract(corpus, jobs=jobs, cache_dir=None if no_cache else cache_dir,
                          engine=engine, scheduler=scheduler, progress=True, fast=fast))
    click.echo(format_show(G, name))


@main.command()
@click.option("--output", default=None, type=click.Path(path_type=Path),
              help="Where to save the model (default: inside the installed package, replacing the shipped one).")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed for shuffling and training.")
@_fail_cleanly
def train(output, seed):
    """Train the two NER models on kgraph's own annotations and install them.

    \b
    Reads kgraph/extract/training/*.jsonl and training/ner.cfg; takes about
    15 minutes a model on two cores.
    Example:
      kgraph train                      # replaces kgraph/extract/model{,-check}/
      kgraph train --output /tmp/ner    # try models without replacing the shipped ones
    """
    from kgraph.extract.train import train as run_train

    for path in run_train(output, seed=seed):
        click.echo(f"saved {path}")


@main.command()
@click.option("--shared", default=None, type=click.Path(path_type=Path, exists=True, file_okay=False),
              help="The shared folder with dev_gold/, benchmarks/ and tools/ (default: found above the cwd).")
@click.option("--only", multiple=True, metavar="NAME", help="Evaluate only sets whose name contains NAME.")
@click.option("--markdown", is_flag=True, help="Print the README's accuracy table.")
@click.option("--fast", is_flag=True, help="Score the fast extraction (no statistical NER) instead.")
@_fail_cleanly
def evaluate(shared, only, markdown, fast):
    """Score extraction on the dev set and the public benchmarks.

    \b
    Example:
      kgraph evaluate --markdown
      kgraph evaluate --only dev
      kgraph evaluate --fast --markdown
    """
    from kgraph.evaluate import evaluate as run_evaluate, markdown_table

    results = run_evaluate(shared, list(only) or None, fast=fast)
    if markdown:
        click.echo(markdown_table(results))
        return
    for es, r in results:
        click.echo(f"{es.name}: untyped F1 {r['untyped']['f']:.3f}  typed F1 {r['typed']['f']:.3f}  "
                   f"(P {r['typed']['p']:.3f} R {r['typed']['r']:.3f})")


if __name__ == "__main__":  # pragma: no cover
    main()
