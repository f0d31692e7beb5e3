"""Every test writes only under its own temporary data dir, never into the project's data/."""

from __future__ import annotations

import pytest

from legal_assistant.settings import get_settings


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path_factory, monkeypatch):
    data_dir = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("LEGAL_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    yield data_dir
    get_settings.cache_clear()
