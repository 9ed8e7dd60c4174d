"""Is an easy-read sentence easy? A rule for French, written here, not a library.

Inclusion Europe's easy-to-read rules ask for short sentences in common words.
`check` warns on a sentence of an easy-read text (`easy:`) that has more than
`MAX_WORDS` words, or whose Kandel–Moles score (Flesch's reading ease adapted
to French by Kandel and Moles, 1958) is under `MIN_SCORE`:

    207 − 1.015 × words per sentence − 73.6 × syllables per word

100 is very easy, 60 to 70 plain, under 30 very hard. Syllables are counted
as groups of written vowels, less a silent final « e » («-e », « -es »,
« -ent » after a consonant): close enough for a warning, which a person then
reads. The score of a sentence of fewer than `SCORED_FROM` words is not
looked at: « Demandez la Complémentaire santé solidaire. » is short and
clear, but its official name alone would score it as very hard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_WORDS = 15
MIN_SCORE = 40.0
#: Under this many words a sentence is short enough, even when it names a long official word.
SCORED_FROM = 7

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_WORD = re.compile(r"[^\W_]+(?:\.[^\W\d_]{2,})+(?![\w])|[0-9]+(?:[ ,.][0-9]+)*|[^\W\d_]+(?:['’-][^\W\d_]+)*")
_VOWELS = re.compile(r"[aeiouyàâäéèêëîïôöùûüÿœæ]+", re.IGNORECASE)
_SILENT_END = re.compile(r"(?<=[^aeiouyàâäéèêëîïôöùûüÿ])(?:e|es|ent)$", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """The sentences of `text`, as written."""
    return [part.strip() for part in _SENTENCE_END.split(text.strip()) if part.strip()]


def words(sentence: str) -> list[str]:
    """Words, numbers (« 1 000 » is one) and web addresses (« ameli.fr »); an elided article
    (« l'Assurance ») is one word with its noun."""
    return _WORD.findall(sentence)


def syllables(word: str) -> int:
    """Written syllables of a French word; a number counts as one."""
    if word[0].isdigit():
        return 1
    groups = len(_VOWELS.findall(word))
    if groups > 1 and _SILENT_END.search(word.replace("’", "'").split("'")[-1]):
        groups -= 1
    return max(groups, 1)


def kandel_moles(sentence: str) -> float:
    """The Kandel–Moles reading ease of one sentence (higher is easier)."""
    found = words(sentence)
    if not found:
        return 100.0
    per_word = sum(syllables(w) for w in found) / len(found)
    return 207 - 1.015 * len(found) - 73.6 * per_word


@dataclass(frozen=True)
class Hard:
    """A sentence too long or too hard, and why, for a coordinator."""

    sentence: str
    why: str


def hard_sentences(text: str) -> list[Hard]:
    """The sentences of an easy-read step that break the rule."""
    found: list[Hard] = []
    for sentence in sentences(text):
        count = len(words(sentence))
        score = kandel_moles(sentence)
        if count > MAX_WORDS:
            found.append(Hard(sentence, f"{count} mots, plus de {MAX_WORDS} : coupez-la en phrases plus courtes"))
        elif count >= SCORED_FROM and score < MIN_SCORE:
            found.append(
                Hard(
                    sentence,
                    f"difficile à lire (score de Kandel et Moles de {score:.0f}, sous {MIN_SCORE:.0f}) : "
                    "prenez des mots plus courts et plus courants",
                )
            )
    return found
