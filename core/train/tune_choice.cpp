// The pure half of the tuner (see tune.h): scoring a run from its validation metrics, the selection rule,
// the half-decade grid, rate names and the result's JSON / CSV. No training here.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "methods/catalog.h"
#include "methods/default_rates.h"
#include "util/stats.h"
#include "train/tune.h"
#include "util/error.h"

namespace pw {

TuneSeedRun scoreRun(uint64_t seed, int64_t runId, RunStatus status, const std::string& error,
                     const SplitMetrics& validation) {
  TuneSeedRun s;
  s.seed = seed;
  s.runId = runId;
  s.status = status;
  s.error = error;
  if (status == RunStatus::Finished && validation.accuracy >= 0) {
    s.validationAccuracy = validation.accuracy;
  } else if (status == RunStatus::Finished) {  // a task without a validation split cannot be tuned on
    s.status = RunStatus::Failed;
    s.error = "the run reported no validation accuracy (the task needs a validation split)";
  }
  return s;
}

MeanSe meanSe(const std::vector<double>& values) {
  const MeanStd ms = meanStd(values);  // one mean / sample std for the whole project (util/stats.h)
  MeanSe m;
  m.n = ms.n;
  m.mean = ms.mean;
  m.se = ms.n > 1 ? ms.std / std::sqrt(double(ms.n)) : 0.0;
  return m;
}

namespace {

bool sameRate(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)); }

constexpr double kEps = 1e-12;  // accuracies are fractions of whole examples; this only absorbs rounding

}  // namespace

RateChoice chooseRate(const std::vector<TunePoint>& input) {
  std::vector<TunePoint> points;
  for (const auto& p : input) {
    auto it = std::find_if(points.begin(), points.end(), [&](const TunePoint& q) { return sameRate(q.rate, p.rate); });
    if (it == points.end()) points.push_back(p);
    else it->runs.insert(it->runs.end(), p.runs.begin(), p.runs.end());
  }
  std::sort(points.begin(), points.end(), [](const TunePoint& a, const TunePoint& b) { return a.rate < b.rate; });

  RateChoice c;
  for (const auto& p : points) {
    PointScore s;
    s.rate = p.rate;
    std::vector<double> values;
    for (const auto& r : p.runs) {
      if (r.status == RunStatus::Finished && r.validationAccuracy >= 0) values.push_back(r.validationAccuracy);
      else ++s.failed;
    }
    s.validation = meanSe(values);
    s.eligible = s.failed == 0 && s.validation.n > 0;
    c.points.push_back(s);
  }
  for (int i = 0; i < int(c.points.size()); ++i)
    if (c.points[size_t(i)].eligible &&
        (c.best < 0 || c.points[size_t(i)].validation.mean > c.points[size_t(c.best)].validation.mean + kEps))
      c.best = i;
  if (c.best < 0) return c;
  const MeanSe& best = c.points[size_t(c.best)].validation;
  c.threshold = best.mean - best.se;
  for (int i = 0; i <= c.best && c.chosen < 0; ++i)  // ascending rates: the first that qualifies is the smallest
    if (c.points[size_t(i)].eligible && c.points[size_t(i)].validation.mean >= c.threshold - kEps) c.chosen = i;
  c.bestOnLowEdge = c.best == 0;
  c.bestOnHighEdge = c.best == int(c.points.size()) - 1;
  return c;
}

std::string tuneRuleText(int maxWidenings) {
  return "score = mean validation accuracy over the seeds, with its standard error (sample standard deviation / "
         "sqrt(n)); ID-test and OOD accuracy are never read. A point counts only if every seed finished. Best = "
         "the highest mean; chosen = the SMALLEST rate whose mean is within one standard error of the best mean "
         "(mean >= best mean - best SE). " +
         (maxWidenings > 0
              ? "When the best point is the grid's smallest or largest rate, two more half-decade points are added "
                "beyond that edge, at most " +
                    std::to_string(maxWidenings) + " time" + (maxWidenings == 1 ? "" : "s") + "."
              : std::string("Widening is off: a best point on the grid's edge is reported as such."));
}

double halfDecadeStep(double rate, int halfDecades) {
  if (!(rate > 0) || !std::isfinite(rate)) throw Error("a learning rate must be positive, got " + std::to_string(rate));
  if (halfDecades == 0) return rate;
  const double v = rate * std::pow(10.0, halfDecades / 2.0);
  const double e = std::floor(std::log10(v));
  const double m = v / std::pow(10.0, e);  // [1, 10)
  for (double nice : {1.0, 3.0, 10.0})
    if (std::abs(m / nice - 1) <= 0.06) return nice * std::pow(10.0, e);
  return v;
}

std::vector<double> defaultTuneGrid(double centre, int points) {
  if (points < 2) throw Error("a tuning grid needs at least 2 points");
  std::vector<double> g;
  const int low = -(points - 1) / 2;
  for (int k = low; k < low + points; ++k) g.push_back(halfDecadeStep(centre, k));
  return g;
}

std::string rateText(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2e", rate);
  std::string s = buf;
  const auto e = s.find('e');
  if (e == std::string::npos) return s;
  std::string mant = s.substr(0, e), exp = s.substr(e + 1);
  if (mant.find('.') != std::string::npos) {
    while (mant.back() == '0') mant.pop_back();
    if (mant.back() == '.') mant.pop_back();
  }
  const bool negative = exp[0] == '-';
  exp = exp.substr(1);
  while (exp.size() > 1 && exp[0] == '0') exp.erase(0, 1);
  return mant + "e" + (negative ? "-" : "") + exp;
}

