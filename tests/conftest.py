"""Every test run caches in a folder of its own, never in the user's cache folder."""
from __future__ import annotations

import pytest

from povertyplan.write.files import CACHE_ENV


@pytest.fixture(scope="session", autouse=True)
def private_cache_folder(tmp_path_factory):
    """Point `CACHE_ENV` at a fresh folder for this session (subprocesses inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
        yield
