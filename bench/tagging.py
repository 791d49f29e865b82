"""Benchmark: agreement of instr_dep's taggers with human category labels on the two real samples in ../shared/data.

For each sample (`dolly`: 477 records, 8 categories; `natinst`: 344 records, 10 task categories) and each tagger,
macro-F1 against the human labels (chance is about 1/C):

- `rules`: hand-written keyword rules (below; written from the category names, not tuned on the sample);
- `prototypes`: MiniLM nearest prototype from `--seeds-per-cat` labelled examples per category (drawn with 3 seeds;
  scored on the other examples; mean and range reported);
- `kmeans_mapped`: MiniLM embeddings clustered into C groups, each cluster mapped to the gold label it overlaps most
  (an optimistic mapping: it looks at the gold labels; it measures whether the clusters follow the categories);
- `llm_tags`: SmolLM2-135M-Instruct writes free-form tags (few-shot), normalised, frequency-filtered, clustered and
  mapped to the category names/descriptions by embedding similarity; on a stratified subset (`--llm-per-cat` per
  category) because generation on CPU is slow.

Note: in the Super-NaturalInstructions sample the `instruction` is the task definition, shared by every instance of
a task, so taggers that read it see the task identity almost directly; Dolly's instructions are free text.
Writes bench/results/tagging.json. Usage: python bench/tagging.py [--llm-per-cat 10]
"""
import argparse, os, platform, sys, time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json
from instr_dep.data import load_instructions
from instr_dep.tagging import RuleTagger, qa_report
from instr_dep.model_taggers import Embedder, prototype_tagger, cluster_tagger, LLMTagger

SHARED = ROOT.parent / "shared" / "data"

RULES = dict(
    dolly={"summarization": [r"\bsummar", r"\btl;?dr", r"\bin (a few|one|two|three) (words|sentences)"],
           "creative_writing": [r"\bwrite (a|an|me a)?\s*(short )?(poem|story|song|letter|essay|haiku|tweet|speech|script)", r"\bpoem\b"],
           "brainstorming": [r"\bbrainstorm", r"\bideas?\b", r"\bsuggest", r"\bwhat are some\b", r"\bgive me (a list|some)\b"],
           "classification": [r"\bclassif", r"\bcategori[sz]e", r"\bwhich (of these|of the following|one|are)\b", r"\bidentify which\b", r"\b(is|are) (each|the following)\b"],
           "information_extraction": [r"\bextract", r"\blist (the|all)\b", r"\bfrom the (passage|text|paragraph)"],
           "closed_qa": [r"\bbased on (the|this) (passage|text|reference|paragraph)", r"\bgiven (the|this) (passage|text|reference)",
                         r"\baccording to (the|this)"],
           "open_qa": [r"^(what|who|when|where|why|how|which)\b"],
           "general_qa": [r"\?"]},
    natinst={"Answerability Classification": [r"\banswerab", r"\bcan be answered\b", r"\bgood question\b"],
             "Commonsense Classification": [r"\bcommon ?sense\b", r"\bplausib", r"\bmakes sense\b"],
             "Mathematics": [r"\barithmetic", r"\bmath", r"\badd(ition)?\b.*\bsubtract", r"\boperat(or|ion)"],
             "Named Entity Recognition": [r"\bnamed entit", r"\bperson names?\b", r"\bentit(y|ies)\b"],
             "Paraphrasing": [r"\bparaphras", r"\brephrase", r"\bsame meaning\b"],
             "Program Execution": [r"\bfirst i elements\b", r"\blist\b.*\belements\b", r"\binteger\b"],
             "Question Generation": [r"\bgenerate (a|the)? ?question", r"\bwrite (a|the)? ?question"],
             "Question Answering": [r"\banswer\b", r"\bquestion\b"],
             "Sentiment Analysis": [r"\bsentiment", r"\bpositive\b.*\bnegative\b"],
             "Text Categorization": [r"\btopic\b", r"\bcategor", r"\bnews\b"]})

DESCRIPTIONS = dict(
    dolly={"open_qa": "open question answering, general knowledge question", "general_qa": "general question, advice, explanation",
           "classification": "classification, sort items into classes", "brainstorming": "brainstorming, list ideas and suggestions",
           "closed_qa": "reading comprehension, answer from a given passage", "information_extraction": "information extraction from a text",
           "summarization": "summarization of a passage", "creative_writing": "creative writing, story, poem"},
    natinst=None)

def f1_of(tagging, gold): return round(float(qa_report(tagging, gold).macro_f1), 3)

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds-per-cat", type=int, default=5); ap.add_argument("--llm-per-cat", type=int, default=10)
    a = ap.parse_args()
    import torch
    emb = Embedder(device="cpu")
    llm = LLMTagger(device="cpu", embed=emb)
    out = dict(machine=dict(cpus=os.cpu_count(), python=platform.python_version(), torch=torch.__version__),
               setup=dict(seeds_per_cat=a.seeds_per_cat, llm_per_cat=a.llm_per_cat, prototype_draws=3), samples={})
    for name, fname in (("dolly", "dolly_sample.jsonl"), ("natinst", "natinst_sample.jsonl")):
        data = load_instructions(SHARED / fname)
        gold = data.df["category"].tolist()
        C = len(data.categories)
        res = dict(examples=len(data), categories=C, chance_f1=round(1 / C, 3))
        t0 = time.perf_counter()
        res["rules"] = f1_of(RuleTagger(RULES[name], default="other", fields=("instruction",))(data), gold)
        f1s = []
        for seed in range(3):
            labelled = data.subset(data.df.groupby("category").sample(a.seeds_per_cat, random_state=seed)["id"].tolist())
            rest = data.subset(~data.df["id"].isin(labelled.ids))
            f1s.append(f1_of(prototype_tagger(rest, labelled, emb), rest.df["category"].tolist()))
        res["prototypes"] = round(float(np.mean(f1s)), 3); res["prototypes_range"] = [min(f1s), max(f1s)]
        ct = cluster_tagger(data, k=C, embed=emb, seed=0)
        res["kmeans_mapped"] = round(float(qa_report(ct, gold).macro_f1_mapped), 3)
        print(name, {k: v for k, v in res.items()}, round(time.perf_counter() - t0, 1), "s", flush=True)
        sub = data.subset(data.df.groupby("category").head(a.llm_per_cat)["id"].tolist())
        t0 = time.perf_counter()
        cats = DESCRIPTIONS[name] or data.categories
        tg = llm(sub, categories=cats)
        rep = qa_report(tg, sub.df["category"].tolist())
        res["llm_tags"] = round(float(rep.macro_f1), 3)
        res["llm_tags_subset"] = len(sub)
        res["llm_tags_degenerate"] = rep.degenerate
        res["llm_seconds_per_example"] = round((time.perf_counter() - t0) / len(sub), 2)
        res["llm_example_tags"] = [dict(instruction=r["instruction"][:80], gold=g, tags=t, predicted=p)
                                   for r, g, t, p in list(zip(sub.records(), sub.df["category"], tg.tags, tg.categories))[::max(1, len(sub) // 6)]]
        res["macro_f1"] = {k: res[k] for k in ("rules", "prototypes", "kmeans_mapped", "llm_tags")}
        out["samples"][name] = res
        print(name, res["macro_f1"], flush=True)
    atomic_write_json(ROOT / "bench" / "results" / "tagging.json", out)