const std::vector<std::string>& tunableRates() {
  static const std::vector<std::string> r = {"lr", "head_lr"};
  return r;
}

std::vector<std::string> tunableRatesOf(const std::string& method) {
  std::vector<std::string> r = tunableRates();
  for (const TrainingStage& stage : methodDescriptor(method).plan)
    if (!stage.rateFactorKnob.empty() &&
        std::find(r.begin(), r.end(), stage.rateFactorKnob) == r.end())
      r.push_back(stage.rateFactorKnob);
  return r;
}

namespace {

// The knob behind a rate name of this method (LP-FT's lr_factor), or null for lr / head_lr.
const KnobSpec* factorKnob(const std::string& method, const std::string& rateName) {
  if (rateName == "lr" || rateName == "head_lr") return nullptr;
  const auto names = tunableRatesOf(method);
  if (std::find(names.begin(), names.end(), rateName) == names.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    throw Error("unknown rate '" + rateName + "' to tune for " + method + " (" + list + ")");
  }
  return methodDescriptor(method).knob(rateName);
}

}  // namespace

double rateOf(const TrainConfig& config, const std::string& rateName) {
  if (rateName == "lr") return config.effectiveLr();
  if (rateName == "head_lr") return config.effectiveHeadLr();
  const KnobSpec* k = factorKnob(config.method, rateName);
  const nlohmann::json knobs = withPresetFactors(config.method, config.preset, config.knobs);
  const auto it = knobs.find(rateName);
  return it != knobs.end() && it->is_number() ? it->get<double>() : k->defaultValue.get<double>();
}

void setRate(TrainConfig& config, const std::string& rateName, double value) {
  if (rateName == "lr") config.lr = value;
  else if (rateName == "head_lr") config.headLr = value;
  else {
    factorKnob(config.method, rateName);  // throws for an unknown name
    config.knobs[rateName] = value;
  }
}

bool rateInRange(const std::string& method, const std::string& rateName, double value) {
  if (!(value > 0) || !std::isfinite(value)) return false;
  const KnobSpec* k = factorKnob(method, rateName);
  return !k || (value > k->min && value <= k->max);
}

double TunePass::chosenRate() const {
  return choice.chosen >= 0 ? choice.points[size_t(choice.chosen)].rate : 0.0;
}

nlohmann::json TuneResult::toJson() const {
  nlohmann::json passesJson = nlohmann::json::array(), chosen = nlohmann::json::object();
  for (const auto& p : passes) {
    nlohmann::json pts = nlohmann::json::array();
    for (size_t i = 0; i < p.choice.points.size(); ++i) {
      const PointScore& s = p.choice.points[i];
      nlohmann::json runs = nlohmann::json::array();
      for (const auto& tp : p.points)
        if (sameRate(tp.rate, s.rate))
          for (const auto& r : tp.runs)
            runs.push_back({{"seed", r.seed}, {"run_id", r.runId}, {"status", statusName(r.status)},
                            {"validation_accuracy", r.validationAccuracy}, {"error", r.error}});
      pts.push_back({{"rate", s.rate}, {"n", s.validation.n}, {"failed", s.failed},
                     {"validation_mean", s.validation.n ? s.validation.mean : -1.0},
                     {"validation_se", s.validation.se}, {"eligible", s.eligible},
                     {"best", int(i) == p.choice.best}, {"chosen", int(i) == p.choice.chosen}, {"runs", runs}});
    }
    const int best = p.choice.best;
    passesJson.push_back({{"rate_name", p.rateName}, {"initial_grid", p.initialGrid}, {"points", pts},
                          {"widenings", p.widenings}, {"stopped_on_edge", p.stoppedOnEdge},
                          {"stopped_at_limit", p.stoppedAtLimit},
                          {"best_rate", best >= 0 ? p.choice.points[size_t(best)].rate : 0.0},
                          {"threshold", p.choice.threshold}, {"chosen_rate", p.chosenRate()}});
    if (p.chosenRate() > 0) chosen[p.rateName] = p.chosenRate();
  }
  return {{"status", statusName(status)}, {"error", error}, {"rule", rule}, {"passes", passesJson}, {"chosen", chosen},
          {"tuned_config", tuned.toJson()}};
}

std::string TuneResult::csv() const {
  std::ostringstream o;
  o << "pass,rate_name,rate,n,failed,validation_mean,validation_se,best,chosen,seeds,run_ids,validation_values\n";
  for (size_t k = 0; k < passes.size(); ++k) {
    const TunePass& p = passes[k];
    for (size_t i = 0; i < p.choice.points.size(); ++i) {
      const PointScore& s = p.choice.points[i];
      std::string seeds, ids, values;
      for (const auto& tp : p.points)
        if (sameRate(tp.rate, s.rate))
          for (const auto& r : tp.runs) {
            const std::string sep = seeds.empty() ? "" : ";";
            seeds += sep + std::to_string(r.seed);
            ids += sep + std::to_string(r.runId);
            std::ostringstream v;
            v << r.validationAccuracy;
            values += sep + v.str();
          }
      o << k + 1 << "," << p.rateName << "," << s.rate << "," << s.validation.n << "," << s.failed << ","
        << (s.validation.n ? s.validation.mean : -1.0) << "," << s.validation.se << "," << (int(i) == p.choice.best)
        << "," << (int(i) == p.choice.chosen) << "," << seeds << "," << ids << "," << values << "\n";
    }
  }
  return o.str();
}

}  // namespace pw
