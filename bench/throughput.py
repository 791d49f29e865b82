"""Benchmark: fine-tuning throughput of instr_dep's SFT path, side by side with a plain transformers Trainer.

Model: SmolLM2-135M-Instruct (offline, from the packaged GGUF) with LoRA r=8 on all linear layers; data: the Dolly
sample from ../shared/data (mixed lengths: 348 of 477 records have no context, the others carry paragraphs),
encoded with the chat template, at most `--max-length` tokens each. Every configuration trains on the same examples
with the same batch size, learning rate and LoRA adapters, from a freshly loaded model:

- `plain_trainer`: what a user writes without instr_dep: `transformers.Trainer` with its defaults (random sampler)
  and `DataCollatorForSeq2Seq` padding each batch to its longest example;
- `instr_dep_padded`: `train_sft(..., TrainConfig(packing=False))` (the stream order is instr_dep's; batches padded);
- `instr_dep_packed`: `train_sft(..., TrainConfig(packing=True))` (padding-free rows, examples kept apart by position ids).

Throughput = real (non-padding) tokens per second of `trainer.train()`; each configuration runs `--rounds` times,
interleaved (A B C A B C ...), and the median is kept, so drifts in machine load hit all alike.
`ratio_vs_trainer` = instr_dep (default: padded) / plain Trainer, goal >= 1.0; `packing_ratio` = packed / padded,
goal >= 2. Writes bench/results/throughput.json. Usage: python bench/throughput.py [--examples 48 --batch 8 --rounds 2]
"""
import argparse, os, platform, statistics, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json
from instr_dep.data import load_instructions
from instr_dep.models import load_model, apply_lora, LoraSpec, smollm2_path, resolve_device
from instr_dep.train import train_sft, TrainConfig, encode_example

SHARED = ROOT.parent / "shared" / "data"

def plain_trainer(model, tok, records, cfg, seed):
    "A plain Trainer run: default random sampler, DataCollatorForSeq2Seq padding; returns (seconds, real tokens, padded tokens)."
    import torch
    from transformers import Trainer, TrainingArguments, DataCollatorForSeq2Seq
    items = [encode_example(tok, r, cfg.max_length) for r in records]
    for it in items: it["attention_mask"] = [1] * len(it["input_ids"])
    collate = DataCollatorForSeq2Seq(tok, padding=True, label_pad_token_id=-100)
    padded = []
    def count(batch):
        b = collate(batch); padded.append(b["input_ids"].numel()); return b
    args = TrainingArguments(output_dir=tempfile.mkdtemp(), per_device_train_batch_size=cfg.batch_size, num_train_epochs=1,
                             learning_rate=cfg.lr, warmup_steps=cfg.warmup_steps, logging_steps=10**6, save_strategy="no",
                             report_to="none", disable_tqdm=True, seed=seed, use_cpu=(cfg.device == "cpu"),
                             bf16=(cfg.device == "cuda" and torch.cuda.is_bf16_supported()), remove_unused_columns=False)
    tr = Trainer(model=model, args=args, train_dataset=items, data_collator=count)
    t0 = time.perf_counter(); tr.train(); wall = time.perf_counter() - t0
    return wall, sum(len(x["input_ids"]) for x in items), sum(padded)

def instr_dep_run(model, tok, data, cfg, seed):
    "instr_dep's path; returns (seconds, real tokens, tokens the model computed on: padded batches or packed rows)."
    r = train_sft(model, tok, data, cfg=cfg, seed=seed)
    lens = {i: len(encode_example(tok, rec, cfg.max_length)["input_ids"]) for i, rec in zip(data.ids, data.records())}
    batches = [r.seen_ids[k:k + cfg.batch_size] for k in range(0, len(r.seen_ids), cfg.batch_size)]
    computed = sum(sum(lens[i] for i in b) if cfg.packing else len(b) * max(lens[i] for i in b) for b in batches)
    return r.wall_s, r.tokens, computed

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=48); ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--max-length", type=int, default=512); ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--device", default="auto"); ap.add_argument("--threads", type=int, default=0)
    a = ap.parse_args()
    import torch
    if a.threads: torch.set_num_threads(a.threads)
    device = resolve_device(a.device)
    path = smollm2_path()
    data = load_instructions(SHARED / "dolly_sample.jsonl")
    data = data.subset(data.ids[: a.examples])
    records = data.records()
    cfg = dict(epochs=1, lr=2e-4, batch_size=a.batch, max_length=a.max_length, device=device, warmup_steps=0, logging_steps=10**6)
    lora = LoraSpec(r=8, target_modules="all-linear")

    def fresh():
        m, tok = load_model(path, device=device)
        return apply_lora(m, lora), tok

    runs = {k: [] for k in ("plain_trainer", "instr_dep_padded", "instr_dep_packed")}
    for rnd in range(a.rounds):
        for name in runs:
            m, tok = fresh()
            if name == "plain_trainer":
                wall, real, computed = plain_trainer(m, tok, records, TrainConfig(**cfg), seed=rnd)
            else:
                wall, real, computed = instr_dep_run(m, tok, data, TrainConfig(**cfg, packing=(name == "instr_dep_packed")), seed=rnd)
            runs[name].append(dict(wall_s=round(wall, 2), tokens=real, padding_fraction=round(1 - real / computed, 3),
                                   tokens_per_s=round(real / wall, 1)))
            print(rnd, name, runs[name][-1], flush=True)
            del m

    tps = {k: statistics.median(r["tokens_per_s"] for r in v) for k, v in runs.items()}
    out = dict(
        machine=dict(cpus=os.cpu_count(), torch_threads=torch.get_num_threads(), device=device, python=platform.python_version(),
                     gpu=torch.cuda.get_device_name(0) if device == "cuda" else None),
        setup=dict(model="SmolLM2-135M-Instruct", lora=dict(r=lora.r, target_modules=lora.target_modules), data="dolly_sample.jsonl",
                   examples=a.examples, batch_size=a.batch, max_length=a.max_length, rounds=a.rounds),
        tokens_per_s=tps, runs=runs,
        ratio_vs_trainer=round(tps["instr_dep_padded"] / tps["plain_trainer"], 3),
        ratio_vs_trainer_packed=round(tps["instr_dep_packed"] / tps["plain_trainer"], 3),
        packing_ratio=round(tps["instr_dep_packed"] / tps["instr_dep_padded"], 3),
        goals=dict(ratio_vs_trainer=1.0, packing_ratio=2.0))
    print({k: out[k] for k in ("tokens_per_s", "ratio_vs_trainer", "ratio_vs_trainer_packed", "packing_ratio")})
    atomic_write_json(ROOT / "bench" / "results" / ("throughput.json" if device == "cpu" else f"throughput_{device}.json"), out)
