"""kgraph's one error family. The CLI turns any KgraphError into a one-line message."""


class KgraphError(Exception):
    """Base of every error a user can cause and fix."""

    exit_code = 1


class ConfigError(KgraphError):
    """Bad option, flag combination or settings file."""

    exit_code = 2


class IngestError(KgraphError):
    """An input that cannot be read: missing path, unknown format, bad record under --strict."""


class ExtractError(KgraphError):
    """The extraction pipeline cannot be built or run (missing resources, bad model)."""


class ExportError(KgraphError):
    """An output that cannot be written, or a query that cannot run."""


class NotFoundError(KgraphError, LookupError):
    """A name, alias, title or id that matches nothing in the graph."""
