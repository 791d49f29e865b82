"SmolLM2-135M-Instruct, offline: converts from the packaged GGUF, generates, fine-tunes with LoRA; the LLM tagger runs on real data."
import os
import pytest
import torch

from instr_dep.models import load_model, apply_lora, LoraSpec, smollm2_path
from instr_dep.train import train_sft, TrainConfig
from instr_dep.data import load_instructions

@pytest.fixture(scope="module")
def smollm2(tmp_path_factory):
    os.environ.setdefault("INSTR_DEP_CACHE", str(tmp_path_factory.mktemp("cache")))
    return smollm2_path()

def test_smollm2_generates(smollm2):
    m, tok = load_model(smollm2, device="cpu")
    ids = tok.apply_chat_template([{"role": "user", "content": "What is the capital of France?"}], add_generation_prompt=True,
                                  return_tensors="pt", return_dict=True)["input_ids"]
    answer = tok.decode(m.generate(ids, max_new_tokens=12, do_sample=False)[0][ids.shape[1]:], skip_special_tokens=True)
    assert "Paris" in answer, answer
    assert "quantization_config" not in m.config.to_dict()

def test_smollm2_lora_fine_tunes(smollm2, shared):
    data = load_instructions(shared / "dolly_sample.jsonl")
    sub = data.subset(data.ids[:8])
    m, tok = load_model(smollm2, device="cpu")
    m = apply_lora(m, LoraSpec(r=4, target_modules=["q_proj", "v_proj"]))
    before = {n: p.detach().clone() for n, p in m.named_parameters() if p.requires_grad}
    r = train_sft(m, tok, sub, cfg=TrainConfig(epochs=1, lr=1e-3, batch_size=4, max_length=96, device="cpu", warmup_steps=0,
                                             packing=True, logging_steps=1), seed=0)
    assert r.steps == 2 and all(torch.isfinite(torch.tensor(h["loss"])) for h in r.history)
    assert any(not torch.equal(p, before[n]) for n, p in m.named_parameters() if p.requires_grad)

def test_llm_tagger_on_real_instructions(smollm2, shared):
    from instr_dep.model_taggers import LLMTagger
    data = load_instructions(shared / "natinst_sample.jsonl")
    sub = data.subset(data.df.groupby("category").head(1)["id"].tolist()[:8])
    tg = LLMTagger(smollm2, device="cpu", min_count=1, max_chars=200)(sub)
    assert len(tg.categories) == 8
    assert sum(len(t) > 0 for t in tg.tags) >= 6, tg.tags
