// `download ORG/NAME [--revision REV] [--cache DIR]`: fetch a model or adapter from the Hugging Face Hub into its
// standard cache (resumable, sizes and SHA-256 checked); afterwards it loads by name offline (--model ORG/NAME).
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "command.h"
#include "hub/hub_download.h"

namespace pw::cli {
namespace {

int runDownload(const Args& a) {
  hub::DownloadOptions o;
  o.revision = a.get("revision", "main");
  o.cache = a.get("cache", "");
  const bool tty = isatty(2);
  int lastFile = 0;
  o.progress = [&](const hub::DownloadProgress& p) {
    if (a.json()) return true;
    const double pct = p.totalSize > 0 ? 100.0 * double(p.totalDone) / double(p.totalSize) : 0;
    if (tty) {
      std::fprintf(stderr, "\r[%d/%d] %-28.28s %8.1f / %.1f MB  %5.1f%%  %.1f MB/s   ", p.fileIndex, p.fileCount,
                   p.file.c_str(), double(p.totalDone) / 1e6, double(p.totalSize) / 1e6, pct, p.bytesPerSecond / 1e6);
    } else if (p.fileIndex != lastFile) {
      std::fprintf(stderr, "[%d/%d] %s\n", p.fileIndex, p.fileCount, p.file.c_str());
    }
    lastFile = p.fileIndex;
    return true;
  };
  const hub::DownloadResult r = hub::downloadRepo(a.positional[0], o);
  if (tty && !a.json()) std::fprintf(stderr, "\n");
  nlohmann::json j = {{"repo", r.repo},           {"commit", r.commit},         {"snapshot", r.snapshot},
                      {"files", r.files},         {"skipped", r.skipped},       {"bytes_fetched", r.bytesFetched},
                      {"bytes_reused", r.bytesReused}};
  if (a.json()) printJson(j);
  else
    std::cout << r.repo << " @ " << r.commit << ": " << r.files.size() << " files in " << r.snapshot << " ("
              << r.bytesFetched << " bytes fetched, " << r.bytesReused << " already cached"
              << (r.skipped.empty() ? "" : "; " + std::to_string(r.skipped.size()) + " not needed, skipped")
              << ")\nuse it as --model " << r.repo << "\n";
  return 0;
}

PW_COMMAND("download", "ORG/NAME [--revision REV] [--cache DIR] [--json]",
           "fetch a model or adapter from the Hugging Face Hub into its cache (HF_HOME, HF_HUB_CACHE, HF_ENDPOINT, "
           "HF_TOKEN, HF_HUB_OFFLINE honoured); resumable",
           {"revision", "cache"}, {}, 1, 1, runDownload,
           {{"revision", {"REV", "a branch, tag or commit (default main)"}},
            {"cache", {"DIR", "the cache folder (default $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub)"}}});

}  // namespace
}  // namespace pw::cli
