// `bench [--model MODEL] [--methods a,b,...]`: the training step of each method (median step time, tokens/s,
// the ratio to full fine-tuning, peak memory), the linear probe's cached-feature run against one fine-tuning
// epoch, and the share of the machine's matrix-multiply peak that a full fine-tuning step reaches.
// Each method runs in its own process (this executable again, with the hidden --worker METHOD), so each
// peak resident set is that method's own and no method warms the allocator for the next.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "command.h"
#include "util/precision.h"
#include "methods/method.h"
#include "models/model_folder.h"
#include "train/bench.h"
#include "util/error.h"

namespace pw::cli {
namespace {

BenchSettings settingsFromArgs(const Args& a) {
  BenchSettings s;
  s.model = a.get("model", s.model);
  s.batch = a.getInt("batch", s.batch);
  s.seq = a.getInt("seq", s.seq);
  s.steps = a.getInt("steps", s.steps);
  s.warmup = a.getInt("warmup", s.warmup);
  s.probeExamples = a.getInt("probe-examples", s.probeExamples);
  s.seed = uint64_t(a.getInt("seed", int64_t(s.seed)));
  s.precision = a.get("precision", s.precision);
  checkPrecisionSetting(s.precision);
  if (s.batch < 1 || s.batch > 4096) throw Error("--batch must be between 1 and 4096");
  if (s.seq < 1 || s.seq > 100000) throw Error("--seq must be at least 1");
  if (s.steps < 1 || s.steps > 100000) throw Error("--steps must be between 1 and 100000");
  if (s.warmup < 0 || s.warmup > 1000) throw Error("--warmup must be between 0 and 1000");
  if (s.probeExamples < s.classes || s.probeExamples > 10000000)
    throw Error("--probe-examples must be at least " + std::to_string(s.classes));
  return s;
}

std::vector<std::string> methodsFromArgs(const Args& a) {
  const std::vector<std::string> known = methodNames();
  if (!a.has("methods")) return known;
  std::vector<std::string> out;
  std::stringstream in(a.get("methods"));
  for (std::string m; std::getline(in, m, ',');) {
    if (m.empty()) continue;
    if (std::find(known.begin(), known.end(), m) == known.end())
      throw Error("unknown method '" + m + "' in --methods (methods: lp, ft, lp-ft, prompt, prefix, adapter, lora, "
                  "bitfit, ia3)");
    if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
  }
  if (out.empty()) throw Error("--methods names no method");
  return out;
}

// Runs this executable with `args` and returns what it printed on stdout; its stderr passes through.
std::string runSelf(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  static char exe[] = "/proc/self/exe";
  argv.push_back(exe);
  for (const auto& s : args) argv.push_back(const_cast<char*>(s.c_str()));
  argv.push_back(nullptr);
  int fds[2];
  if (pipe(fds) != 0) throw Error("cannot create a pipe for the benchmark worker");
  const pid_t pid = fork();
  if (pid < 0) throw Error("cannot start the benchmark worker");
  if (pid == 0) {  // only async-signal-safe calls until exec
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execv(exe, argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    out.append(buf, size_t(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw Error("the benchmark worker failed (see above)");
  return out;
}

double loadAverage() {
  double l[1] = {-1};
  return getloadavg(l, 1) == 1 ? l[0] : -1;
}

int runWorker(const Args& a) {
  printJson(benchMethod(settingsFromArgs(a), a.get("worker")).toJson());
  return 0;
}

int runBench(const Args& a) {
  if (a.has("worker")) return runWorker(a);
  const BenchSettings s = settingsFromArgs(a);
  const std::vector<std::string> methods = methodsFromArgs(a);
  const std::string folder = resolveModelFolder(s.model);
  const ModelConfig config = readConfigFile(folder + "/config.json");
  const double loadBefore = loadAverage();

  const std::vector<std::string> common = {
      "bench", "--model", folder, "--batch", std::to_string(s.batch), "--seq", std::to_string(s.seq),
      "--steps", std::to_string(s.steps), "--warmup", std::to_string(s.warmup), "--probe-examples",
      std::to_string(s.probeExamples), "--seed", std::to_string(s.seed), "--precision", s.precision};
  std::map<std::string, MethodTiming> timings;
  for (const auto& m : methods) {
    if (!a.json()) std::cerr << "timing " << m << " ...\n";
    std::vector<std::string> args = common;
    args.insert(args.end(), {"--worker", m});
    const std::string out = runSelf(args);
    try {
      timings[m] = MethodTiming::fromJson(nlohmann::json::parse(out));
    } catch (const nlohmann::json::exception&) {
      throw Error("the benchmark worker for " + m + " printed no result");
    }
  }
  if (!a.json()) std::cerr << "timing matrix multiplies ...\n";
  const double mm1024 = matmulGflops(1024), mm2048 = matmulGflops(2048);
  const double peak32 = std::max(mm1024, mm2048);
  const double bf1024 = matmulGflops(1024, 0.5, true), bf2048 = matmulGflops(2048, 0.5, true);
  const double peak16 = std::max(bf1024, bf2048);
  const bool stepsInBf16 = resolvePrecision(s.precision) == Precision::Bf16;
  const double peak = stepsInBf16 ? peak16 : peak32;  // the peak of the precision the steps ran in
  const double loadAfter = loadAverage();

  const bool haveFt = timings.count("ft") > 0;
  const double ftMs = haveFt ? timings["ft"].stepMs : 0;
  const double ftFlops = fullFineTuneStepFlops(config, s.batch, s.seq, s.classes);
  const double ftGflops = haveFt ? ftFlops / (ftMs / 1000.0) / 1e9 : 0;
  const int64_t epochSteps = (s.probeExamples + s.batch - 1) / s.batch;

  nlohmann::json rows = nlohmann::json::array();
  for (const auto& m : methods) {
    const MethodTiming& t = timings[m];
    nlohmann::json row = t.toJson();
    if (t.probe) {
      const double lpSeconds = t.featureSeconds + t.probeSeconds;
      row["lp_seconds"] = lpSeconds;
      if (haveFt) {
        // One fine-tuning epoch of the same examples: that many steps of the (same-length) ft batches.
        const double epoch = double(epochSteps) * ftMs / 1000.0;
        row["ft_epoch_seconds"] = epoch;
        row["speedup_vs_ft_epoch"] = epoch / lpSeconds;
        // Once the features are cached, the probe alone.
        row["probe_speedup_vs_ft_epoch"] = epoch / t.probeSeconds;
      }
    } else if (haveFt) {
      row["vs_ft"] = t.stepMs / ftMs;
      row["vs_ft_cpu"] = t.stepCpuMs / timings["ft"].stepCpuMs;
    }
    rows.push_back(row);
  }
  nlohmann::json j = {{"model", folder},
                      {"family", config.familyName()},
                      {"threads", at::get_num_threads()},
                      {"batch", s.batch},
                      {"seq", s.seq},
                      {"steps", s.steps},
                      {"warmup", s.warmup},
                      {"classes", s.classes},
                      {"load_average", {loadBefore, loadAfter}},
                      {"precision", stepsInBf16 ? "bf16" : "fp32"},
                      {"matmul_gflops", {{"1024", mm1024}, {"2048", mm2048}}},
                      {"matmul_bf16_gflops", {{"1024", bf1024}, {"2048", bf2048}}},
                      {"peak_gflops", peak},
                      {"peak_fp32_gflops", peak32},
                      {"peak_bf16_gflops", peak16},
                      {"ft_step_gflop", ftFlops / 1e9},
                      {"methods", rows}};
  if (haveFt) {
    j["ft_gflops"] = ftGflops, j["ft_share_of_peak"] = ftGflops / peak;
    j["ft_share_of_fp32_peak"] = ftGflops / peak32, j["ft_share_of_bf16_peak"] = ftGflops / peak16;
  }
  if (a.json()) {
    printJson(j);
    return 0;
  }

  std::cout << std::fixed << std::setprecision(1);
  std::cout << "model:   " << folder << " (" << config.familyName() << ", " << config.layers << " layers, d = "
            << config.hidden << "), batch " << s.batch << " x " << s.seq << " tokens, " << s.classes << " classes\n"
            << "threads: " << at::get_num_threads() << ", load average " << std::setprecision(2) << loadBefore
            << " -> " << loadAfter << std::setprecision(1) << "\n"
            << "matmul:  fp32 " << mm1024 << " GFLOP/s (1024), " << mm2048 << " GFLOP/s (2048); bf16 " << bf1024
            << " (1024), " << bf2048 << " (2048)\n"
            << "steps:   " << (stepsInBf16 ? "bf16 (CPU autocast)" : "fp32") << "\n";
  if (haveFt)
    std::cout << "ft step: " << ftFlops / 1e9 << " GFLOP of matrix multiplies in " << ftMs << " ms = " << ftGflops
              << " GFLOP/s, " << 100.0 * ftGflops / peak32 << "% of the fp32 matmul peak, " << 100.0 * ftGflops / peak16
              << "% of the bf16 peak\n";
  std::cout << "\n"
            << std::left << std::setw(8) << "method" << std::right << std::setw(11) << "trainable" << std::setw(10)
            << "step ms" << std::setw(9) << "fwd" << std::setw(9) << "bwd" << std::setw(9) << "optim" << std::setw(10)
            << "cpu ms" << std::setw(10) << "tokens/s" << std::setw(8) << "x ft" << std::setw(10) << "peak MB" << "\n";
  for (const auto& m : methods) {
    const MethodTiming& t = timings[m];
    std::cout << std::left << std::setw(8) << m << std::right << std::setw(11) << t.trainable;
    if (t.probe) {
      std::cout << std::setw(64) << "(below)";
    } else {
      std::cout << std::setw(10) << t.stepMs << std::setw(9) << t.forwardMs << std::setw(9) << t.backwardMs
                << std::setw(9) << t.optimiserMs << std::setw(9) << t.stepCpuMs << std::setw(10) << std::setprecision(0)
                << t.tokensPerSecond
                << std::setprecision(2) << std::setw(8);
      if (haveFt) std::cout << t.stepMs / ftMs;
      else std::cout << "-";
      std::cout << std::setprecision(1);
    }
    std::cout << std::setw(10) << t.peakRssMb << "\n";
  }
  if (timings.count("lp")) {
    const MethodTiming& t = timings["lp"];
    std::cout << "\nlp: features " << t.featureSeconds << " s + probe " << t.probeSeconds << " s for "
              << t.probeExamples << " examples (+" << std::max(s.classes, t.probeExamples / 4) << " validation)";
    if (haveFt) {
      const double epoch = double(epochSteps) * ftMs / 1000.0;
      std::cout << "\n    one ft epoch of them (" << epochSteps << " steps) takes " << epoch << " s: the probe run is "
                << epoch / (t.featureSeconds + t.probeSeconds) << "x faster, the probe alone on cached features "
                << epoch / t.probeSeconds << "x";
    }
    std::cout << "\n";
  }
  std::cout << benchTargetReport(timings, epochSteps);
  return 0;
}

PW_COMMAND("bench",
           "[--model MODEL] [--methods a,b,...] [--steps N] [--seq T] [--batch B] [--warmup N] "
           "[--probe-examples N] [--seed S] [--json]",
           "training step time, tokens/s and peak memory of each method; matmul peak and the ft step's share of it",
           {"model", "methods", "steps", "seq", "batch", "warmup", "probe-examples", "seed", "worker", "precision"}, {}, 0, 0,
           runBench,
           {{"methods", {"A,B,...", "methods to time (default: every registered method)"}},
            {"steps", {"N", "timed training steps per method (default 20)"}},
            {"seq", {"T", "tokens per example, all real (no padding; default 64)"}},
            {"batch", {"B", "examples per step (default 16)"}},
            {"warmup", {"N", "untimed steps before the timed ones (default 3)"}},
            {"probe-examples", {"N", "lp: examples of its one feature pass (default 1024)"}},
            {"seed", {"S", "seed of the random token ids and the method's initialisation"}},
            {"worker", {"NAME", "internal: time one method in this process and print JSON"}}});

}  // namespace
}  // namespace pw::cli
