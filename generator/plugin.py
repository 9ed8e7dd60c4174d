"""The ``portal`` MkDocs plugin: gives the theme overrides their data and strings.

It runs inside each language's MkDocs build. The pages themselves are
generated before MkDocs starts (see `build`); the plugin only installs the
interface catalog of the language being built into the theme's Jinja
environment, and the data every page shows (emergency numbers, demo banner).
"""

from __future__ import annotations

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from . import i18n
from .config import PortalOptions
from .emergency import EMERGENCY_NUMBERS


class PortalPlugin(BasePlugin[PortalOptions]):
    language = "fr"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.language = config.theme.get("language") or self.config.languages[0]
        if self.language not in i18n.available_languages():
            self.language = self.config.languages[0]
        return config

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
        translations = i18n.translations(self.language)
        env.add_extension("jinja2.ext.i18n")
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        gettext = translations.gettext
        env.globals["portal"] = {
            "language": self.language,
            "demo": self.config.demo,
            "emergency": [
                {"number": e.number, "href": e.href, "label": gettext(e.label), "short": gettext(e.short)}
                for e in EMERGENCY_NUMBERS
            ],
        }
        return env
