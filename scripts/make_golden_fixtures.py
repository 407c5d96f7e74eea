#!/usr/bin/python3
"""Golden outputs for tests/golden: BERT, RoBERTa, DistilBERT and GPT-2 forward passes written in plain PyTorch
from the transformers architecture (BertModel, RobertaModel, DistilBertModel, GPT2Model; transformers itself is
not installed here), run on tiny random models saved as Hugging Face folders. The C++ engine must reproduce the hidden states to 1e-5.

    sudo apt-get install -y python3-torch
    /usr/bin/python3 scripts/make_golden_fixtures.py      # rewrites tests/data/golden/

Each folder holds config.json, model.safetensors (the weights) and expected.safetensors: the inputs (ids,
mask, token types) and the outputs (last hidden state, float64 reference computed in float64 then stored as
F32; the mean of the real tokens; the last real token; BERT's pooler on the first token, or DistilBERT's
pre_classifier + ReLU there, as DistilBertForSequenceClassification computes it).
"""
import collections
import json
import math
import os
import shutil

import torch

from safetensors_writer import write_safetensors

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "golden")


def layer_norm(x, w, b, eps):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), w, b, eps)


def gelu_erf(x):  # BERT's "gelu"
    return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))


def gelu_new(x):  # GPT-2's "gelu_new" (the tanh approximation)
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def attention(q, k, v, heads, bias):
    """q, k, v: (B, T, d); bias: (B, 1, T, T) added to the scores."""
    b, t, d = q.shape
    hd = d // heads
    split = lambda x: x.view(b, t, heads, hd).transpose(1, 2)
    scores = split(q) @ split(k).transpose(-1, -2) / math.sqrt(hd) + bias
    ctx = torch.softmax(scores, dim=-1) @ split(v)
    return ctx.transpose(1, 2).reshape(b, t, d)


def bert_forward(w, c, ids, mask, types, prefix="bert."):
    """transformers' BertModel in eval mode: its last_hidden_state. RoBERTa (prefix "roberta."): the same encoder,
    positions from create_position_ids_from_input_ids (padding_idx + 1 + index for real tokens)."""
    p = prefix + "embeddings."
    if prefix == "roberta.":
        pad = c["pad_token_id"]
        pos = (torch.cumsum(mask, dim=1) * mask) + pad
    else:
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
    x = w[p + "word_embeddings.weight"][ids] + w[p + "position_embeddings.weight"][pos] + \
        w[p + "token_type_embeddings.weight"][types]
    eps = c["layer_norm_eps"]
    x = layer_norm(x, w[p + "LayerNorm.weight"], w[p + "LayerNorm.bias"], eps)
    bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
    lin = lambda h, name: h @ w[name + ".weight"].T + w[name + ".bias"]
    for i in range(c["num_hidden_layers"]):
        q = prefix + "encoder.layer.%d." % i
        ctx = attention(lin(x, q + "attention.self.query"), lin(x, q + "attention.self.key"),
                        lin(x, q + "attention.self.value"), c["num_attention_heads"], bias)
        x = layer_norm(lin(ctx, q + "attention.output.dense") + x, w[q + "attention.output.LayerNorm.weight"],
                       w[q + "attention.output.LayerNorm.bias"], eps)
        f = lin(gelu_erf(lin(x, q + "intermediate.dense")), q + "output.dense")
        x = layer_norm(f + x, w[q + "output.LayerNorm.weight"], w[q + "output.LayerNorm.bias"], eps)
    return x


def distilbert_forward(w, c, ids, mask):
    """transformers' DistilBertModel in eval mode: its last_hidden_state. Learned positions from 0, no token
    types, post-LayerNorm blocks (sa_layer_norm, output_layer_norm) with eps 1e-12, keys masked with the
    dtype's minimum."""
    p = "distilbert."
    x = w[p + "embeddings.word_embeddings.weight"][ids] + \
        w[p + "embeddings.position_embeddings.weight"][torch.arange(ids.shape[1]).unsqueeze(0)]
    eps = 1e-12
    x = layer_norm(x, w[p + "embeddings.LayerNorm.weight"], w[p + "embeddings.LayerNorm.bias"], eps)
    bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
    lin = lambda h, name: h @ w[name + ".weight"].T + w[name + ".bias"]
    for i in range(c["n_layers"]):
        q = p + "transformer.layer.%d." % i
        ctx = attention(lin(x, q + "attention.q_lin"), lin(x, q + "attention.k_lin"), lin(x, q + "attention.v_lin"),
                        c["n_heads"], bias)
        x = layer_norm(lin(ctx, q + "attention.out_lin") + x, w[q + "sa_layer_norm.weight"],
                       w[q + "sa_layer_norm.bias"], eps)
        f = lin(gelu_erf(lin(x, q + "ffn.lin1")), q + "ffn.lin2")
        x = layer_norm(f + x, w[q + "output_layer_norm.weight"], w[q + "output_layer_norm.bias"], eps)
    return x


