"""``stageio.frozen_gc``: nested contexts freeze once and unfreeze at the outermost exit."""

import gc

from ioa_utils import stageio


def test_frozen_gc_nests_and_unfreezes_only_at_the_outermost_exit():
    assert gc.get_freeze_count() == 0
    with stageio.frozen_gc():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with stageio.frozen_gc():
            pass
        assert gc.get_freeze_count() >= frozen  # the inner exit left the outer's objects frozen
    assert gc.get_freeze_count() == 0
