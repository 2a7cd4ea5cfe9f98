"""The Dask worker plugin that loads the reviewed knowledge once per worker (etl/engine.py).

A module of its own so that importing the engine does not import ``distributed`` (a refresh of
small sources never needs it), while workers unpickle the plugin by reference to this module.
"""

from __future__ import annotations

from distributed.diagnostics.plugin import WorkerPlugin


class KnowledgePlugin(WorkerPlugin):
    """Per-worker set-up: taxonomies, gazetteer and exchange rates loaded when a worker starts
    (or joins), not once per chunk."""

    name = "aijobs-knowledge"

    def setup(self, worker: object) -> None:
        from etl.engine import load_knowledge
        from etl.lifeline import exit_with_parent

        exit_with_parent()  # a LocalCluster's workers end with a killed refresh (etl/lifeline.py)
        load_knowledge()
