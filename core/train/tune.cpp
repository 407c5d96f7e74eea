// The tuning procedure (see tune.h): every grid point x seed through the runner, scored on validation only,
// widened at an edge, then the stated rule picks the rate; passes run in turn, each keeping the earlier choices.
#include "train/tune.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>

#include "methods/catalog.h"
#include "train/run_pool.h"
#include "train/run_record.h"
#include "util/error.h"

namespace pw {

TuneRunner plainRunner() {
  return [](const TrainConfig& c, const TuneRunInfo&) {
    TuneRunOutcome o;
    o.result = Trainer(c).run();
    return o;
  };
}

TuneRunner recordingRunner(results::ResultsDb& db, const std::string& batch) {
  return [&db, batch](const TrainConfig& c, const TuneRunInfo&) {
    TuneRunOutcome o;
    Trainer trainer(c);
    RunRecorder recorder(db, c, batch);
    o.runId = recorder.runId();
    o.result = trainer.run(recorder.wrap({}));
    return o;
  };
}

namespace {

bool contains(const std::vector<double>& v, double x) {
  for (double y : v)
    if (std::abs(x - y) <= 1e-9 * std::max(x, y)) return true;
  return false;
}

std::string rateList(const std::string& method) {
  std::string list;
  for (const auto& n : tunableRatesOf(method)) list += (list.empty() ? "" : ", ") + n;
  return list;
}

// A user's grid must lie in range; a default grid around a knob near its limit (lr_factor 0.3 -> 3) loses the
// points beyond it.
std::vector<double> cleanGrid(std::vector<double> grid, const std::string& method, const std::string& rateName,
                              bool fromUser) {
  for (double r : grid)
    if (!(r > 0) || !std::isfinite(r))
      throw Error("every rate of the " + rateName + " grid must be positive and finite, got " + std::to_string(r));
  if (fromUser) {
    for (double r : grid)
      if (!rateInRange(method, rateName, r))
        throw Error("the " + rateName + " grid's " + rateText(r) + " is outside the knob's range");
  } else {
    grid.erase(std::remove_if(grid.begin(), grid.end(), [&](double r) { return !rateInRange(method, rateName, r); }),
               grid.end());
  }
  std::sort(grid.begin(), grid.end());
  std::vector<double> out;
  for (double r : grid)
    if (!contains(out, r)) out.push_back(r);
  if (out.size() < 2) throw Error("the " + rateName + " grid needs at least 2 different rates");
  return out;
}

void checkRequest(const TuneRequest& q) {
  // An unknown method fails here, with the list. A plan without gradient stages (lp: the head fitted by L-BFGS,
  // its L2 strength chosen on validation) uses no rate.
  const MethodDescriptor& method = methodDescriptor(q.base.method);
  if (!method.hasRates())
    throw Error(method.name + " (" + method.title + ") fits its head by L-BFGS and uses no learning rate: nothing "
                "to tune");
  if (q.seeds < 2) throw Error("tuning needs at least 2 seeds per rate (a standard error needs two), got " +
                               std::to_string(q.seeds));
  if (q.seeds > 50) throw Error("at most 50 seeds per rate, got " + std::to_string(q.seeds));
  if (q.maxWidenings < 0 || q.maxWidenings > 10)
    throw Error("the widening limit must be between 0 and 10, got " + std::to_string(q.maxWidenings));
  const std::vector<std::string> names = tunableRatesOf(q.base.method);
  if (q.rates.empty()) throw Error("name at least one rate to tune (" + rateList(q.base.method) + ")");
  for (size_t i = 0; i < q.rates.size(); ++i) {
    const std::string& r = q.rates[i];
    if (std::find(names.begin(), names.end(), r) == names.end())
      throw Error("unknown rate '" + r + "' to tune for " + q.base.method + " (" + rateList(q.base.method) + ")");
    if (std::find(q.rates.begin(), q.rates.begin() + long(i), r) != q.rates.begin() + long(i))
      throw Error("rate '" + r + "' is named twice");
  }
}

}  // namespace

TuneResult tuneLearningRate(const TuneRequest& q, const TuneCallbacks& cb) {
  checkRequest(q);
  const TuneRunner runner = cb.run ? cb.run : plainRunner();
  TuneResult out;
  out.rule = tuneRuleText(q.maxWidenings);
  TrainConfig current = q.base;
  current.adapterDir.clear();  // every run would overwrite the same folder
  int runIndex = 0, planned = 0;

  for (size_t k = 0; k < q.rates.size(); ++k) {
    TunePass pass;
    pass.rateName = q.rates[k];
    const bool userGrid = k == 0 && !q.grid.empty();
    const std::vector<double> grid =
        cleanGrid(userGrid ? q.grid : defaultTuneGrid(rateOf(current, pass.rateName)), current.method,
                  pass.rateName, userGrid);
    pass.initialGrid = grid;
    std::vector<double> pending = grid, tried;
    planned += int(grid.size()) * q.seeds;
    bool stop = false;
    while (!stop) {
      // One round: every pending rate x every seed, side by side when asked; points keep grid and seed order.
      struct Job {
        TrainConfig config;
        TuneRunInfo info;
        TuneSeedRun scored;
        bool ran = false;
      };
      std::vector<Job> jobs;
      for (double rate : pending) {
        tried.push_back(rate);
        for (int s = 0; s < q.seeds; ++s) {
          TrainConfig c = current;
          setRate(c, pass.rateName, rate);
          c.seed = q.base.seed + uint64_t(s);
          TuneRunInfo info{int(k), pass.rateName, rate, c.seed, runIndex++, planned,
                           c.method + " " + pass.rateName + "=" + rateText(rate) + ", seed " + std::to_string(c.seed)};
          jobs.push_back({c, info, {}, false});
        }
      }
      std::mutex reportMutex;
      std::atomic<bool> cancelled{false};
      runInParallel(jobs.size(), std::max(1, q.parallel), [&](size_t j) {
        if (cancelled || (cb.cancelled && cb.cancelled())) {
          cancelled = true;
          return;
        }
        Job& job = jobs[j];
        const TuneRunOutcome o = runner(job.config, job.info);
        // The only use of the run's result: status, error and the validation split. Test and OOD never pass.
        job.scored = scoreRun(job.config.seed, o.runId, o.result.status, o.result.error, o.result.validation);
        job.ran = true;
        if (job.scored.status == RunStatus::Cancelled) cancelled = true;
        std::lock_guard<std::mutex> lock(reportMutex);
        if (cb.onRun) cb.onRun(job.info, job.scored);
      });
      for (double rate : pending) {
        TunePoint point;
        point.rate = rate;
        for (const Job& job : jobs)
          if (job.ran && job.info.rate == rate) point.runs.push_back(job.scored);
        if (!point.runs.empty()) pass.points.push_back(point);
      }
      if (cancelled) {
        out.status = RunStatus::Cancelled, out.error = "stopped by the user", stop = true;
        for (const Job& job : jobs)
          if (job.ran && job.scored.status == RunStatus::Cancelled && !job.scored.error.empty()) out.error = job.scored.error;
      }
      pass.choice = chooseRate(pass.points);
      if (cb.onRound) cb.onRound(pass);
      if (stop) break;
      if (pass.choice.best < 0) {
        std::string first;
        for (const auto& p : pass.points)
          for (const auto& r : p.runs)
            if (first.empty() && !r.error.empty()) first = r.error;
        out.status = RunStatus::Failed;
        out.error = "no " + pass.rateName + " of the grid finished every seed" + (first.empty() ? "" : ": " + first);
        stop = true;
        break;
      }
      if (!pass.choice.onEdge()) break;
      if (pass.widenings >= q.maxWidenings) {
        pass.stoppedOnEdge = true;
        break;
      }
      const bool low = pass.choice.bestOnLowEdge;
      const double edge = pass.choice.points[size_t(pass.choice.best)].rate;
      pending.clear();
      for (int step : {1, 2}) {
        const double r = halfDecadeStep(edge, low ? -step : step);
        if (!contains(tried, r) && !contains(pending, r) && rateInRange(current.method, pass.rateName, r))
          pending.push_back(r);
      }
      if (pending.empty()) {  // the edge is the knob's range limit (lr_factor 1): nothing lies beyond it
        pass.stoppedAtLimit = true;
        break;
      }
      ++pass.widenings;
      planned += int(pending.size()) * q.seeds;
    }
    const bool complete = out.status == RunStatus::Finished;
    if (complete) setRate(current, pass.rateName, pass.chosenRate());
    out.passes.push_back(std::move(pass));
    if (!complete) break;
  }
  out.tuned = current;
  out.tuned.adapterDir = q.base.adapterDir;
  return out;
}

}  // namespace pw
