"""Build the kgraph networkx graph from extractions.

Graph schema (an undirected ``networkx.Graph``; every export reads this contract):

Paper nodes, id ``paper:<paper_id>``
    kind="paper", label (the title), title, abstract, date (str or None), url (str or
    None), authors (tuple[str]), sources (tuple[str], ``path:line`` of every merged
    record), categories (tuple[str]).
Entity nodes, id ``<TYPE>/<slug>`` (the Entity.entity_id)
    kind="entity", label (canonical name), type (one of model.TYPES), aliases
    (tuple[str]), paper_count (int), first_seen / last_seen (str or None), wikidata
    (str or None).
Both, after analysis: community (int), pagerank (float), degree (int).

Edges, each with ``kind``:
    paper - entity   kind="mentions": role (model.ROLES), mention_count (int),
                     in_title (bool), weight (float)
    paper - paper    kind="related": weight (float, IDF-style), shared (tuple of
                     entity ids, strongest first)
    entity - entity  kind="cooccurs": count (int), strength (float, association
                     strength), weight (float)
Multi-valued attributes are tuples in memory; exporters flatten them.
"""
