"""Half-space (ZWNJ) repair: rules for Persian affixes plus lexicon look-ups where a rule is ambiguous.

Four kinds of damage are repaired, all on whole strings with compiled regexes; only the candidate
words a regex picks out are looked up in the lexicon (and the decisions are memoized per word):

* a space that should be a ZWNJ: ``می شود``, ``کتاب ها``, ``شده اند``, ``بزرگ ترین``, and two-part
  compounds the lexicon knows (``هم تیمی`` when ``هم‌تیمی`` is the usual spelling);
* a ZWNJ that was lost so the parts joined: ``حوثیها``, ``ایرانیاش``, ``نشدهایم``, ``میشود``;
* a space moved across the affix: ``نزدیک ترشده`` -> ``نزدیک‌تر شده``;
* a space lost after a letter that does not join: ``ازاین`` -> ``از این``.

A ZWNJ is only ever written after a letter that joins the next one (after ا د ذ ر ز ژ و it would be
invisible, so the parts are simply written together).
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from khabar.text.chars import JOINERS, NON_JOINERS, PERSIAN_LETTERS, ZWNJ
from khabar.text.lexicon import Lexicon, lexicon
from khabar.text.wordlist import wordlist

_L = PERSIAN_LETTERS + "\u064b-\u065f\u0670"
W = f"[{_L}]"  # one Persian letter (or mark)
WZ = f"[{_L}{ZWNJ}]"

PREFIXES = ("نمی", "می")
#: Verb particles written before می (برمی‌گردد, درمی‌آید, فرومی‌ریزد).
PARTICLES = ("بر", "در", "فرو", "فرا", "وا", "باز")
VERB_PREFIXES = tuple(sorted((p + m for p in ("", *PARTICLES) for m in PREFIXES), key=len, reverse=True))
#: Closed-class words that standard spelling always writes apart: never part of a compound.
FREE_WORDS = frozenset("به که این آن همان همین هیچ چنان چنین در از با تا را و یا هر چه چو اگر آنکه اینکه".split())
#: Bound word-forming elements that are written with a half-space after a noun or adjective
#: (they are rarely words on their own): زبان‌شناس, اصول‌گرا, تقسیم‌بندی, تصمیم‌گیری.
BOUND_RIGHT = frozenset(
    "گرا گرایی گرایان نویس نویسی نویسان سرایی بندی بندی‌ها سازی شناس شناسی شناسان شناختی نگار نگاری "
    "نگاران گزار گزاری گذار گذاری طلب طلبی طلبان پذیر پذیری آمیز انگیز گیری رسانی پردازی پرداز "
    "گستر گستری کننده کنندگان دهنده دهندگان خوانی آرایی ریزی فروشی پراکنی انگاری نوازی "
    "شناسانه پذیرفته ناپذیر ناپذیری برداری برداران زدگی کنندهٔ دهندهٔ کشی چرانی "
    "آفرینی آفرینان پردازان آسا آسای گون فام فشان افشان افشانی زدایی زدا ستیزی سوزی نشین "
    "نشینان شکن شکنی رسان رسانان خوری خواری نایافتنی ریزان نوازان پوشی پوشان سالاری".split()
)
#: The bound parts, also with a plural or clitic after them (تصمیم گیری‌ها).
BOUND_RIGHT_ANY = BOUND_RIGHT | {b + ZWNJ + s for b in BOUND_RIGHT for s in ("ها", "های", "هایی", "ای", "اش")}
#: Participles that, glued to a noun in a word the lexicon does not know, made a compound
#: adjective (صدمه‌دیده, تاراج‌شده); apart they are ordinary verbs, so only the glued case counts.
GLUED_PARTICIPLES = frozenset("شده دیده زده خورده کرده".split())
#: Verb particles and adjective-forming prefixes that end in a non-joining letter: glued to the
#: next word they form one word (فروبکشیم, پرباغ), so they are never split off on weak evidence.
BOUND_PARTICLES = frozenset((*PARTICLES, "ور", "پر", "بد", "ابر", "نا", "زیر", "غیر"))
#: Bound elements written with a half-space before the next word: بی‌خبر.
BOUND_LEFT = frozenset(("بی", "ضد"))
#: Suffixes that are (almost) never words on their own: a space before them is always wrong.
STRONG_SUFFIXES = (
    "هایمان",
    "هایتان",
    "هایشان",
    "هایم",
    "هایت",
    "هایش",
    "هایی",
    "های",
    "ها",
    "ترین",
    "تر",
    "اند",
    "ایم",
    "اید",
)
#: Suffixes that are also words (ای "O ...", ام, اش ...): joined only with support.
WEAK_SUFFIXES = ("تری", "ای", "ام", "ات", "اش", "ایی", "شان", "تان", "مان")
_SUFFIX_SET = frozenset((*STRONG_SUFFIXES, *WEAK_SUFFIXES))
GLUED_SUFFIXES = tuple(sorted(set(STRONG_SUFFIXES + WEAK_SUFFIXES) - {"شان", "تان", "مان"}, key=len, reverse=True))

#: Suffixes that, glued to a final ه, would change its shape (ـهـ): a writer never means that.
H_SUFFIXES = ("هایی", "های", "ها", "ترین", "تر")
#: Plural endings that, glued to a final ی, lost their half-space (حوثیها, اطلسیهای).
Y_PLURALS = ("هایمان", "هایتان", "هایشان", "هایم", "هایت", "هایش", "هایی", "های", "ها")
#: Glued suffixes whose half-space spelling wins whenever the lexicon attests it.
AFFIX_SUFFIXES = tuple(s for s in GLUED_SUFFIXES if not s.startswith("ها"))
#: A plural is written glued only where the lexicon has the glued spelling at least twice as often
#: as the half-space one (آنها, اینها); a smaller lead is within the noise of web counts.
GLUED_PLURAL_MARGIN = 0.3
ATTESTED = 2.0  # zipf at which a half-space spelling counts as attested
AFFIX_SLACK = 1.0  # ... and how much rarer than the glued spelling it may be
#: How verb forms end (past stems end in د or ت; personal endings م ی د یم ید ند): an unknown
#: glued word made of می/نمی and such a form is a verb that lost its half-space (میستودم).
VERB_ENDINGS = ("م", "ی", "د", "ت", "یم", "ید", "ند")
#: Endings of the perfect after a past participle in ‌ده/‌ته (ریخته‌اند, خزیده‌ام).
PERFECT_ENDINGS = ("اند", "ایم", "اید", "ام", "ای")
LEXICALIZED_MARGIN = 1.4  # a glued comparative this much commoner than its ZWNJ spelling is a word
LEXICALIZED_MIN = 4.5  # ... if it is this common (بهتر, بیشترین; not خطرناکتر)
COMPOUND_PART_MIN = 4.8  # both parts of an unknown glued compound must be this common
KNOWN = 1.0  # zipf above which a word counts as known
SPLIT_PART_MIN = 3.5  # both halves of a lost-space split must be at least this common
SPLIT_UNKNOWN = 3.0  # an unknown glued word is split only if the pair would be this common
#: Function words ending in a non-joining letter (and طور of «به طور»): when one lost its space,
#: the glued word is unknown.
#: (Not با: glued, it makes adjectives such as باسواد and بااستعداد.)
GLUE_PRONE = frozenset("را در از تا و اگر مگر زیرا بر طور".split())
FUNCTION_PART_MIN = 3.0  # ... and the word after it needs only this much support
#: Endings of verb forms, participles and infinitives after a particle (دریافتم, برشمردن).
_PARTICLE_VERB_ENDS = ("م", "ی", "د", "ت", "یم", "ید", "ند", "ده", "ته", "دن", "تن")
#: A glued word ending in و that is at least this common is a word, not a word plus و (web text
#: glues و to verbs often enough for کردو to get a zipf of 3.3; بازو has 4.0).
GLUED_AND_MAX = 3.5
#: Persian names of Latin letters, which spell acronyms as separate words (بی بی سی, سی ان ان).
LETTER_NAMES = frozenset("ای بی سی دی جی اف اچ آی کی ال ام ان او پی کیو آر اس تی یو وی ایکس وای زد".split())
#: Number words that take the ordinal ending مین (دومین, بیستمین).
CARDINALS = frozenset(
    "یک دو سو سه چهار پنج شش هفت هشت نه ده یازده دوازده سیزده چهارده پانزده شانزده هفده هجده "
    "نوزده بیست سی چهل پنجاه شصت هفتاد هشتاد نود صد هزار".split()
)
#: Ordinal and superlative adjectives that do not end in ‌ترین or مین.
ORDINALS = frozenset("نخستین اولین آخرین واپسین پسین پیشین".split())
#: Personal pronouns: after بی they are the object of a preposition (بی تو), not a compound part.
PRONOUNS = frozenset("من تو او ما شما ایشان آنها آن‌ها خود".split())
#: Possessive clitics written glued (after ا and و with a ی before them).
GLUED_CLITICS = ("یمان", "یتان", "یشان", "مان", "تان", "شان", "یم", "یت", "یش", "م", "ت", "ش")
#: Prefixes that a word glued before them lost its space to (پروازمی کرد, آماربی کاران).
GLUED_PREFIXES = frozenset(("می", "نمی", "بی"))
#: Simple prepositions: no two of them stand next to each other.
PREPOSITIONS = frozenset("از در به با بر".split())
#: Function words that follow a word and, after a letter that does not join, lose their space.
GLUED_AFTER = frozenset(("که", "را", "و"))
#: Finite forms of the light verbs, which follow a noun or a future auxiliary as a word of their
#: own: glued after a letter that does not join (اظهارداشت), they lost their space.
LIGHT_VERBS = frozenset(
    "کرد کردند کردم کردیم کند کنند کنیم کنم شد شدند شدیم شود شوند نمود نمودند نماید نمایند "
    "داشت داشتند دارد دارند گرفت گرفتند گیرد گیرند بگیرد بگیرند".split()
)
COMPOUND_MIN = 3.0  # a lexicon compound must be at least this common to replace a space
COMPOUND_SLACK = 1.5  # ... and at most this much rarer than its rarer part,
PAIR_MARGIN = 0.5  # ... or beat the estimate for its two words apart by this much
#: Letters after which a glued word listed as a compound gets its ZWNJ back (see _listed_compound).
LISTED_SPLIT_AFTER = "هی"
LISTED_RIGHT_MAX = 4.0  # a listed pair is joined only if its second word is rarer than this
PRODUCTIVE_HEAD = 100  # ... and its first part starts this many listed compounds,
PRODUCTIVE_TAIL = 30  # ... or its second part ends this many
PREFIX_LIKE_HEAD = 300  # a first part that starts this many listed compounds works like a prefix:
PREFIX_LIKE_RIGHT_MAX = 5.0  # ... its pairs are joined unless the second word is this common
SUFFIX_LIKE_TAIL = 50  # a second part that ends this many listed compounds works like a suffix:
SUFFIX_LIKE_HEAD = 5  # ... after a first part that starts a few of them (not a name)
SUFFIX_LIKE_RIGHT_MAX = 5.0  # ... unless it is this common on its own (چانه‌زنی, حروف‌چینی)
#: Common words that are also the second part of very many compounds (آتش‌بازی, وزارت‌خانه,
#: هفته‌نامه, سبوس‌دار, امانت‌داری, جنگ‌زده): a pair the word list has with one of them is joined
#: however common the word is on its own. (Not بار, ماه: after numbers they are counted, سه بار.)
LISTED_RIGHT_HEADS = frozenset("خانه بازی نامه دار داری زده".split())

_PREFIX_SPACE = re.compile(f"(?<!{WZ})((?:{'|'.join(PARTICLES)})?ن?می) ({W}{WZ}*)")
_SUFFIX_SPACE = re.compile(f"(?<!{WZ})({W}{WZ}*+) ({'|'.join(STRONG_SUFFIXES + WEAK_SUFFIXES)})(?!{WZ})")
_MOVED_SPACE = re.compile(f"(?<!{WZ})({W}{WZ}*+) (ترین|تر)({W}{W}{WZ}*)")
_HAS_SUFFIX = re.compile(f" (?:{'|'.join(STRONG_SUFFIXES + WEAK_SUFFIXES)})(?!{WZ})")
_OPENING = "«(["
_CLOSING = ".،,؛;:!؟?»)]…"
_VERB_TAILS = frozenset((*PERFECT_ENDINGS, *GLUED_PARTICIPLES))
_PLURAL_GLUED = re.compile("(ها|های)(را|و|در|از|تا)")
_WORD_ONLY = re.compile(f"{W}{WZ}*")
_ZWORD = re.compile(f"{W}+(?:{ZWNJ}{W}+)*")


def _join(left: str, right: str, lex: Lexicon) -> str:
    """``left`` and ``right`` written as one word: glued after a non-joiner, otherwise with a ZWNJ
    unless the lexicon clearly prefers them glued."""
    if left[-1] in NON_JOINERS:
        return left + right
    zw = left + ZWNJ + right
    glued = left + right
    # only the plural ها is commonly written glued in edited text (آنها); تر, ترین, اند ... take a ZWNJ
    if right.startswith("ها") and lex.zipf(glued) > lex.zipf(zw) + GLUED_PLURAL_MARGIN:
        return glued
    # a few comparatives are words of their own, written glued far more often (بهتر, بیشتر, کمتر)
    zg = lex.zipf(glued)
    if right.startswith("تر") and zg >= LEXICALIZED_MIN and zg >= lex.zipf(zw) + LEXICALIZED_MARGIN:
        return glued
    return zw


def _fits(stem: str, suf: str) -> bool:
    """Whether ``suf`` can follow ``stem`` after a half-space: the clitics and copulas that start
    with ا (‌ام ‌ات ‌اش ‌ای ‌اند ...) take that form only after ه or ی; after other joining letters
    they lose the ا (کتابش, خوبند), so a glued ات or ای there is part of the word (اخراجات, عقلای)."""
    return suf[0] != "ا" or stem[-1] in "هی" or stem[-1] not in JOINERS


def _split_glued(word: str, lex: Lexicon, depth: int = 0) -> str:
    """A ZWNJ-less run of letters with the lost ZWNJ (or space) put back, or unchanged."""
    if word in VERB_PREFIXES:
        return word  # a particle verb's prefix split from its stem (درمی آیند): one word, kept
    z = _ezafe_zipf(word, lex)
    if word in lex.unglued:
        return lex.unglued[word]
    affixed = _affix_form(word, lex, z)
    if affixed is not None:
        return affixed
    listed = _listed_compound(word, z)
    if listed is not None:
        return listed
    if z < KNOWN:
        # a final ه glued to ها or تر lost its ZWNJ, whatever the stem (چالهها); so did a plural
        # after ی (اطلسیهای, حوثیها). The stem may itself be a glued compound (بحرانسازیهای).
        for suffixes, last in ((H_SUFFIXES, "ه"), (Y_PLURALS, "ی")):
            for suf in suffixes:
                stem = word[: -len(suf)]
                if word.endswith(suf) and len(stem) >= 3 and stem[-1] == last:
                    if depth == 0 and lex.zipf(stem) < KNOWN:
                        fixed = _split_glued(stem, lex, depth + 1)
                        stem = stem if " " in fixed else fixed
                    return stem + ZWNJ + suf
    if z < KNOWN:  # a common stem with a glued suffix beats a lost-space reading (روسریاش)
        stems = [
            (lex.zipf(word[: -len(suf)]), suf)
            for suf in GLUED_SUFFIXES
            if word.endswith(suf) and _fits(word[: -len(suf)], suf)
        ]
        zs, suf = max(stems, default=(0.0, ""))
        if zs >= SPLIT_PART_MIN and len(word) - len(suf) >= 2:
            stem = word[: -len(suf)]
            return stem + ZWNJ + suf if stem[-1] in JOINERS else word
    spaced = _split_space(word, lex, z, depth)
    if spaced is not None:  # each word in its standard spelling (میکنندو -> می‌کنند و)
        return " ".join((ZWNJ not in p and _affix_form(p, lex, lex.zipf(p))) or p for p in spaced.split(" "))
    if z >= 3.0:
        return word
    best: tuple[float, float, str] | None = None
    for pre in VERB_PREFIXES:
        rest = word[len(pre) :]
        if word.startswith(pre) and len(rest) >= 2:
            # repaired as the next pass would repair it (idempotence: میکتابشود)
            rest_fixed = _split_glued(rest, lex) if lex.zipf(rest) < KNOWN else rest
            if " " in rest_fixed or (rest_fixed != rest and rest_fixed.startswith(PREFIXES)):
                rest_fixed = rest
            cand = pre + ZWNJ + rest_fixed
            score = (lex.zipf(pre + ZWNJ + rest), lex.zipf(rest_fixed.split(ZWNJ)[0]))
            # (not ی: unknown names such as میکائیلی end in it far more often than rare verbs)
            verb_like = len(rest) >= 3 and rest.endswith(VERB_ENDINGS) and not rest.endswith("ی")
            if score[0] > z or (z < KNOWN and (score[1] >= KNOWN or verb_like)):
                best = max(best or (0.0, 0.0, word), (*score, cand))
            break
    for suf in GLUED_SUFFIXES:
        stem = word[: -len(suf)]
        if not word.endswith(suf) or len(stem) < 2 or not _fits(stem, suf):
            continue
        # after a non-joiner the split is invisible: the candidate is the word as written
        cand = stem + ZWNJ + suf if stem[-1] in JOINERS else word
        zs = lex.zipf(stem)
        score = (lex.zipf(cand), zs)
        participle = suf in PERFECT_ENDINGS and len(stem) >= 4 and stem.endswith(("ده", "ته"))
        if score[0] > z or (z < KNOWN and (zs >= KNOWN + 1.0 or participle)):
            if best is None or score > best[:2]:
                best = (*score, cand)
    if best is not None and best[2] != word:
        return best[2]
    if z < KNOWN and depth == 0:  # a glued compound that also has a glued suffix: بیعدالتیها
        for suf in GLUED_SUFFIXES:
            stem = word[: -len(suf)]
            if word.endswith(suf) and len(stem) >= 4 and stem[-1] in JOINERS and _fits(stem, suf):
                fixed = _split_glued(stem, lex, depth + 1)
                if fixed != stem and ZWNJ in fixed and " " not in fixed:
                    return fixed + ZWNJ + suf
    if z < KNOWN:  # a common word glued to a bound word-forming part: تخمکگذاری -> تخمک‌گذاری
        for i in range(len(word) - 3, 1, -1):
            stem, part = word[:i], word[i:]
            bound = part in BOUND_RIGHT or part.rstrip("ٔ") in GLUED_PARTICIPLES
            if bound and stem[-1] in JOINERS and lex.zipf(stem) >= 3.0:
                return stem + ZWNJ + part
    if z < KNOWN and depth == 0:
        compound = _split_compound(word, lex)
        if compound != word:
            return compound
    for pre in BOUND_LEFT:  # بی is a bound prefix: an unknown بیX over a common X is بی‌X
        rest = word[len(pre) :]
        if z < KNOWN and word.startswith(pre) and len(rest) >= 3 and rest[0] != "ا" and lex.zipf(rest) >= 3.0:
            return pre + ZWNJ + rest if pre[-1] in JOINERS else word
    return word


def _listed_compound(word: str, z: float) -> str | None:
    """The word list's half-space spelling of a glued word wordfreq does not know (سرمایهداران ->
    سرمایه‌داران). Only where each ZWNJ follows ه or ی: a final ه glued to the next letter changes
    its shape, so writers rarely do it on purpose, while after other letters (سفارتخانه, نمایشنامه)
    the glued spelling is a common, accepted one: unless the word list does not know the glued
    spelling either (خوابزدا -> خواب‌زدا), which leaves no evidence for it."""
    if z >= KNOWN:
        return None
    table = wordlist()
    cand = table.unglued.get(word)
    if cand is None:
        return None
    lex = lexicon()
    if any(word.endswith(s) and lex.zipf(word[: -len(s)]) >= SPLIT_PART_MIN for s in ("هایی", "های", "ها")):
        # 'گوهای' is the plural of گو (گفت و گوهای), not the listed گوه‌ای: a common stem before a
        # plural ending wins; the suffix rules below spell it.
        return None
    if word not in table.plain:
        return cand
    if any(p[-1] not in LISTED_SPLIT_AFTER for p in cand.split(ZWNJ)[:-1]):
        return None
    return cand


def _affix_form(word: str, lex: Lexicon, z: float) -> str | None:
    """The standard spelling of a glued word made of an inflectional affix and a stem, when the
    lexicon attests it: web text often glues می‌/نمی‌, ‌تر, ‌ترین, ‌اند ... (میکنم, مهمترین), so the
    glued form may even be the commoner one, but edited Persian writes the half-space."""
    for pre in VERB_PREFIXES:
        if word.startswith(pre) and len(word) - len(pre) >= 2:
            cand = pre + ZWNJ + word[len(pre) :]
            zc = lex.zipf(cand)
            if zc >= ATTESTED and zc + AFFIX_SLACK >= z:
                return cand
            break
    for suf in AFFIX_SUFFIXES:
        stem = word[: -len(suf)]
        if word.endswith(suf) and len(stem) >= 2 and stem[-1] in JOINERS and _fits(stem, suf):
            cand = stem + ZWNJ + suf
            zc = lex.zipf(cand)
            if zc >= ATTESTED and zc + AFFIX_SLACK >= z:
                return cand
    return None


def _split_compound(word: str, lex: Lexicon) -> str:
    """An unknown word that is two common words with the half-space between them lost
    (``پیشنیاز`` -> ``پیش‌نیاز``), or unchanged."""
    if word.startswith(PARTICLES):
        return word  # برندارد, برشمردن: a particle verb, not two words
    best: tuple[float, str] | None = None
    for i in range(3, len(word) - 2):
        if word[i - 1] not in JOINERS or word[i] == "ا":
            continue
        a, b = word[:i], word[i:]
        if b in ("شان", "تان", "مان"):
            continue  # these clitics are written glued
        za, zb = lex.zipf(a), lex.zipf(b)
        if min(za, zb) >= COMPOUND_PART_MIN and (best is None or za + zb > best[0]):
            best = (za + zb, a + ZWNJ + b)
    return word if best is None else best[1]


def _split_space(word: str, lex: Lexicon, z: float, depth: int) -> str | None:
    """``ازاین`` -> ``از این``: a space lost after a non-joining letter. The two words are scored as
    if independent (zipf(a) + zipf(b) - 9 estimates the pair's zipf) against the glued word."""
    if depth > 1 or len(word) < 3:
        return None
    best: tuple[float, str] | None = None
    # a glued run that is no word of the list (and unknown to wordfreq) is more likely two words;
    # without the list (package not installed) there is no such evidence
    table = wordlist()
    unlisted = z < KNOWN and bool(table.plain) and word not in table.plain and word not in table.unglued
    for i in range(1, len(word)):
        if word[i - 1] not in NON_JOINERS:
            continue
        a, b = word[:i], word[i:]
        if (len(a) < 2 and a != "و") or (len(b) < 2 and b != "و"):
            continue
        if a in PARTICLES and b.startswith(PREFIXES):
            continue  # a particle verb (برمی‌گردد, درمی‌آیند) is one word
        if a in PREPOSITIONS and b in PREPOSITIONS:
            continue  # two prepositions never follow each other: دراز is a word, not «در از»
        za, zb = lex.zipf(a), _ezafe_zipf(b, lex)
        known_b = zb >= FUNCTION_PART_MIN
        if za < KNOWN:
            fa = _split_glued(a, lex, depth + 1)
            if fa != a and " " not in fa:
                a, za = fa, lex.zipf(fa)
            za = max(za, _plural_zipf(a.replace(ZWNJ, ""), lex))
        if zb < KNOWN and z < KNOWN:
            # (a word the lexicon knows is split only into words it knows: وایمکس, not و + ای‌مکس)
            fb = _split_glued(b, lex, depth + 1)
            if fb != b and " " not in fb:
                # an affixed form the lexicon does not list: its stem's zipf, one lower (دهای)
                b, zb = fb, max(lex.zipf(fb), lex.zipf(fb.split(ZWNJ)[0]) - 1.0)
        # a function word that lost its space before an unknown word (راتحقیر, درروستاها)
        function = z < KNOWN and a in GLUE_PRONE and len(b) >= 3
        if function and a == "و" and (len(b) < 4 or b.startswith("ال") or not known_b):
            # short words and Arabic phrases start with و too (وزید, والمسلمین); so do unknown ones
            function = False
        if z < KNOWN and (b in LIGHT_VERBS or b in GLUED_AFTER) and a not in BOUND_PARTICLES and len(a) >= 3:
            function = True  # a light verb that lost its space (اظهارداشت, خواهندکرد)
        if function and a in ("در", "بر") and (b.endswith(_PARTICLE_VERB_ENDS) or b in ("شان", "تان", "مان")):
            # در and بر are also verb particles (دریافتم, دربیاورم, برکشیدند, برشمردن); بر takes
            # a glued clitic (برشان)
            function = False
        if min(za, zb) < (FUNCTION_PART_MIN if function else SPLIT_PART_MIN):
            continue
        score = max(za + zb - 9.0, SPLIT_UNKNOWN) if function else za + zb - 9.0
        # two common words whose glued spelling is in neither list: split (اگرتصور, خواهندکرد), but
        # not a particle or prefix (فروبکشیم, پرباغ), a plural or clitic ending (دیکتاتورها, قبرمان)
        # nor the Arabic article of a name (سعیدالدین)
        if (
            unlisted
            and min(za, zb) >= SPLIT_PART_MIN
            and len(b) >= 3
            and a not in BOUND_PARTICLES
            and not b.startswith(("ها", "شان", "تان", "مان", "ال"))
        ):
            score = max(score, SPLIT_UNKNOWN)
        if z < KNOWN and b in GLUED_PREFIXES and lex.zipf(a) >= 3.0 and a not in BOUND_PARTICLES:
            # a word that lost its space before می/نمی/بی (پروازمی کرد, آماربی کاران); the prefix
            # is joined to the word after it by the rules below
            score = max(score, SPLIT_UNKNOWN)
        if z >= GLUED_AND_MAX and b == "و":
            continue  # a common word ending in و is a word (بازو, زانو), not a glued conjunction
        if best is None or score > best[0]:
            best = (score, a + " " + b)
    if best is None:
        return None
    if (z >= KNOWN and best[0] > z) or (z < KNOWN and best[0] >= SPLIT_UNKNOWN):
        # Repair the parts now, as the next pass would (keeps normalize idempotent: ازترمی).
        return " ".join(_fix_word(part) for part in best[1].split(" "))
    return None


def _ezafe_zipf(word: str, lex: Lexicon) -> float:
    """The zipf of ``word``, or of it without a final ezafe hamza (مطالعهٔ)."""
    return lex.zipf(word) or lex.zipf(word.rstrip("ٔ"))


def _plural_zipf(word: str, lex: Lexicon) -> float:
    """A rough zipf for a plural in ها/های that the lexicon does not list: its stem's, one lower."""
    for suf in ("های", "ها"):
        stem = word[: -len(suf)]
        if word.endswith(suf) and len(stem) >= 3:
            return lex.zipf(stem) - 1.0
    return 0.0


def _listed_as_written(word: str, split: str, lex: Lexicon) -> bool:
    """Whether a glued word wordfreq does not know is kept as written rather than split at an affix:
    the word list has it as written and lacks the split spelling (رهایم, گریاند, فورستر; it lists
    both spellings of most affixed words: کتابهایش and کتاب‌هایش). A final ه glued to ها or تر
    is still split: that changes the letter's shape, which no writer means (چالهها); so is a
    plural after ی (اطلسیهای)."""
    if split.count(ZWNJ) != 1 or lex.zipf(word) >= KNOWN:
        return False
    stem, affix = split.split(ZWNJ)
    if affix not in GLUED_SUFFIXES and stem not in VERB_PREFIXES:
        return False
    if stem[-1] == "ه" and affix in H_SUFFIXES:
        return False
    if stem[-1] == "ی" and affix.startswith("ها"):
        return False  # a plural after ی takes its half-space (حوثی‌ها, اطلسی‌های)
    table = wordlist()
    return word in table.plain and split not in table.compounds


@lru_cache(maxsize=65536)
def _fix_word(word: str) -> str:
    lex = lexicon()
    if ZWNJ not in word:
        out = _split_glued(word, lex)
        if ZWNJ in out and " " not in out:
            if _listed_as_written(word, out, lex):
                return word
            out = _fix_word(out)  # read again as the next pass would (میدانندکه -> می‌دانند که)
        return out
    # keep written ZWNJs; look only at the first part (prefix) and the last part (suffix)
    parts = word.split(ZWNJ)
    first, last = parts[0], parts[-1]
    if first.startswith(PREFIXES) and len(parts) == 2 and lex.zipf(first) < KNOWN:
        fixed = _split_glued(first, lex)
        if fixed.startswith(PREFIXES) and ZWNJ in fixed:
            parts[0] = fixed
    elif first.startswith("بی") and len(first) >= 5 and lex.zipf(first) < KNOWN and lex.zipf(first[2:]) >= 3.0:
        parts[0] = "بی" + ZWNJ + first[2:]  # the bound بی of an inflected word (بیعدالتی‌ها)
    elif first[0] == "و" and len(first) >= 5 and lex.zipf(first) < KNOWN and _ezafe_zipf(first[1:], lex) >= 3.5:
        parts[0] = "و " + first[1:]  # a conjunction that lost its space (وانگیزه‌های)
    elif first.endswith(PREFIXES) and first not in VERB_PREFIXES and lex.zipf(first) < KNOWN:
        # «شهرمی‌خواهد»: a word, a lost space, then می‌
        pre = "نمی" if first.endswith("نمی") else "می"
        head = first[: -len(pre)]
        if head[-1] in NON_JOINERS and lex.zipf(head) >= 3.0:
            parts[0] = _fix_word(head) + " " + pre  # the head as the next pass reads it (ساعتهامی‌نویسی)
    plural_glued = _PLURAL_GLUED.fullmatch(last) if len(parts) > 1 else None
    if plural_glued:  # ‌ها or ‌های with a function word glued after it (کتاب‌هارا, کتاب‌هاو)
        parts[-1] = plural_glued.group(1) + " " + plural_glued.group(2)
    elif lex.zipf(last) < KNOWN and len(parts[-1]) > 3:
        fixed = _split_glued(last, lex)
        if ZWNJ in fixed and " " not in fixed and _listed_as_written(last, fixed, lex):
            fixed = last  # as for a word on its own (بی‌انتهایش: انتهایش is kept)
        if " " not in fixed and not fixed.startswith(PREFIXES):
            parts[-1] = fixed
        elif fixed.split(" ")[0] in STRONG_SUFFIXES or fixed.split(" ")[-1] in GLUED_AFTER:
            # a plural, then a lost space (کتاب‌هارا); که or را glued to the word (می‌دانندکه)
            parts[-1] = fixed
    return ZWNJ.join(parts)


@lru_cache(maxsize=65536)
def _prefix_decision(prefix: str, rest: str) -> str:
    lex = lexicon()
    first = rest.split(ZWNJ)[0]
    if (
        prefix not in PREFIXES
        and lex.zipf(prefix) >= KNOWN
        and not (
            lex.zipf(prefix + ZWNJ + first) > 0
            or lex.zipf(prefix + first) > 0
            or (len(first) >= 3 and first.endswith(VERB_ENDINGS) and (lex.zipf(first) >= KNOWN or prefix != "وامی"))
        )
    ):
        return prefix + " " + rest  # a word that happens to end in می (وامی)
    if len(first) < 2:
        return prefix + " " + rest
    zw = prefix + ZWNJ + first
    if lex.zipf(zw) > 0 or lex.zipf(prefix + first) > 0 or lex.zipf(first) < 5.5:
        return prefix + ZWNJ + rest
    return prefix + " " + rest


@lru_cache(maxsize=65536)
def _suffix_decision(left: str, suf: str) -> str:
    lex = lexicon()
    if left in PREFIXES or (left in FREE_WORDS and suf in ("تر", "ترین") and lex.zipf(left + suf) < KNOWN):
        return left + " " + suf  # function words take no comparative ('از ترمی'), bar words (بهتر)
    stem = left.split(ZWNJ)[-1]
    if suf in STRONG_SUFFIXES:
        return _join(left, suf, lex)
    support = (
        lex.zipf(stem + ZWNJ + suf) > 0
        or lex.zipf(stem + suf) > 0
        or (suf in ("ای", "ام", "اش", "ات", "ایی", "تان", "شان", "مان") and stem[-1] in "هی" and len(stem) >= 2)
    )
    if support:
        return _join(left, suf, lex)
    return left + " " + suf


@lru_cache(maxsize=65536)
def _moved_decision(left: str, suf: str, rest: str) -> str | None:
    if left in FREE_WORDS:  # function words take no comparative: 'از ترمی' is not 'ازتر می'
        return None
    lex = lexicon()
    if lex.zipf((suf + rest).split(ZWNJ)[0]) >= KNOWN:
        return None
    if rest.split(ZWNJ)[0] in _SUFFIX_SET:
        return _join(left, suf + rest, lex)  # a comparative with its own ending (بزرگ ترها)
    if lex.zipf(rest.split(ZWNJ)[0]) < 3.0:
        return None
    return _join(left, suf, lex) + " " + rest


@lru_cache(maxsize=65536)
def _pair_decision(left: str, right: str) -> bool:
    """:func:`_compound_decision` for two neighbouring tokens: the first may open with a bracket or
    quote, the second may end with punctuation, and without those both must be bare words."""
    left, right = left.lstrip(_OPENING), right.rstrip(_CLOSING)
    return bool(_WORD_ONLY.fullmatch(left) and _WORD_ONLY.fullmatch(right)) and _compound_decision(left, right)


@lru_cache(maxsize=65536)
def _compound_decision(left: str, right: str) -> bool:
    lex = lexicon()
    if left in FREE_WORDS or right in FREE_WORDS:
        return False
    if left in LETTER_NAMES and right.split(ZWNJ)[0] in LETTER_NAMES:
        return False  # the letters of a Latin acronym (بی بی سی, سی ان ان) stay apart
    if left.endswith("ترین") or left in ORDINALS or (left.endswith("مین") and left[:-3] in CARDINALS):
        return False  # a superlative or ordinal stands before its noun: نخستین بار, بزرگ‌ترین شهر
    if right in BOUND_RIGHT_ANY and lex.zipf(left) >= 3.0 and left not in BOUND_LEFT:
        return True
    if left in BOUND_LEFT and right not in PRONOUNS and _stem_zipf(right.split(ZWNJ)[0], lex) >= 3.0:
        return True
    stem, sep, tail = right.partition(ZWNJ)
    if sep and all(part in _SUFFIX_SET for part in tail.split(ZWNJ)):
        # a second word with an inflection after a half-space (میان دوره‌ای): its stem decides
        return _compound_decision(left, stem)
    seconds = lex.compounds.get(left)
    if not seconds or right not in seconds:
        return _listed_pair(left, right, lex)
    z = seconds[right]
    za, zb = lex.zipf(left), lex.zipf(right)
    # as common as its rarer part, or far commoner than the two words would meet by chance
    return z >= COMPOUND_MIN and (z + COMPOUND_SLACK >= min(za, zb) or z >= za + zb - 9.0 + PAIR_MARGIN)


def _stem_zipf(word: str, lex: Lexicon) -> float:
    """The zipf of ``word``, or of its stem before a glued possessive clitic (انتهایش, دستم)."""
    z = lex.zipf(word)
    if z:
        return z
    for clitic in GLUED_CLITICS:
        stem = word[: -len(clitic)]
        if word.endswith(clitic) and len(stem) >= 2 and (zs := lex.zipf(stem)):
            return zs
    return 0.0


def repair(text: str) -> str:
    """Put back lost half-spaces and spaces in one line of already letter-normalized text."""
    tokens = [*map(_fix_token, text.split(" "))]
    text = joined = " ".join(tokens)
    if "می " in text:
        text = _PREFIX_SPACE.sub(lambda m: _prefix_decision(m.group(1), m.group(2)), text)
    for _ in range(2):  # twice, for chains such as «حرفه ای ها»
        if not _HAS_SUFFIX.search(text):
            break
        before = text
        text = _SUFFIX_SPACE.sub(lambda m: _suffix_decision(m.group(1), m.group(2)), text)
        if text is before:  # (sub returns its argument itself when nothing matched)
            break
    if " تر" in text:
        text = _MOVED_SPACE.sub(_moved, text)
    if text is not joined or text.count(" ") != len(tokens) - 1:
        tokens = text.split(" ")  # a rule above, or a token repair, changed the spaces
    around: set[int] | None = None
    # again around each joined word: it may form a compound with its neighbour (علی بن‌ابی‌طالب)
    for _ in range(3):
        joined = _join_pairs(tokens, around)
        if joined is None:
            break
        text, around = joined
        tokens = text.split(" ")
    if ("بن " in text or _BIN_ZWNJ in text) and _PATRONYMIC_HINT.search(text):
        text = _patronymics(tokens)
    return text


#: A name after بن‌ that is this common is more likely a word (بن‌مایه): not joined to the word before.
PATRONYM_NAME_MAX = 4.0
#: ``بن``/``ابن`` attached to one of its names while standing apart from the other.
_PATRONYMIC_HINT = re.compile(f"بن (?={W})|(?<={W}) ا?بن{ZWNJ}")
_PATRONYMIC_LEFT = re.compile(f"({W}+)(ا?بن)")


def _patronymics(tokens: list[str]) -> str:
    """A patronymic written as one name on one side (``عبدالله‌بن زبیر``, ``سعیدبن عاص``,
    ``عبدالله بن‌عباس``) joined on the other side too: the writer spells the name as one word."""
    joins = [i for i in range(len(tokens) - 1) if _patronymic_join(tokens[i], tokens[i + 1])]
    if not joins:
        return " ".join(tokens)
    seps = [" "] * len(tokens)
    seps[-1] = ""
    for i in joins:
        seps[i] = "" if tokens[i][-1] in NON_JOINERS else ZWNJ
    return "".join(map(operator.add, tokens, seps))


_BIN_ZWNJ = "بن" + ZWNJ
_BIN_STARTS = (_BIN_ZWNJ, "ابن" + ZWNJ)


def _patronymic_join(prev: str, tok: str) -> bool:
    """Whether ``prev`` and ``tok`` are two halves of a patronymic (see :func:`_patronymics`)."""
    if prev.endswith("بن"):
        if not _WORD_ONLY.fullmatch(tok.rstrip(_CLOSING)):
            return False
        left = prev.lstrip(_OPENING).rsplit(ZWNJ, 1)
        if len(left) > 1:
            return left[-1] in ("بن", "ابن")  # عبدالله‌بن زبیر
        m = _PATRONYMIC_LEFT.fullmatch(left[0])  # سعیدبن عاص
        lex = lexicon()
        return bool(m) and lex.zipf(left[0]) < KNOWN and lex.zipf(m.group(1)) >= 3.0
    if tok.startswith(_BIN_STARTS) and prev not in FREE_WORDS and _WORD_ONLY.fullmatch(prev.lstrip(_OPENING)):
        head, name = tok.split(ZWNJ, 2)[:2]
        name = name.rstrip(_CLOSING)
        lex = lexicon()
        # (not a compound of its own, بن‌بست, nor before a common word: بن‌مایه)
        return lex.zipf(head + ZWNJ + name) == 0 and lex.zipf(name) < PATRONYM_NAME_MAX
    return False


#: Affixes (handled by the rules above) and closed-class words: never a compound part here.
_NOT_PARTS = frozenset((*STRONG_SUFFIXES, *WEAK_SUFFIXES, *PREFIXES, *VERB_PREFIXES, *FREE_WORDS))
#: Each pair of ZWNJ-joined parts (overlapping: هم‌تیمی‌ها gives هم/تیمی and تیمی/ها).
_ZPAIR = re.compile(f"({W}+){ZWNJ}(?=({W}+))")


def compound_pairs(text: str) -> set[tuple[str, str]]:
    """The pairs of words that ``text`` writes as (part of) one compound with a half-space: not
    affixes, which the rules above handle, nor closed-class words."""
    if ZWNJ not in text:
        return set()
    return {
        (a, b)
        for a, b in _ZPAIR.findall(text)
        if len(a) >= 2 and len(b) >= 2 and a not in _NOT_PARTS and b not in _NOT_PARTS
    }


def consistent(text: str, pairs: set[tuple[str, str]]) -> str:
    """Two words that the text writes as one compound elsewhere (``pairs``, see
    :func:`compound_pairs`) joined where they stand apart: ``خط‌مشی ... خط مشی`` -> ``خط‌مشی ...
    خط‌مشی``. A writer spells a compound one way throughout; the lost half-space is the exception."""
    if not pairs or " " not in text:
        return text
    firsts = {a for a, _ in pairs}
    if not any(a + " " in text for a in firsts):
        return text
    tokens = text.split(" ")
    out = [tokens[0]]
    for tok in tokens[1:]:
        prev = out[-1]
        a = prev.rsplit(ZWNJ, 1)[-1].lstrip(_OPENING)
        if a in firsts and (a, tok.split(ZWNJ, 1)[0].rstrip(_CLOSING)) in pairs and _WORD_ONLY.fullmatch(a):
            out[-1] = prev + ZWNJ + tok
        else:
            out.append(tok)
    return " ".join(out)


def _join_pairs(tokens: list[str], around: set[int] | None = None) -> tuple[str, set[int]] | None:
    """The tokens joined by spaces, except the neighbouring pairs that form a compound, and the
    positions of the joined words among the new tokens; None if no pair joins. With ``around``,
    only the pairs next to those positions are looked at."""
    # the filters also hold the words with an opening bracket before or a mark after (نوحه خوانی،)
    partners, firsts, rights = _lookups()
    last = len(tokens) - 1
    if around is not None:
        near = sorted({j for k in around for j in (k - 1, k) if 0 <= j < last})
        joins = [
            i
            for i in near
            if (tokens[i] in partners or tokens[i + 1] in rights) and _pair_decision(tokens[i], tokens[i + 1])
        ]
    else:
        if firsts.isdisjoint(tokens) and rights.isdisjoint(tokens):
            return None
        # only pairs that can join reach the (memoized) decision: the right word is one the left
        # word forms a compound with (None: any word, after بی and ضد), or a bound second part;
        # the candidate positions are found with C-level map/compress, not a loop over all pairs
        joins = [
            i
            for i in itertools.compress(range(last), map(partners.__contains__, tokens))
            if (
                (c := partners[tokens[i]]) is None
                or (b := tokens[i + 1]) in c
                or (b[-1:] in _CLOSING and b.rstrip(_CLOSING) in c)
            )
            and _pair_decision(tokens[i], tokens[i + 1])
        ]
        if not rights.isdisjoint(tokens):
            joins.extend(
                i - 1
                for i in itertools.compress(range(1, last + 1), map(rights.__contains__, tokens[1:]))
                if _pair_decision(tokens[i - 1], tokens[i])
            )
    if not joins:
        return None
    glue = sorted(set(joins))
    seps = [" "] * len(tokens)
    for i in glue:
        seps[i] = "" if tokens[i][-1] in NON_JOINERS else ZWNJ
    seps[-1] = ""
    # after k earlier joins, the word that starts at token i is the (i - k)th new token
    merged = {i - k for k, i in enumerate(glue)}
    return "".join(map(operator.add, tokens, seps)), merged


_LOOKUPS: list[tuple[Mapping[str, frozenset[str] | None], frozenset[str], frozenset[str]]] = []


def _lookups() -> tuple[Mapping[str, frozenset[str] | None], frozenset[str], frozenset[str]]:
    """:func:`_partners`, its keys as a set, and :func:`_bound_rights` (built once; kept in a
    list rather than behind lru_cache, since this runs for every line)."""
    if not _LOOKUPS:
        partners = _partners()
        _LOOKUPS.append((partners, frozenset(partners), _bound_rights()))
    return _LOOKUPS[0]


@lru_cache(maxsize=1)
def _partners() -> Mapping[str, frozenset[str] | None]:
    """Words that may start a compound (wordfreq's, the bound prefixes and the word list's), also
    after an opening bracket or quote -> the second words they form a compound with (None: any)."""
    pairs = _listed_pairs()
    out: dict[str, frozenset[str] | None] = {}
    for left, seconds in lexicon().compounds.items():
        out[left] = frozenset(seconds) | pairs.get(left, frozenset())
    for left, seconds in pairs.items():
        out.setdefault(left, seconds)
    for left in BOUND_LEFT:
        out[left] = None
    for left in FREE_WORDS:
        out.pop(left, None)
    out.update({o + w: v for w, v in out.items() for o in _OPENING})
    return MappingProxyType(out)


@lru_cache(maxsize=1)
def _bound_rights() -> frozenset[str]:
    """The bound second parts, also with a punctuation mark after them."""
    return BOUND_RIGHT_ANY | {w + c for w in BOUND_RIGHT_ANY for c in _CLOSING}


def _listed_pair(left: str, right: str, lex: Lexicon) -> bool:
    """Whether two words the word list has as one compound (and wordfreq does not) get their
    half-space back (see :func:`_listed_pairs`)."""
    return right in _listed_pairs().get(left, ())


@lru_cache(maxsize=1)
def _listed_pairs() -> Mapping[str, frozenset[str]]:
    """First word -> the second words it is joined with on the word list's evidence alone, for
    every split of every listed compound that wordfreq does not know. The list has no frequencies
    and also holds names and set phrases (نفت‌خام, امام‌خمینی), so it is trusted only where the
    second word is not a common word on its own and one of the parts is productive: it starts or
    ends many listed compounds (کم‌, آب‌, ‌زنی, ‌گری); a verb is never joined to the word before it."""
    lex, table = lexicon(), wordlist()
    verb_starts = tuple(p + ZWNJ for p in PREFIXES)
    heads, tails, zipf = table.heads, table.tails, lex.zipf_of.get
    out: dict[str, set[str]] = {}
    for word in table.compounds:
        if word in lex.zipf_of:
            continue  # wordfreq knows it: its frequency decides (_compound_decision)
        parts = word.split(ZWNJ)
        if parts[-1] in _VERB_TAILS:
            continue  # دست‌یافته‌اند: a verb stays a word of its own
        for k in range(1, len(parts)):
            left = parts[0] if k == 1 else ZWNJ.join(parts[:k])
            head, tail = heads.get(left, 0), tails.get(parts[k], 0)
            if head < PRODUCTIVE_HEAD and tail < PRODUCTIVE_TAIL:
                continue  # neither part is productive
            right = ZWNJ.join(parts[k:])
            if right.startswith(verb_starts):
                continue  # باقی‌می‌ماند
            zb = zipf(right, 0.0)
            if (
                parts[k] in LISTED_RIGHT_HEADS
                or zb < LISTED_RIGHT_MAX
                or (head >= PREFIX_LIKE_HEAD and zb < PREFIX_LIKE_RIGHT_MAX)
                or (tail >= SUFFIX_LIKE_TAIL and head >= SUFFIX_LIKE_HEAD and zb < SUFFIX_LIKE_RIGHT_MAX)
            ):
                out.setdefault(left, set()).add(right)
    return MappingProxyType({k: frozenset(v) for k, v in out.items()})


@lru_cache(maxsize=131072)
def _fix_token(token: str) -> str:
    """One space-delimited token (a word, possibly with punctuation attached) repaired."""
    return _ZWORD.sub(lambda m: _fix_word(m.group()), token)


def _moved(m: re.Match[str]) -> str:
    out = _moved_decision(m.group(1), m.group(2), m.group(3))
    return m.group() if out is None else out
