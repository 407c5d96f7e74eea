// PPMI + randomised SVD word vectors (see pmi_embeddings.h).
#include "train/pmi_embeddings.h"

namespace pw {

at::Tensor pmiSvdEmbeddings(const std::vector<std::vector<int32_t>>& docs, int64_t vocab, int64_t dim,
                            double targetStd, const PmiOptions& o) {
  torch::NoGradGuard guard;
  // 1. Symmetric co-occurrence counts, dense (vocab is ~10^4, so this is a few hundred MB at most).
  at::Tensor counts = torch::zeros({vocab, vocab}, torch::kFloat);
  float* c = counts.data_ptr<float>();
  for (const auto& doc : docs) {
    const size_t n = doc.size();
    for (size_t i = 0; i < n; ++i) {
      const int64_t a = doc[i];
      for (size_t j = i + 1; j < n && j <= i + size_t(o.window); ++j) {
        const int64_t b = doc[j];
        c[a * vocab + b] += 1.0f;
        c[b * vocab + a] += 1.0f;
      }
    }
  }
  // 2. PPMI with smoothed context probabilities.
  at::Tensor rows = counts.sum(1);                           // (V)
  at::Tensor ctx = counts.sum(0).pow(o.contextAlpha);        // (V)
  double total = rows.sum().item<double>();
  double ctxTotal = ctx.sum().item<double>();
  at::Tensor seen = rows > 0;
  at::Tensor pw = rows / std::max(total, 1.0);
  at::Tensor pc = ctx / std::max(ctxTotal, 1.0);
  at::Tensor pmi = torch::log((counts / std::max(total, 1.0)) / (pw.unsqueeze(1) * pc.unsqueeze(0)).clamp_min(1e-30));
  at::Tensor ppmi = torch::where(counts > 0, pmi.clamp_min(0.0), torch::zeros_like(pmi));
  counts = at::Tensor();
  // 3. Randomised truncated SVD (Halko et al.): ppmi ~ U S V^T, vectors = U sqrt(S).
  auto gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
  const int64_t k = std::min<int64_t>(dim + o.oversample, vocab);
  at::Tensor omega = at::randn({vocab, k}, gen, torch::kFloat);
  at::Tensor q = std::get<0>(torch::linalg_qr(ppmi.matmul(omega)));
  for (int i = 0; i < o.powerIterations; ++i) {
    q = std::get<0>(torch::linalg_qr(ppmi.t().matmul(q)));
    q = std::get<0>(torch::linalg_qr(ppmi.matmul(q)));
  }
  at::Tensor b = q.t().matmul(ppmi);  // (k, V)
  auto [ub, s, vt] = torch::linalg_svd(b, false);
  int64_t d = std::min<int64_t>(dim, k);
  at::Tensor vectors = q.matmul(ub.slice(1, 0, d)) * s.slice(0, 0, d).sqrt().unsqueeze(0);  // (V, d)
  if (d < dim) vectors = torch::cat({vectors, torch::zeros({vocab, dim - d})}, 1);
  // 4. Scale to the requested spread; unseen tokens get small random rows.
  at::Tensor seenRows = vectors.index({seen});
  double std = seenRows.numel() > 1 ? seenRows.std().item<double>() : 1.0;
  vectors = vectors * (targetStd / std::max(std, 1e-12));
  at::Tensor noise = at::randn({vocab, dim}, gen, torch::kFloat) * targetStd;
  return torch::where(seen.unsqueeze(1), vectors, noise);
}

}  // namespace pw
