"""Segmentation benchmark: khabar against hazm on the UD dev sets (PerDT + Seraji).

* sentence boundary F1: gold sentences joined ten to a paragraph, predicted sentence ends
  against gold ends (character offsets);
* token F1 on clean text: predicted token spans against the gold surface tokens (CoNLL-U forms,
  multiword-token ranges taken as one surface token);
* token F1 on corrupted text (normbench's corruption), normalizer + tokenizer, tokens compared as
  multisets after a canonical mapping of letter variants (yeh/kaf, digit scripts, Persian
  punctuation, kashida, diacritics; a ZWNJ is kept, so a half-space error is a token error), against
  two references:
  - the UD gold surface tokens (strict: the normalizer must also reproduce the treebank's own
    spelling choices, which differ between PerDT and Seraji, e.g. آنها / آن‌ها);
  - the same tool's normalizer + tokenizer run on the clean sentence (robustness: does the tool
    give the same tokens for the corrupted text as for the clean one?). This is the reference the
    issue's figure for hazm (about 0.975) was measured against;
* tokenizing speed (chars/s, best of 3) on the clean sentences.

hazm runs in ``bench/.venv-hazm`` (its own environment); everything else in this interpreter.

    python bench/segment.py
"""

from __future__ import annotations

import collections
import json
import sys
import time
from pathlib import Path

from _peers import DEV_SETS, NORMBENCH, OUT, check_data, peer_python, run_json

WORKER = r"""
import json, sys, time, importlib.util
spec = importlib.util.spec_from_file_location("normbench", sys.argv[2])
nb = importlib.util.module_from_spec(spec); spec.loader.exec_module(nb)
data = json.load(open(sys.argv[1], encoding="utf-8"))
impl = sys.argv[4]
if impl == "hazm":
    from hazm import Normalizer, sent_tokenize, word_tokenize
    norm = Normalizer().normalize
else:
    from khabar.text import normalize as norm, sentences as sent_tokenize, words as word_tokenize
def best(fn, xs):
    t = float("inf")
    for _ in range(3):
        t0 = time.perf_counter(); out = [fn(x) for x in xs]; t = min(t, time.perf_counter() - t0)
    return out, t
paras = data["paragraphs"]
sents, st = best(sent_tokenize, paras)
toks, tt = best(word_tokenize, data["sentences"])
corr = [norm(x) for x in data["corrupted"]]
ctoks = [word_tokenize(x) for x in corr]
rtoks = [word_tokenize(norm(x)) for x in data["sentences"]]
json.dump({"sentences": sents, "tokens": toks, "corrupted_tokens": ctoks, "clean_tokens": rtoks, "sent_time": st,
           "tok_time": tt}, open(sys.argv[3], "w", encoding="utf-8"), ensure_ascii=False)
"""


def read_conllu(path: Path) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    text, toks, skip_to = None, [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# text = "):
            text = line[9:].strip()
        elif not line:
            if text is not None:
                out.append((text, toks))
            text, toks, skip_to = None, [], 0
        elif not line.startswith("#"):
            cols = line.split("\t")
            tid = cols[0]
            if "-" in tid:
                _, b = tid.split("-")
                toks.append(cols[1])
                skip_to = int(b)
            elif "." in tid:
                continue
            elif int(tid) > skip_to:
                toks.append(cols[1])
    return out


def spans_of(text: str, toks: list[str]) -> set[tuple[int, int]]:
    spans, pos = set(), 0
    for t in toks:
        i = text.find(t, pos)
        if i < 0:
            continue
        spans.add((i, i + len(t)))
        pos = i + len(t)
    return spans


def f1(tp: int, pred: int, gold: int) -> float:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


CANON = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "٫": ".", "٬": ",", "«": '"', "»": '"', "،": ",", "؛": ";", "؟": "?", "\u0640": None}
    | {chr(0x6F0 + i): str(i) for i in range(10)}
    | {chr(0x660 + i): str(i) for i in range(10)}
)


def canon(tok: str) -> str:
    return "".join(c for c in tok.translate(CANON) if not ("\u064b" <= c <= "\u0652"))


