#!/usr/bin/python3
"""Writes the torch.save fixtures of tests/io (tests/data/torch_pickle/) with Debian's python3-torch.

    sudo apt-get install -y python3-torch
    /usr/bin/python3 scripts/make_torch_pickle_fixtures.py      # rewrites tests/data/torch_pickle/

The tensors are deterministic (aranges and a seeded generator), so the C++ test recomputes what it expects;
the BERT folders hold the same weights twice, as pytorch_model.bin (whole and in two shards) and as
model.safetensors, written here by hand (this Python has no safetensors package).
"""
import collections
import json
import os
import shutil

import torch

from safetensors_writer import write_safetensors

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "data", "torch_pickle")
VOCAB = os.path.join(ROOT, "tests", "data", "tokenizers", "bert_tiny", "vocab.txt")


def state_dict(tensors):
    """An OrderedDict with the _metadata attribute, as nn.Module.state_dict() returns it."""
    d = collections.OrderedDict(tensors)
    d._metadata = collections.OrderedDict({"": {"version": 1}})
    return d


def kinds():
    a = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 4
    base = torch.arange(20, dtype=torch.float32).reshape(5, 4)
    return state_dict([
        ("f32", a), ("f16", a.half()), ("bf16", a.bfloat16()), ("f64", a.double()),
        ("i64", torch.arange(5)), ("i32", torch.arange(5, dtype=torch.int32) - 2),
        ("u8", torch.arange(4, dtype=torch.uint8)), ("bool", torch.tensor([True, False, True])),
        ("param", torch.nn.Parameter(torch.arange(6, dtype=torch.float32).reshape(2, 3))),
        # Views of one storage: saved once, each view with its own offset and strides.
        ("shared_a", base[0:2]), ("shared_b", base[1:3]), ("transposed", base.t()), ("row", base[2]),
        ("strided", base[:, ::2]),
        ("scalar", torch.tensor(3.5)), ("empty", torch.zeros(0, 4)),
    ])


CONFIG = {
    "architectures": ["BertForMaskedLM"], "model_type": "bert", "vocab_size": 26, "hidden_size": 16,
    "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 32, "max_position_embeddings": 64,
    "type_vocab_size": 2, "hidden_act": "gelu", "layer_norm_eps": 1e-12, "hidden_dropout_prob": 0.1,
    "attention_probs_dropout_prob": 0.1, "pad_token_id": 0,
}


def bert_weights():
    g = torch.Generator().manual_seed(7)
    c = CONFIG
    d, f = c["hidden_size"], c["intermediate_size"]

    def w(*shape):
        return torch.randn(*shape, generator=g) * 0.2

    t = collections.OrderedDict()
    p = "bert.embeddings."
    t[p + "word_embeddings.weight"] = w(c["vocab_size"], d)
    t[p + "position_embeddings.weight"] = w(c["max_position_embeddings"], d)
    t[p + "token_type_embeddings.weight"] = w(c["type_vocab_size"], d)
    t[p + "LayerNorm.weight"] = 1 + w(d)
    t[p + "LayerNorm.bias"] = w(d)
    t[p + "position_ids"] = torch.arange(c["max_position_embeddings"]).unsqueeze(0)  # a buffer older folders keep
    for i in range(c["num_hidden_layers"]):
        q = "bert.encoder.layer.%d." % i
        for name in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            t[q + name + ".weight"] = w(d, d)
            t[q + name + ".bias"] = w(d)
        t[q + "attention.output.LayerNorm.weight"] = 1 + w(d)
        t[q + "attention.output.LayerNorm.bias"] = w(d)
        t[q + "intermediate.dense.weight"] = w(f, d)
        t[q + "intermediate.dense.bias"] = w(f)
        t[q + "output.dense.weight"] = w(d, f)
        t[q + "output.dense.bias"] = w(d)
        t[q + "output.LayerNorm.weight"] = 1 + w(d)
        t[q + "output.LayerNorm.bias"] = w(d)
    t["bert.pooler.dense.weight"] = w(d, d)
    t["bert.pooler.dense.bias"] = w(d)
    return t


LORA_CONFIG = {"peft_type": "LORA", "task_type": "SEQ_CLS", "r": 2, "lora_alpha": 4, "lora_dropout": 0.0,
               "target_modules": ["query", "value"], "bias": "none", "base_model_name_or_path": "bert_bin"}


def lora_weights():
    g = torch.Generator().manual_seed(11)
    d, r = CONFIG["hidden_size"], LORA_CONFIG["r"]
    t = collections.OrderedDict()
    for i in range(CONFIG["num_hidden_layers"]):
        for m in ("query", "value"):
            p = "base_model.model.bert.encoder.layer.%d.attention.self.%s." % (i, m)
            t[p + "lora_A.weight"] = torch.randn(r, d, generator=g) * 0.3
            t[p + "lora_B.weight"] = torch.randn(d, r, generator=g) * 0.3  # trained: not PEFT's zero start
    t["base_model.model.classifier.weight"] = torch.randn(3, d, generator=g) * 0.2
    t["base_model.model.classifier.bias"] = torch.randn(3, generator=g) * 0.1
    return t


def bert_folder(name):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as out:
        json.dump(CONFIG, out, indent=2)
    shutil.copy(VOCAB, os.path.join(folder, "vocab.txt"))
    return folder


def main():
    torch.manual_seed(0)  # the pickled module's weights (the legacy format's storage keys still vary per run)
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    torch.save(kinds(), os.path.join(OUT, "kinds.bin"))
    torch.save(kinds(), os.path.join(OUT, "legacy.bin"), _use_new_zipfile_serialization=False)
    torch.save(torch.nn.Linear(2, 2), os.path.join(OUT, "module.bin"))  # a pickled module: refused by class name
    torch.save({"state_dict": state_dict([("w", torch.ones(2))]), "epoch": 3}, os.path.join(OUT, "checkpoint.bin"))

    weights = bert_weights()
    torch.save(state_dict(weights.items()), os.path.join(bert_folder("bert_bin"), "pytorch_model.bin"))
    write_safetensors(os.path.join(bert_folder("bert_safetensors"), "model.safetensors"), weights)
    sharded = bert_folder("bert_bin_sharded")
    names = list(weights)
    half = len(names) // 2
    weight_map = {}
    for k, part in enumerate((names[:half], names[half:])):
        file = "pytorch_model-%05d-of-00002.bin" % (k + 1)
        torch.save(state_dict((n, weights[n]) for n in part), os.path.join(sharded, file))
        weight_map.update({n: file for n in part})
    total = sum(t.numel() * t.element_size() for t in weights.values())
    # A PEFT LoRA adapter for that BERT as PEFT < 0.6 saved it (adapter_model.bin), and its safetensors twin.
    lora = lora_weights()
    for name, writer in (("lora_bin", lambda f: torch.save(state_dict(lora.items()), f + "/adapter_model.bin")),
                         ("lora_safetensors", lambda f: write_safetensors(f + "/adapter_model.safetensors", lora))):
        folder = os.path.join(OUT, name)
        os.makedirs(folder)
        with open(os.path.join(folder, "adapter_config.json"), "w") as out:
            json.dump(LORA_CONFIG, out, indent=2)
        writer(folder)
    with open(os.path.join(sharded, "pytorch_model.bin.index.json"), "w") as out:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, out, indent=2)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
