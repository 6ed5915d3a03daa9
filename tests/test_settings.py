"""Settings come from PARALLAX_* environment variables; a value parallax cannot use is refused
with E003 naming the variable, never a traceback from deep inside a model loader."""

from __future__ import annotations

import pytest

from parallax.errors import SettingInvalid
from parallax.settings import DEFAULT_PREFILTER_COSINE, get_settings


def test_defaults_when_nothing_is_set(monkeypatch):
    for name in (
        "PARALLAX_EMBED_THREADS",
        "PARALLAX_EMBED_BATCH_SIZE",
        "PARALLAX_PREFILTER_COSINE",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = get_settings()
    assert (settings.embed_threads, settings.embed_batch_size) == (1, 8)
    assert settings.prefilter_cosine == DEFAULT_PREFILTER_COSINE


@pytest.mark.parametrize("value", ["off", "OFF", "none", ""])
def test_prefilter_can_be_switched_off(monkeypatch, value):
    monkeypatch.setenv("PARALLAX_PREFILTER_COSINE", value)
    assert get_settings().prefilter_cosine is None


def test_prefilter_takes_a_cosine(monkeypatch):
    monkeypatch.setenv("PARALLAX_PREFILTER_COSINE", "0.5")
    assert get_settings().prefilter_cosine == 0.5


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PARALLAX_EMBED_THREADS", "two"),
        ("PARALLAX_EMBED_THREADS", "0"),
        ("PARALLAX_EMBED_BATCH_SIZE", "-8"),
        ("PARALLAX_PREFILTER_COSINE", "high"),
        ("PARALLAX_PREFILTER_COSINE", "1.5"),
        ("PARALLAX_PREFILTER_COSINE", "nan"),
    ],
)
def test_unusable_values_are_refused_by_name(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingInvalid) as raised:
        get_settings()
    message = str(raised.value)
    assert message.startswith("[E003]")
    assert name in message and repr(value) in message
