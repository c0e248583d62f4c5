"""Language identification that tells Persian from the other Arabic-script languages."""

from __future__ import annotations

from functools import cache
from typing import Any

# Letters that Persian does not use but its Arabic-script neighbours do.
_MARKERS = {
    "ur": set("ٹڈڑںےۓھ"),
    "ps": set("ټډړږښګڼۍېځڅ"),
    "ckb": set("ێۆڵڕە"),
    "sd": set("ڄڃڇٺٻڀڻڦ"),
}
_PERSIAN_ONLY = set("پچژگ")


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE)


def detect_language(text: str) -> str | None:
    """ISO 639 code of the text's language, or None when there is too little text.

    Arabic-script text is settled by letters Persian lacks (Urdu ے ٹ, Pashto ښ ځ, Sorani ێ ۆ)
    and the statistical model; other scripts go to the model alone."""
    sample = text[:5000]
    letters = [c for c in sample if c.isalpha()]
    if len(letters) < 10:
        return None
    arabic_script = sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff")
    guess, _ = _identifier().classify(sample)
    if arabic_script / len(letters) < 0.5:
        return str(guess)
    counts = {lang: sum(1 for c in letters if c in marks) for lang, marks in _MARKERS.items()}
    lang, hits = max(counts.items(), key=lambda kv: kv[1])
    if hits >= max(3, 0.01 * len(letters)):
        return lang
    if guess in ("fa", "ar", "ur", "ps", "ku", "ug", "sd"):
        if guess == "ar" and sum(1 for c in letters if c in _PERSIAN_ONLY) > 0.01 * len(letters):
            return "fa"
        return "ckb" if guess == "ku" else str(guess)
    # The model guessed a language of another script: fall back to the letters.
    return "fa" if any(c in _PERSIAN_ONLY for c in letters) else "ar"
