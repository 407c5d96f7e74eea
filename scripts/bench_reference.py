#!/usr/bin/python3
"""PyTorch reference for `peft-workbench-cli bench`: the same training step in plain PyTorch.

The architecture is rebuilt from the model's config.json (BERT-style post-norm encoder or GPT-2-style pre-norm
decoder, the same sizes, activation, dropout and pooling, a linear head on the pooled output) with random
weights, and one step is timed exactly as the C++ benchmark times it: forward, cross-entropy and loss.item(),
zero_grad + backward, clip_grad_norm_(1.0) + AdamW over four groups (body / head, with / without weight decay),
on random token ids of a fixed length (no padding, all-ones mask).

Optional; it needs Debian's python3-torch (LibTorch 1.13, the same library the workbench links):

    apt-get install -y python3-torch
    /usr/bin/python3 scripts/bench_reference.py --model tiny-bert --threads 1 [--json]

Methods: ft (everything trains), lora (r = 8, alpha = 8 on the query and value projections, as the workbench's
defaults), bitfit (biases only), prompt (k = 20 soft tokens before the input embeddings, positions over the
whole sequence, as the workbench). The head always trains. Under mean pooling (the shipped models) the mean
goes to the head directly, as in the workbench; [CLS] pooling goes through the pooler and tanh.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Rates of the order of the workbench's defaults (core/methods/default_rates.cpp); they do not change the timing.
DEFAULT_LR = {"ft": 3e-4, "lora": 1e-2, "bitfit": 3e-3, "prompt": 3e-2}
HEAD_LR, WEIGHT_DECAY, CLIP_NORM = 1e-2, 0.01, 1.0
PROMPT_LENGTH = 20


def model_folder(name):
    if os.path.isdir(name):
        return name
    for root in filter(None, [os.environ.get("PW_MODELS_DIR"), os.path.join(REPO, "resources", "models")]):
        if os.path.isdir(os.path.join(root, name)):
            return os.path.join(root, name)
    sys.exit(f"error: no model folder or shipped model named '{name}'")


def read_config(folder):
    with open(os.path.join(folder, "config.json")) as f:
        c = json.load(f)
    if c.get("model_type") == "gpt2":
        d = c["n_embd"]
        return dict(family="gpt2", vocab=c["vocab_size"], d=d, layers=c["n_layer"], heads=c["n_head"],
                    f=c.get("n_inner") or 4 * d, positions=c["n_positions"], types=0,
                    eps=c.get("layer_norm_epsilon", 1e-5), act=c.get("activation_function", "gelu_new"),
                    dropout=c.get("resid_pdrop", 0.1), attn_dropout=c.get("attn_pdrop", 0.1),
                    pooling=c.get("classifier_pooling", "last"))
    return dict(family="bert", vocab=c["vocab_size"], d=c["hidden_size"], layers=c["num_hidden_layers"],
                heads=c["num_attention_heads"], f=c["intermediate_size"], positions=c["max_position_embeddings"],
                types=c.get("type_vocab_size", 2), eps=c.get("layer_norm_eps", 1e-12), act=c.get("hidden_act", "gelu"),
                dropout=c.get("hidden_dropout_prob", 0.1), attn_dropout=c.get("attention_probs_dropout_prob", 0.1),
                pooling=c.get("classifier_pooling", "cls"))


def activate(x, name):
    if name == "gelu":
        return F.gelu(x)
    if name in ("gelu_new", "gelu_pytorch_tanh"):
        return F.gelu(x, approximate="tanh")
    return F.relu(x)


class LoraLinear(nn.Linear):
    """y = W x + b + (alpha / r) B A x; A kaiming-uniform, B zero (as loralib, PEFT and the workbench)."""

    def __init__(self, d_in, d_out, rank=0, alpha=8.0):
        super().__init__(d_in, d_out)
        self.rank = rank
        if rank:
            self.lora_A = nn.Parameter(torch.empty(rank, d_in).uniform_(-1 / math.sqrt(d_in), 1 / math.sqrt(d_in)))
            self.lora_B = nn.Parameter(torch.zeros(d_out, rank))
            self.scale = alpha / rank

    def forward(self, x):
        y = F.linear(x, self.weight, self.bias)
        if self.rank:
            y = y + F.linear(F.linear(x, self.lora_A), self.lora_B) * self.scale
        return y


class Attention(nn.Module):
    def __init__(self, c, lora_rank):
        super().__init__()
        d = c["d"]
        self.heads, self.hd = c["heads"], d // c["heads"]
        self.query = LoraLinear(d, d, lora_rank)
        self.key = nn.Linear(d, d)
        self.value = LoraLinear(d, d, lora_rank)
        self.output = nn.Linear(d, d)
        self.drop = nn.Dropout(c["attn_dropout"])

    def forward(self, x, mask, causal):
        B, T, _ = x.shape
        split = lambda t: t.view(B, T, self.heads, self.hd).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.hd)
        allowed = mask.bool().view(B, 1, 1, T)
        if causal:
            allowed = allowed & torch.ones(T, T, dtype=torch.bool).tril().view(1, 1, T, T)
        scores = scores.masked_fill(~allowed, -1e9)
        ctx = torch.matmul(self.drop(torch.softmax(scores, -1)), v).transpose(1, 2).reshape(B, T, -1)
        return self.output(ctx)


class Block(nn.Module):
    def __init__(self, c, lora_rank):
        super().__init__()
        d = c["d"]
        self.pre_norm, self.act = c["family"] == "gpt2", c["act"]
        self.attention = Attention(c, lora_rank)
        self.attn_norm = nn.LayerNorm(d, eps=c["eps"])
        self.intermediate = nn.Linear(d, c["f"])
        self.output = nn.Linear(c["f"], d)
        self.ffn_norm = nn.LayerNorm(d, eps=c["eps"])
        self.drop = nn.Dropout(c["dropout"])

    def ffn(self, x):
        return self.output(activate(self.intermediate(x), self.act))

    def forward(self, x, mask):
        if self.pre_norm:
            h = x + self.drop(self.attention(self.attn_norm(x), mask, True))
            return h + self.drop(self.ffn(self.ffn_norm(h)))
        h = self.attn_norm(x + self.drop(self.attention(x, mask, False)))
        return self.ffn_norm(h + self.drop(self.ffn(h)))


class Classifier(nn.Module):
    def __init__(self, c, classes, lora_rank=0, prompt_length=0):
        super().__init__()
        d, self.c = c["d"], c
        self.bert = c["family"] == "bert"
        self.word_embeddings = nn.Embedding(c["vocab"], d)
        self.position_embeddings = nn.Embedding(c["positions"], d)
        if self.bert:
            self.token_type_embeddings = nn.Embedding(c["types"], d)
            self.embeddings_norm = nn.LayerNorm(d, eps=c["eps"])
            self.pooler = nn.Linear(d, d) if c["pooling"] != "mean" else None
        else:
            self.final_norm = nn.LayerNorm(d, eps=c["eps"])
        self.layers = nn.ModuleList(Block(c, lora_rank) for _ in range(c["layers"]))
        self.drop = nn.Dropout(c["dropout"])
        self.classifier = nn.Linear(d, classes, bias=self.bert)
        self.prompt = nn.Parameter(torch.empty(prompt_length, d)) if prompt_length else None
        for name, p in self.named_parameters():  # the workbench's initialisation: N(0, 0.02), zero biases
            if "lora_" in name:
                continue
            with torch.no_grad():
                if "norm" in name:
                    p.fill_(0.0 if name.endswith("bias") else 1.0)
                elif name.endswith("bias"):
                    p.zero_()
                else:
                    p.normal_(0.0, 0.02)

    def forward(self, ids, mask):
        x = self.word_embeddings(ids)
        if self.prompt is not None:  # soft tokens first; positions and mask cover the whole sequence
            x = torch.cat([self.prompt.unsqueeze(0).expand(ids.shape[0], -1, -1), x], 1)
            mask = torch.cat([torch.ones(ids.shape[0], self.prompt.shape[0], dtype=mask.dtype), mask], 1)
        B, T = x.shape[0], x.shape[1]
        x = x + self.position_embeddings(torch.arange(T)).unsqueeze(0)
        if self.bert:
            x = self.embeddings_norm(x + self.token_type_embeddings(torch.zeros(B, T, dtype=torch.long)))
        x = self.drop(x)
        for block in self.layers:
            x = block(x, mask)
        if not self.bert:
            x = self.final_norm(x)
        if self.c["pooling"] == "mean":
            m = mask.to(x.dtype)
            feature = (x * m.unsqueeze(-1)).sum(1) / m.sum(1, keepdim=True).clamp_min(1.0)
        elif self.bert:
            feature = x[:, 0]
        else:
            last = (torch.arange(T).unsqueeze(0) * mask).argmax(1)
            feature = x[torch.arange(B), last]
        if self.pooler is not None:
            feature = torch.tanh(self.pooler(feature))
        return self.classifier(self.drop(feature))


def trainable(name, method):
    if name.startswith("classifier.") or method == "ft":
        return True
    if method == "lora":
        return "lora_" in name
    if method == "bitfit":
        return name.endswith(".bias")
    if method == "prompt":
        return name == "prompt"
    raise ValueError(method)


def make_optimiser(model, method):
    groups = {}  # (head, decay) -> tensors, in the workbench's grouping
    for name, p in model.named_parameters():
        p.requires_grad_(trainable(name, method))
        if p.requires_grad:
            groups.setdefault((name.startswith("classifier."), p.dim() >= 2), []).append(p)
    pg = []
    for head in (False, True):
        for decay in (True, False):
            if (head, decay) in groups:
                pg.append({"params": groups[(head, decay)], "lr": HEAD_LR if head else DEFAULT_LR[method],
                           "weight_decay": WEIGHT_DECAY if decay else 0.0})
    params = [p for g in pg for p in g["params"]]
    return torch.optim.AdamW(pg), params


def bench(c, method, args):
    torch.manual_seed(args.seed)
    model = Classifier(c, args.classes, lora_rank=8 if method == "lora" else 0,
                       prompt_length=PROMPT_LENGTH if method == "prompt" else 0)
    opt, params = make_optimiser(model, method)
    total = sum(p.numel() for n, p in model.named_parameters() if "lora_" not in n and n != "prompt")
    g = torch.Generator().manual_seed(args.seed)
    low = min(5, c["vocab"] - 1)
    step, fwd, bwd, optim, cpu = [], [], [], [], []
    for i in range(args.warmup + args.steps):
        ids = torch.randint(low, c["vocab"], (args.batch, args.seq), generator=g)
        labels = torch.randint(0, args.classes, (args.batch,), generator=g)
        t0, c0 = time.perf_counter(), time.process_time()
        model.train()
        mask = torch.ones(args.batch, args.seq, dtype=torch.long)
        # --precision bf16: CPU autocast around the forward, the loss in fp32 (as the workbench does)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.precision == "bf16"):
            logits = model(ids, mask)
        loss = F.cross_entropy(logits.float(), labels)
        if not math.isfinite(loss.item()):
            sys.exit("error: the loss became " + str(loss.item()))
        t1 = time.perf_counter()
        opt.zero_grad(set_to_none=False)
        loss.backward()
        t2 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(params, CLIP_NORM)
        opt.step()
        t3 = time.perf_counter()
        if i >= args.warmup:
            step.append(t3 - t0), fwd.append(t1 - t0), bwd.append(t2 - t1), optim.append(t3 - t2)
            cpu.append(time.process_time() - c0)
    ms = lambda v: 1000.0 * statistics.median(v)
    tokens = args.batch * args.seq
    return {"method": method, "trainable": sum(p.numel() for p in params), "total": total, "steps": args.steps,
            "tokens_per_step": tokens, "step_ms": ms(step), "forward_ms": ms(fwd), "backward_ms": ms(bwd),
            "optimiser_ms": ms(optim), "step_cpu_ms": ms(cpu),
            "tokens_per_second": tokens / statistics.median(step)}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="tiny-bert", help="shipped model name or model folder (its config.json)")
    p.add_argument("--methods", default="ft,lora,bitfit,prompt")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--seq", type=int, default=64)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--classes", type=int, default=8)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=int(os.environ.get("PW_THREADS", "0")) or os.cpu_count())
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32",
                   help="bf16: CPU autocast to bfloat16 for the forward (compare with the workbench's --precision bf16)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    folder = model_folder(args.model)
    c = read_config(folder)
    methods = [m for m in args.methods.split(",") if m]
    for m in methods:
        if m not in DEFAULT_LR:
            sys.exit(f"error: unknown method '{m}' (the reference has {', '.join(DEFAULT_LR)})")
    rows = [bench(c, m, args) for m in methods]
    ft = next((r for r in rows if r["method"] == "ft"), None)
    for r in rows:
        if ft:
            r["vs_ft"] = r["step_ms"] / ft["step_ms"]
            r["vs_ft_cpu"] = r["step_cpu_ms"] / ft["step_cpu_ms"]
    out = {"model": folder, "family": c["family"], "torch": torch.__version__, "threads": torch.get_num_threads(),
           "batch": args.batch, "seq": args.seq, "steps": args.steps, "precision": args.precision, "load_average": os.getloadavg()[0],
           "methods": rows}
    if args.json:
        print(json.dumps(out))
        return
    print(f"model:   {folder} ({c['family']}, {c['layers']} layers, d = {c['d']}), batch {args.batch} x {args.seq}"
          f" tokens; PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"{'method':8}{'trainable':>11}{'step ms':>10}{'fwd':>9}{'bwd':>9}{'optim':>9}{'cpu ms':>9}{'tokens/s':>10}{'x ft':>8}")
    for r in rows:
        print(f"{r['method']:8}{r['trainable']:>11}{r['step_ms']:>10.1f}{r['forward_ms']:>9.1f}{r['backward_ms']:>9.1f}"
              f"{r['optimiser_ms']:>9.1f}{r['step_cpu_ms']:>9.1f}{r['tokens_per_second']:>10.0f}{r.get('vs_ft', float('nan')):>8.2f}")


if __name__ == "__main__":
    main()