def gpt2_forward(w, c, ids, mask):
    """transformers' GPT2Model in eval mode (Conv1D weights are (in, out)): its last_hidden_state, after ln_f."""
    t = ids.shape[1]
    x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][torch.arange(t).unsqueeze(0)]
    eps = c["layer_norm_epsilon"]
    causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
    allowed = causal[None, None] & mask[:, None, None, :].bool()
    bias = torch.where(allowed, torch.zeros((), dtype=x.dtype), torch.tensor(torch.finfo(x.dtype).min, dtype=x.dtype))
    conv = lambda h, name: h @ w[name + ".weight"] + w[name + ".bias"]
    d = c["n_embd"]
    for i in range(c["n_layer"]):
        q = "transformer.h.%d." % i
        h = layer_norm(x, w[q + "ln_1.weight"], w[q + "ln_1.bias"], eps)
        qkv = conv(h, q + "attn.c_attn")
        x = x + conv(attention(qkv[..., :d], qkv[..., d:2 * d], qkv[..., 2 * d:], c["n_head"], bias), q + "attn.c_proj")
        h = layer_norm(x, w[q + "ln_2.weight"], w[q + "ln_2.bias"], eps)
        x = x + conv(gelu_new(conv(h, q + "mlp.c_fc")), q + "mlp.c_proj")
    return layer_norm(x, w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], eps)


