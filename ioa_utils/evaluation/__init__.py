"""Held-out evaluation of every detector over several seeds of the synthetic generator (issue 11).

One home for the protocol (:mod:`.protocol`: development and held-out data seeds, the generator's scale, the
threshold grids and the selection criterion); :mod:`.seeds` runs one data seed end to end (generate, prepare,
coordination stage, every detector at every grid value, scored against the planted truth); :mod:`.select`
chooses thresholds on the development seeds only and summarises the held-out seeds (mean ± sd, min-max);
:mod:`.stage` caches each seed's scores as a stamped stage under ``<work_dir>/evaluation/``; :mod:`.model_seeds`
reruns the model-seed-dependent detectors with several model seeds on one data seed.

    from ioa_utils import evaluation
    scores = evaluation.stage.ensure("data")            # every seed of the default protocol, cached
    chosen = evaluation.select.choose(scores, evaluation.protocol.DEFAULT.dev_seeds)
"""

from __future__ import annotations

from . import model_seeds, protocol, seeds, select, stage

__all__ = ["model_seeds", "protocol", "seeds", "select", "stage"]