def score(name: str, res: dict, gold: dict) -> dict:
    # sentences: end offsets within each paragraph
    tp = pred = g = 0
    for para, gold_ends, got in zip(gold["paragraphs"], gold["ends"], res["sentences"], strict=True):
        ends = set()
        pos = 0
        for s in got:
            i = para.find(s, pos)
            if i >= 0:
                ends.add(i + len(s))
                pos = i + len(s)
        tp += len(ends & gold_ends)
        pred += len(ends)
        g += len(gold_ends)
    sent_f1 = f1(tp, pred, g)
    tp = pred = g = 0
    for text, gtoks, ptoks in zip(gold["sentences"], gold["tokens"], res["tokens"], strict=True):
        gs, ps = spans_of(text, gtoks), spans_of(text, ptoks)
        tp += len(gs & ps)
        pred += len(ptoks)
        g += len(gtoks)
    tok_f1 = f1(tp, pred, g)
    ctok_f1 = multiset_f1(gold["tokens"], res["corrupted_tokens"])
    rtok_f1 = multiset_f1(res["clean_tokens"], res["corrupted_tokens"])
    nchars = sum(len(s) for s in gold["sentences"])
    return {
        "name": name,
        "sent_f1": sent_f1,
        "tok_f1": tok_f1,
        "ctok_f1": ctok_f1,
        "rtok_f1": rtok_f1,
        "tok_cps": nchars / res["tok_time"],
    }


def multiset_f1(reference: list[list[str]], predicted: list[list[str]]) -> float:
    """Token F1 with the tokens of each sentence compared as multisets of canonical forms."""
    tp = pred = g = 0
    for gtoks, ptoks in zip(reference, predicted, strict=True):
        gc = collections.Counter(canon(t) for t in gtoks)
        pc = collections.Counter(canon(t) for t in ptoks)
        tp += sum((gc & pc).values())
        pred += sum(pc.values())
        g += sum(gc.values())
    return f1(tp, pred, g)


def main() -> int:
    check_data()
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(NORMBENCH.parent))
    import normbench  # standard library only

    sents: list[tuple[str, list[str]]] = []
    for p in DEV_SETS:
        sents.extend(read_conllu(p))
    texts = [t for t, _ in sents]
    paragraphs, ends = [], []
    for i in range(0, len(texts), 10):
        group = texts[i : i + 10]
        para, e = "", set()
        for s in group:
            para = (para + " " + s) if para else s
            e.add(len(para))
        paragraphs.append(para)
        ends.append(e)
    corrupted = [normbench.corrupt(t, normbench.sentence_rng("13", t), normbench.DEFAULT_RATES, None)[0] for t in texts]
    gold = {"paragraphs": paragraphs, "ends": ends, "sentences": texts, "tokens": [t for _, t in sents]}
    inp = OUT / "segment-input.json"
    inp.write_text(
        json.dumps({"paragraphs": paragraphs, "sentences": texts, "corrupted": corrupted}, ensure_ascii=False),
        encoding="utf-8",
    )
    rows = []
    for name, python in (("khabar", sys.executable), ("hazm", None)):
        out = OUT / f"segment-{name}.json"
        out.unlink(missing_ok=True)
        try:
            py = python or str(peer_python(name))
        except Exception as exc:
            print(f"{name}: not installed ({exc})", file=sys.stderr)
            continue
        t0 = time.perf_counter()
        res = run_json(py, ["-c", WORKER, str(inp), str(NORMBENCH), str(out), name], out)
        if res is None:
            continue
        rows.append(score(name, res, gold))
        print(f"{name}: done in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    if not rows or rows[0]["name"] != "khabar":
        return 1
    k = rows[0]
    print(
        "| tokenizer | sentence F1 | token F1 (clean) | token F1 (corrupted vs UD gold) | "
        "token F1 (corrupted vs its own clean output) | tokens chars/s | khabar speed x |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['name']} | {r['sent_f1']:.4f} | {r['tok_f1']:.4f} | {r['ctok_f1']:.4f} | {r['rtok_f1']:.4f} | "
            f"{r['tok_cps'] / 1e3:.0f}k | {k['tok_cps'] / r['tok_cps']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
