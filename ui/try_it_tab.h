// The Try it tab: type a sentence and every finished run in the runs table (or the selected runs) shows
// its class probabilities side by side, one small horizontal bar chart per run in the run's method colour
// with the top class highlighted, updated as you type (300 ms after the last key). The runs come back from
// their saved method state (SavedRun on each run's adapter folder, loaded lazily and cached per folder), on
// a pool thread, never on the GUI thread and never through the trainer's worker; so it works after a
// restart. Runs without saved state say so.
#pragma once
#include <QFutureWatcher>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <memory>
#include <string>

class QCustomPlot;
class QGridLayout;
class QLabel;
class QLineEdit;
class QScrollArea;

namespace pw::ui {

class RunsPanel;

// What a card needs to know about a run.
struct TryItRun {
  qint64 id = 0;
  QString label, method;
  QString adapterDir;  // "" if the run kept no method state
  std::string config;  // the run's TrainConfig as JSON text
  QString note;        // why it cannot predict ("" when it can)
};

struct TryItPrediction {
  qint64 id = 0;
  QString text;  // the sentence these probabilities are for
  QStringList classes;
  QVector<double> probabilities;  // sums to 1
  QString error;
};

class SavedRunCache;  // loaded SavedRuns by adapter folder (thread-safe), see try_it_tab.cpp

class TryItTab : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kMaxRuns = 16;  // each loaded run holds a copy of its base model

  explicit TryItTab(RunsPanel* runs, QWidget* parent = nullptr);
  ~TryItTab() override;

  void setText(const QString& text);  // as if typed (debounced like typing)
  QString text() const;
  QLineEdit* input() const { return input_; }
  QList<qint64> shownRunIds() const;
  QString cardNote(qint64 id) const;  // what a card without probabilities says
  // The latest probabilities of a shown run (for text() once predictionsReady has been emitted).
  TryItPrediction prediction(qint64 id) const { return predictions_.value(id); }
  QString statusText() const;
  bool isBusy() const { return typing_.isActive() || watcher_.isRunning() || pending_; }
  void clearCache();  // the results database changed: run ids and folders mean other runs now

 Q_SIGNALS:
  void predictionsReady();  // every shown run has its probabilities (or error) for the current text

 protected:
  void showEvent(QShowEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  struct Card {
    QWidget* frame = nullptr;
    QLabel* header = nullptr;
    QLabel* note = nullptr;
    QCustomPlot* plot = nullptr;
  };
  void refreshRuns();
  void rebuildCards();
  void layoutCards();
  void predict();
  void onResult(int index);
  void onFinished();
  void showPrediction(const TryItRun& run, Card& card);

  RunsPanel* runs_ = nullptr;
  QLineEdit* input_ = nullptr;
  QLabel* status_ = nullptr;
  QScrollArea* scroll_ = nullptr;
  QWidget* cardsHost_ = nullptr;
  QGridLayout* grid_ = nullptr;
  int columns_ = 0;
  QList<TryItRun> runList_;
  QMap<qint64, Card> cards_;
  QHash<qint64, TryItPrediction> predictions_;
  std::shared_ptr<SavedRunCache> cache_;
  QFutureWatcher<TryItPrediction> watcher_;
  QTimer typing_, runsTimer_;
  QString jobText_, runsStatus_;
  qint64 jobStartedMs_ = 0, lastJobMs_ = -1;
  int generation_ = 0, jobGeneration_ = 0;  // clearCache() makes a running job's results stale
  bool pending_ = false, runsDirty_ = true;
};

}  // namespace pw::ui
