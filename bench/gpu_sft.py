"""Benchmark (GPU): LoRA SFT throughput and model FLOPs utilisation on one GPU, through instr_dep's own SFT path.

Models: SmolLM2-135M-Instruct (offline, from the packaged GGUF) and a 0.5B-class Llama built from a config
(Qwen2-0.5B shapes: hidden 896, 24 layers, 14 heads / 2 KV heads, MLP 4864, vocabulary 151,936; random weights:
throughput does not depend on the values). Data: the Dolly sample, repeated to `--examples`, packed
(padding-free), bf16, LoRA r=16 on all linear layers, gradient checkpointing off (on with --grad-checkpointing).

tokens/s = real tokens / wall time of `trainer.train()` after a warm-up run (CUDA kernels, allocator).
MFU = (tokens/s x training FLOPs per token) / peak dense bf16 FLOP/s of the card, FLOPs per token = 4N + 2N'
(forward 2N, activation gradients 2N, weight gradients 2N' for the N' trainable parameters) plus attention
(6 x layers x context x hidden, counted for the mean packed row). Peak: H100/H200 SXM 989 TFLOP/s; others from
`--peak-tflops`. Writes bench/results/gpu_sft.json. Usage: python bench/gpu_sft.py [--examples 2048 --batch 32]
On a machine without a GPU it refuses (use --device cpu --smoke to check the script itself).
"""
import argparse, os, platform, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from instr_dep.core import atomic_write_json
from instr_dep.data import load_instructions, InstructionSet
from instr_dep.models import load_model, apply_lora, LoraSpec, smollm2_path, resolve_device
from instr_dep.train import train_sft, TrainConfig

SHARED = ROOT.parent / "shared" / "data"
PEAK_BF16 = {"H100": 989e12, "H200": 989e12, "A100": 312e12, "L40S": 362e12, "L4": 121e12}

def half_b_model(tok, smoke=False):
    "A 0.5B-class Llama (Qwen2-0.5B shapes) with random weights, sharing SmolLM2's tokenizer."
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    shape = dict(hidden_size=896, num_hidden_layers=24, num_attention_heads=14, num_key_value_heads=2, intermediate_size=4864,
                 vocab_size=151936) if not smoke else dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, intermediate_size=128, vocab_size=len(tok))
    shape["vocab_size"] = max(shape["vocab_size"], len(tok))
    cfg = LlamaConfig(**shape, max_position_embeddings=4096, tie_word_embeddings=True, pad_token_id=tok.pad_token_id,
                      bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id)
    torch.manual_seed(0)
    return LlamaForCausalLM(cfg)

def measure(model, tok, data, cfg, device):
    import torch
    warm = data.subset(data.ids[: cfg.batch_size * 4])
    train_sft(model, tok, warm, cfg=cfg, seed=0)                       # warm-up: kernels, allocator
    if device == "cuda": torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats()
    r = train_sft(model, tok, data, cfg=cfg, seed=1)
    if device == "cuda": torch.cuda.synchronize()
    c = model.config
    rows = max(1, r.steps * cfg.grad_accum)
    ctx = r.tokens / rows                                              # mean packed row length
    attn = 6 * c.num_hidden_layers * ctx * c.hidden_size
    per_token = (4.0 * r.total_params + 2.0 * r.trainable_params) + attn
    return dict(tokens=r.tokens, steps=r.steps, wall_s=round(r.wall_s, 2), tokens_per_s=round(r.tokens / r.wall_s, 1),
                flops_per_token=per_token, achieved_tflops=round(r.tokens / r.wall_s * per_token / 1e12, 2),
                params=r.total_params, trainable=r.trainable_params, train_loss=round(r.train_loss, 4),
                peak_mem_gb=round(torch.cuda.max_memory_allocated() / 2**30, 2) if device == "cuda" else None)

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=2048); ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-length", type=int, default=1024); ap.add_argument("--device", default="cuda")
    ap.add_argument("--peak-tflops", type=float); ap.add_argument("--grad-checkpointing", action="store_true")
    ap.add_argument("--smoke", action="store_true", help="tiny shapes and few examples: checks the script, not a figure")
    a = ap.parse_args()
    import torch
    device = resolve_device(a.device)
    if device != "cuda" and not a.smoke: raise SystemExit("this benchmark needs a GPU (or --device cpu --smoke to check the script)")
    gpu = torch.cuda.get_device_name(0) if device == "cuda" else "cpu"
    peak = a.peak_tflops * 1e12 if a.peak_tflops else next((v for k, v in PEAK_BF16.items() if k in gpu), None)
    base = load_instructions(SHARED / "dolly_sample.jsonl")
    n = 16 if a.smoke else a.examples
    recs = [dict(r, id=f"{r['id']}#{k}") for k in range(n // len(base) + 1) for r in base.records()][:n]
    data = InstructionSet.from_records(recs, name="dolly-repeated")
    cfg = TrainConfig(epochs=1, lr=2e-4, batch_size=4 if a.smoke else a.batch, max_length=128 if a.smoke else a.max_length,
                      device=device, warmup_steps=0, packing=True, grad_checkpointing=a.grad_checkpointing, logging_steps=10**6)
    out = dict(machine=dict(gpu=gpu, device=device, torch=torch.__version__, python=platform.python_version(), cpus=os.cpu_count()),
               setup=dict(examples=n, batch_size=cfg.batch_size, max_length=cfg.max_length, packing=True, bf16=device == "cuda",
                          lora=dict(r=16, target_modules="all-linear"), grad_checkpointing=a.grad_checkpointing, smoke=a.smoke),
               peak_tflops=peak / 1e12 if peak else None, models={})
    for name in ("smollm2-135m", "llama-0.5b-config"):
        m, tok = load_model(smollm2_path(), device=device)
        if name != "smollm2-135m":
            m = half_b_model(tok, a.smoke).to(device, dtype=next(m.parameters()).dtype)
        m = apply_lora(m, LoraSpec(r=16, alpha=32, target_modules="all-linear"))
        res = measure(m, tok, data, cfg, device)
        res["mfu"] = round(res["achieved_tflops"] * 1e12 / peak, 4) if peak else None
        out["models"][name] = res
        print(name, res, flush=True)
        del m
        if device == "cuda": torch.cuda.empty_cache()
    out["tokens_per_s"] = {k: v["tokens_per_s"] for k, v in out["models"].items()}
    out["mfu"] = {k: v["mfu"] for k, v in out["models"].items()}
    if not a.smoke: atomic_write_json(ROOT / "bench" / "results" / "gpu_sft.json", out)