BERT = {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": 40, "hidden_size": 24,
        "num_hidden_layers": 2, "num_attention_heads": 3, "intermediate_size": 48, "max_position_embeddings": 32,
        "type_vocab_size": 2, "hidden_act": "gelu", "layer_norm_eps": 1e-12, "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "pad_token_id": 0}
ROBERTA = dict(BERT, architectures=["RobertaModel"], model_type="roberta", type_vocab_size=1, pad_token_id=1,
               max_position_embeddings=34, layer_norm_eps=1e-5)
DISTILBERT = {"architectures": ["DistilBertForSequenceClassification"], "model_type": "distilbert", "vocab_size": 40,
              "dim": 24, "n_layers": 2, "n_heads": 3, "hidden_dim": 48, "max_position_embeddings": 32,
              "activation": "gelu", "dropout": 0.1, "attention_dropout": 0.1, "pad_token_id": 0,
              "sinusoidal_pos_embds": False}
GPT2 = {"architectures": ["GPT2Model"], "model_type": "gpt2", "vocab_size": 40, "n_embd": 24, "n_layer": 2,
        "n_head": 3, "n_inner": 48, "n_positions": 32, "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5,
        "resid_pdrop": 0.1, "embd_pdrop": 0.1, "attn_pdrop": 0.1, "bos_token_id": 39, "eos_token_id": 39,
        "pad_token_id": 39}


def random_weights(shapes, seed):
    g = torch.Generator().manual_seed(seed)
    w = collections.OrderedDict()
    for name, shape in shapes:
        if name.endswith("LayerNorm.weight") or name.endswith("layer_norm.weight") or name.endswith("ln_1.weight") or \
                name.endswith("ln_2.weight") or name.endswith("ln_f.weight"):
            w[name] = 1 + 0.1 * torch.randn(*shape, generator=g)
        else:
            w[name] = 0.3 * torch.randn(*shape, generator=g)
    return w


def bert_shapes(c, prefix="bert."):
    d, f, s = c["hidden_size"], c["intermediate_size"], []
    p = prefix + "embeddings."
    s += [(p + "word_embeddings.weight", (c["vocab_size"], d)), (p + "position_embeddings.weight",
          (c["max_position_embeddings"], d)), (p + "token_type_embeddings.weight", (c["type_vocab_size"], d)),
          (p + "LayerNorm.weight", (d,)), (p + "LayerNorm.bias", (d,))]
    for i in range(c["num_hidden_layers"]):
        q = prefix + "encoder.layer.%d." % i
        for n in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            s += [(q + n + ".weight", (d, d)), (q + n + ".bias", (d,))]
        s += [(q + "attention.output.LayerNorm.weight", (d,)), (q + "attention.output.LayerNorm.bias", (d,)),
              (q + "intermediate.dense.weight", (f, d)), (q + "intermediate.dense.bias", (f,)),
              (q + "output.dense.weight", (d, f)), (q + "output.dense.bias", (d,)),
              (q + "output.LayerNorm.weight", (d,)), (q + "output.LayerNorm.bias", (d,))]
    s += [(prefix + "pooler.dense.weight", (d, d)), (prefix + "pooler.dense.bias", (d,))]
    return s


def distilbert_shapes(c):
    """DistilBertForSequenceClassification's base and pre_classifier (its classifier is left out: no labels)."""
    d, f, p = c["dim"], c["hidden_dim"], "distilbert."
    s = [(p + "embeddings.word_embeddings.weight", (c["vocab_size"], d)),
         (p + "embeddings.position_embeddings.weight", (c["max_position_embeddings"], d)),
         (p + "embeddings.LayerNorm.weight", (d,)), (p + "embeddings.LayerNorm.bias", (d,))]
    for i in range(c["n_layers"]):
        q = p + "transformer.layer.%d." % i
        for n in ("attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin"):
            s += [(q + n + ".weight", (d, d)), (q + n + ".bias", (d,))]
        s += [(q + "sa_layer_norm.weight", (d,)), (q + "sa_layer_norm.bias", (d,)),
              (q + "ffn.lin1.weight", (f, d)), (q + "ffn.lin1.bias", (f,)),
              (q + "ffn.lin2.weight", (d, f)), (q + "ffn.lin2.bias", (d,)),
              (q + "output_layer_norm.weight", (d,)), (q + "output_layer_norm.bias", (d,))]
    s += [("pre_classifier.weight", (d, d)), ("pre_classifier.bias", (d,))]
    return s


def gpt2_shapes(c):
    d, f, s = c["n_embd"], c["n_inner"], []
    s += [("transformer.wte.weight", (c["vocab_size"], d)), ("transformer.wpe.weight", (c["n_positions"], d))]
    for i in range(c["n_layer"]):
        q = "transformer.h.%d." % i
        s += [(q + "ln_1.weight", (d,)), (q + "ln_1.bias", (d,)), (q + "attn.c_attn.weight", (d, 3 * d)),
              (q + "attn.c_attn.bias", (3 * d,)), (q + "attn.c_proj.weight", (d, d)), (q + "attn.c_proj.bias", (d,)),
              (q + "ln_2.weight", (d,)), (q + "ln_2.bias", (d,)), (q + "mlp.c_fc.weight", (d, f)),
              (q + "mlp.c_fc.bias", (f,)), (q + "mlp.c_proj.weight", (f, d)), (q + "mlp.c_proj.bias", (d,))]
    s += [("transformer.ln_f.weight", (d,)), ("transformer.ln_f.bias", (d,))]
    return s


def save(name, config, weights, inputs, hidden, pooler=None, pooler_act=torch.tanh):
    folder = os.path.join(OUT, name)
    os.makedirs(folder)
    with open(os.path.join(folder, "config.json"), "w") as out:
        json.dump(config, out, indent=2)
    write_safetensors(os.path.join(folder, "model.safetensors"), weights)
    mask = inputs["mask"]
    m = mask.unsqueeze(-1).to(hidden.dtype)
    last = mask.sum(1) - 1
    expected = dict(inputs)
    expected["hidden"] = hidden.float()
    expected["mean"] = ((hidden * m).sum(1) / m.sum(1)).float()
    expected["last"] = hidden[torch.arange(hidden.shape[0]), last].float()
    if pooler is not None:  # BertPooler: tanh(dense(first token)); DistilBERT: relu(pre_classifier(first token))
        w, b = pooler
        expected["pooled_cls"] = pooler_act(hidden[:, 0] @ w.double().T + b.double()).float()
    write_safetensors(os.path.join(folder, "expected.safetensors"), expected)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    # Two texts, the second padded on the right (the engine's convention), token types on the first.
    ids = torch.tensor([[2, 17, 5, 33, 9, 3], [2, 8, 21, 3, 0, 0]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]])
    types = torch.tensor([[0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 0, 0]])

    bw = random_weights(bert_shapes(BERT), 3)
    hidden = bert_forward({k: v.double() for k, v in bw.items()}, BERT, ids, mask, types)
    save("bert", BERT, bw, {"ids": ids, "mask": mask, "token_types": types}, hidden,
         (bw["bert.pooler.dense.weight"], bw["bert.pooler.dense.bias"]))

    # RoBERTa: pad id 1 (the second text padded with it), one token type, positions after the padding index.
    rw = random_weights(bert_shapes(ROBERTA, "roberta."), 5)
    rids = torch.where(mask.bool(), ids, torch.tensor(1))
    hidden = bert_forward({k: v.double() for k, v in rw.items()}, ROBERTA, rids, mask, torch.zeros_like(ids), "roberta.")
    save("roberta", ROBERTA, rw, {"ids": rids, "mask": mask}, hidden,
         (rw["roberta.pooler.dense.weight"], rw["roberta.pooler.dense.bias"]))

    # DistilBERT: no token types; [CLS] pooling goes through pre_classifier and a ReLU.
    dw = random_weights(distilbert_shapes(DISTILBERT), 6)
    hidden = distilbert_forward({k: v.double() for k, v in dw.items()}, DISTILBERT, ids, mask)
    save("distilbert", DISTILBERT, dw, {"ids": ids, "mask": mask}, hidden,
         (dw["pre_classifier.weight"], dw["pre_classifier.bias"]), torch.relu)

    gw = random_weights(gpt2_shapes(GPT2), 4)
    gids = torch.where(mask.bool(), ids, torch.tensor(39))
    hidden = gpt2_forward({k: v.double() for k, v in gw.items()}, GPT2, gids, mask)
    save("gpt2", GPT2, gw, {"ids": gids, "mask": mask}, hidden)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
