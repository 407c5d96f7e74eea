// The Try it tab (see try_it_tab.h). Core headers before Qt's.
#include "train/saved_run.h"

#include "try_it_tab.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPromise>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include <algorithm>

#include "charts/chart_style.h"
#include "export.h"
#include "method_colors.h"
#include "qcp.h"
#include "run_labels.h"
#include "runs_panel.h"
#include "util/error_text.h"
#include "util/lru_cache.h"

namespace pw::ui {

// Loaded runs by adapter folder, least recently used dropped beyond the capacity. Loading happens outside
// the cache's lock; one prediction job runs at a time, so two threads never load the same folder.
class SavedRunCache {
 public:
  explicit SavedRunCache(size_t capacity) : runs_(capacity) {}

  std::shared_ptr<SavedRun> get(const TryItRun& run) {
    const std::string key = run.adapterDir.toStdString();
    if (auto hit = runs_.get(key)) return *hit;
    auto loaded = std::make_shared<SavedRun>(TrainConfig::fromJson(nlohmann::json::parse(run.config)), key);
    runs_.put(key, loaded);
    return loaded;
  }

  void clear() { runs_.clear(); }

 private:
  LruCache<std::string, std::shared_ptr<SavedRun>> runs_;
};

namespace {

constexpr int kMinCardWidth = 270;  // the cards share the row's width, at least this wide each

void predictAll(QPromise<TryItPrediction>& promise, std::shared_ptr<SavedRunCache> cache, QList<TryItRun> runs,
                QString text) {
  for (const TryItRun& run : runs) {
    if (promise.isCanceled()) return;
    TryItPrediction p;
    p.id = run.id;
    p.text = text;
    try {
      std::shared_ptr<SavedRun> saved = cache->get(run);
      const std::vector<std::vector<double>> probs = saved->probabilities({text.toStdString()});
      for (const auto& c : saved->classes()) p.classes << QString::fromStdString(c);
      p.probabilities = QVector<double>(probs.at(0).begin(), probs.at(0).end());
    } catch (const std::exception& e) {
      p.error = QString::fromStdString(pw::errorText(e));
    }
    promise.addResult(p);
  }
}

QString accuracyText(const results::RunRecord& r) {
  QStringList parts;
  if (r.idAccuracy >= 0) parts << QString("ID %1%").arg(100 * r.idAccuracy, 0, 'f', 1);
  if (r.oodAccuracy >= 0) parts << QString("OOD %1%").arg(100 * r.oodAccuracy, 0, 'f', 1);
  return parts.join(", ");
}

}  // namespace

TryItTab::TryItTab(RunsPanel* runs, QWidget* parent)
    : QWidget(parent), runs_(runs), cache_(std::make_shared<SavedRunCache>(size_t(kMaxRuns))) {
  auto* intro = new QLabel("Type a sentence: every finished run (or the runs selected in the table) shows its class "
                           "probabilities, from the method state it saved when it finished.");
  intro->setWordWrap(true);
  intro->setStyleSheet("color: #555;");
  input_ = new QLineEdit();
  input_->setPlaceholderText("e.g. A small mammal that lives in rivers and builds dams.");
  input_->setClearButtonEnabled(true);
  QFont big = input_->font();
  big.setPointSizeF(big.pointSizeF() * 1.3);
  input_->setFont(big);
  input_->setMinimumHeight(input_->sizeHint().height() + 6);
  status_ = new QLabel();
  status_->setStyleSheet("color: #555;");
  status_->setWordWrap(true);
  cardsHost_ = new QWidget();
  grid_ = new QGridLayout(cardsHost_);
  grid_->setContentsMargins(0, 0, 0, 0);
  grid_->setSpacing(8);
  grid_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  scroll_ = new QScrollArea();
  scroll_->setWidget(cardsHost_);
  scroll_->setWidgetResizable(true);
  scroll_->setFrameShape(QFrame::NoFrame);
  scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(intro);
  layout->addWidget(input_);
  layout->addWidget(status_);
  layout->addWidget(scroll_, 1);

  typing_.setSingleShot(true);
  typing_.setInterval(300);
  runsTimer_.setSingleShot(true);
  runsTimer_.setInterval(50);
  connect(input_, &QLineEdit::textChanged, this, [this] { typing_.start(); });
  connect(&typing_, &QTimer::timeout, this, &TryItTab::predict);
  connect(&runsTimer_, &QTimer::timeout, this, &TryItTab::refreshRuns);
  auto runsChanged = [this] {
    runsDirty_ = true;
    runsTimer_.start();
  };
  connect(runs_, &RunsPanel::selectionChanged, this, runsChanged);
  connect(runs_->model(), &QAbstractItemModel::modelReset, this, runsChanged);
  connect(&watcher_, &QFutureWatcher<TryItPrediction>::resultReadyAt, this, &TryItTab::onResult);
  connect(&watcher_, &QFutureWatcher<TryItPrediction>::finished, this, &TryItTab::onFinished);
  refreshRuns();
}

TryItTab::~TryItTab() {
  watcher_.cancel();
  watcher_.waitForFinished();
}

void TryItTab::setText(const QString& text) { input_->setText(text); }
QString TryItTab::text() const { return input_->text(); }

QList<qint64> TryItTab::shownRunIds() const {
  QList<qint64> ids;
  for (const auto& r : runList_) ids << r.id;
  return ids;
}

QString TryItTab::cardNote(qint64 id) const {
  for (const auto& r : runList_)
    if (r.id == id) return r.note.isEmpty() ? predictions_.value(id).error : r.note;
  return QString();
}

QString TryItTab::statusText() const { return status_->text(); }

void TryItTab::clearCache() {
  ++generation_;
  cache_->clear();
  predictions_.clear();
  runsDirty_ = true;
  runsTimer_.start();
}

void TryItTab::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (runsDirty_) runsTimer_.start();
}

void TryItTab::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  layoutCards();
}

// The runs to show: the selected rows, else every finished run; the newest kMaxRuns of them.
void TryItTab::refreshRuns() {
  if (!isVisible()) return;  // showEvent catches up: no loading for a tab nobody looks at
  runsDirty_ = false;
  const QList<qint64> selected = runs_->selectedRunIds();
  QList<TryItRun> list;
  int skipped = 0;
  const auto& all = runs_->model()->runs();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    const results::RunRecord& r = *it;
    if (selected.isEmpty() ? r.status != RunStatus::Finished : !selected.contains(r.id)) continue;
    if (list.size() >= kMaxRuns) {
      ++skipped;
      continue;
    }
    TryItRun run;
    run.id = r.id;
    run.method = QString::fromStdString(r.method);
    run.label = runLabel(r, r.seed != 1);
    run.adapterDir = QString::fromStdString(r.adapterDir);
    run.config = r.config.dump();
    if (r.status != RunStatus::Finished)
      run.note = QString("This run is %1: only finished runs keep their method state.").arg(statusName(r.status));
    else if (run.adapterDir.isEmpty())
      run.note = "This run kept no method state (trained before the workbench saved it, or by the command line "
                 "without --save-adapter), so it cannot classify new text.";
    else if (!QFileInfo(run.adapterDir + "/adapter_config.json").isFile())
      run.note = "Its saved method state is gone: " + run.adapterDir;
    list.prepend(run);  // oldest first, as in the table
  }
  QList<qint64> before = shownRunIds(), after;
  for (const auto& r : list) after << r.id;
  runList_ = list;
  QString status;
  if (list.isEmpty())
    status = selected.isEmpty() ? "No finished runs yet: train some methods, then try them here."
                                : "The selected runs cannot be shown.";
  else if (skipped > 0)
    status = QString("Showing the %1 newest runs (%2 more not shown): select rows in the runs table to choose.")
                 .arg(list.size()).arg(skipped);
  runsStatus_ = status;
  status_->setText(status);
  if (before != after) rebuildCards();
  predict();
}

void TryItTab::rebuildCards() {
  QMap<qint64, Card> kept;
  for (const TryItRun& run : runList_) {
    if (cards_.contains(run.id)) {
      kept.insert(run.id, cards_.take(run.id));
      continue;
    }
    Card card;
    auto* frame = new QFrame();
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setObjectName("tryItCard");
    frame->setStyleSheet("QFrame#tryItCard { background: white; border: 1px solid #d8d8d8; border-radius: 4px; }");
    auto* v = new QVBoxLayout(frame);
    v->setContentsMargins(8, 6, 8, 6);
    v->setSpacing(2);
    card.frame = frame;
    card.header = new QLabel();
    card.header->setTextFormat(Qt::RichText);
    const QColor colour = methodColor(run.method);
    const results::RunRecord* record = nullptr;
    const int row = runs_->model()->rowOfRun(run.id);
    if (row >= 0) record = &runs_->model()->run(row);
    const QString accuracy = record ? accuracyText(*record) : QString();
    card.header->setText(QString("<span style='color:%1; font-size:14pt'>&#9632;</span> <b>%2</b> "
                                 "<span style='color:#888'>#%3</span>%4")
                             .arg(colour.name(), run.label.toHtmlEscaped())
                             .arg(run.id)
                             .arg(accuracy.isEmpty() ? QString() : "<br><span style='color:#888'>test accuracy: " + accuracy + "</span>"));
    card.header->setToolTip(run.adapterDir.isEmpty() ? QString("No saved method state") : "Saved method state: " + run.adapterDir);
    card.note = new QLabel();
    card.note->setWordWrap(true);
    card.note->setStyleSheet("color: #777;");
    v->addWidget(card.header);
    v->addWidget(card.note);
    if (run.note.isEmpty()) {
      card.plot = new QCustomPlot();
      styleChart(card.plot);
      card.plot->setObjectName(QString("try-it-run-%1").arg(run.id));
      card.plot->setMinimumSize(200, 60);
      card.plot->xAxis->setVisible(false);
      card.plot->xAxis->setRange(0, 128);  // room for the percentage after a full bar
      card.plot->yAxis->setTicks(true);
      card.plot->yAxis->setTickLength(0, 0);
      card.plot->yAxis->setSubTicks(false);
      card.plot->yAxis->setBasePen(QPen(QColor(170, 170, 170)));
      card.plot->yAxis->grid()->setVisible(false);
      card.plot->axisRect()->setAutoMargins(QCP::msLeft);
      card.plot->axisRect()->setMargins(QMargins(0, 2, 2, 2));
      installExportMenu(card.plot, card.plot->objectName());
      v->addWidget(card.plot);
      card.note->setText("Loading its saved method state...");
    } else {
      card.note->setText(run.note);
    }
    kept.insert(run.id, card);
  }
  for (Card& stale : cards_) delete stale.frame;
  cards_ = kept;
  layoutCards();
}

void TryItTab::layoutCards() {
  // The scroll bar's width is always left free: cards that fit only without it would be cut when it appears.
  const int width = scroll_->width() - scroll_->verticalScrollBar()->sizeHint().width() - 2 * scroll_->frameWidth() - 2;
  const int columns = std::max(1, (width + grid_->spacing()) / (kMinCardWidth + grid_->spacing()));
  const int cardWidth = std::max(kMinCardWidth, (width - grid_->spacing() * (columns - 1)) / columns);
  for (Card& card : cards_) card.frame->setFixedWidth(cardWidth);
  QList<QWidget*> order;
  for (const TryItRun& run : runList_)
    if (cards_.contains(run.id)) order << cards_[run.id].frame;
  bool same = columns == columns_ && grid_->count() == order.size();
  for (int i = 0; same && i < order.size(); ++i) same = grid_->itemAt(i)->widget() == order[i];
  if (same) return;
  columns_ = columns;
  while (grid_->count() > 0) grid_->takeAt(0);
  for (int i = 0; i < order.size(); ++i) grid_->addWidget(order[i], i / columns, i % columns, Qt::AlignTop);
}

void TryItTab::predict() {
  typing_.stop();
  if (!isVisible()) {
    runsDirty_ = true;  // the next showEvent brings everything up to date
    return;
  }
  if (watcher_.isRunning()) {  // onFinished starts again with the newest text
    pending_ = true;
    return;
  }
  pending_ = false;
  const QString text = input_->text().trimmed();
  QList<TryItRun> todo;
  for (const TryItRun& run : runList_) {
    if (!run.note.isEmpty()) continue;
    const TryItPrediction& p = predictions_.value(run.id);
    if (p.id == run.id && p.text == text) {
      showPrediction(run, cards_[run.id]);
      continue;
    }
    todo << run;
  }
  if (text.isEmpty()) {
    for (const TryItRun& run : runList_)
      if (run.note.isEmpty() && cards_.contains(run.id)) showPrediction(run, cards_[run.id]);
    Q_EMIT predictionsReady();
    return;
  }
  if (todo.isEmpty()) {
    Q_EMIT predictionsReady();
    return;
  }
  jobText_ = text;
  jobGeneration_ = generation_;
  jobStartedMs_ = QDateTime::currentMSecsSinceEpoch();
  watcher_.setFuture(QtConcurrent::run(&predictAll, cache_, todo, text));
}

void TryItTab::onResult(int index) {
  if (jobGeneration_ != generation_) return;  // computed for the runs of another database
  const TryItPrediction p = watcher_.resultAt(index);
  predictions_[p.id] = p;
  for (const TryItRun& run : runList_)
    if (run.id == p.id && cards_.contains(p.id)) showPrediction(run, cards_[p.id]);
}

void TryItTab::onFinished() {
  lastJobMs_ = QDateTime::currentMSecsSinceEpoch() - jobStartedMs_;
  const bool stale = pending_ || jobText_ != input_->text().trimmed() || jobGeneration_ != generation_;
  if (stale) {
    predict();
    return;
  }
  status_->setText((runsStatus_.isEmpty() ? QString("%1 run(s).").arg(runList_.size()) : runsStatus_) +
                   QString(" The last update took %1 ms.").arg(lastJobMs_));
  Q_EMIT predictionsReady();
}

void TryItTab::showPrediction(const TryItRun& run, Card& card) {
  if (!card.plot) return;
  const QString text = input_->text().trimmed();
  const TryItPrediction p = predictions_.value(run.id);
  QCustomPlot* plot = card.plot;
  plot->clearPlottables();
  plot->clearItems();
  if (text.isEmpty()) {
    card.note->setText("Type a sentence above.");
    plot->setVisible(false);
    return;
  }
  if (!p.error.isEmpty()) {
    card.note->setText("Cannot use its saved state: " + p.error);
    plot->setVisible(false);
    return;
  }
  if (p.text != text || p.probabilities.isEmpty()) return;  // still computing: keep the old bars
  const int n = int(p.probabilities.size());
  const int top = int(std::max_element(p.probabilities.begin(), p.probabilities.end()) - p.probabilities.begin());
  const QColor colour = methodColor(run.method);
  card.note->setText(QString("Predicts <b>%1</b> (%2%)").arg(p.classes.value(top).toHtmlEscaped())
                         .arg(100 * p.probabilities[top], 0, 'f', 1));
  card.note->setTextFormat(Qt::RichText);
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  auto* others = new QCPBars(plot->yAxis, plot->xAxis);
  auto* best = new QCPBars(plot->yAxis, plot->xAxis);
  QColor pale = colour;
  pale.setAlpha(110);
  others->setBrush(pale);
  others->setPen(Qt::NoPen);
  best->setBrush(colour);
  best->setPen(QPen(colour.darker(150), 1.5));
  others->setWidth(0.7);
  best->setWidth(0.7);
  for (int i = 0; i < n; ++i) {
    const double key = n - i;  // the task's first class on top
    const double value = 100 * p.probabilities[i];
    (i == top ? best : others)->addData(key, value);
    QString name = p.classes.value(i);
    if (name.size() > 16) name = name.left(15) + QString::fromUtf8("\u2026");
    ticker->addTick(key, name);
    auto* label = new QCPItemText(plot);
    label->position->setCoords(value + 2, key);
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    label->setText(QString::number(value, 'f', value >= 99.95 || value < 0.05 ? 0 : 1) + "%");
    QFont f = label->font();
    f.setPointSizeF(8 * chartFontScale());
    f.setBold(i == top);
    label->setFont(f);
    label->setColor(i == top ? colour.darker(150) : QColor(90, 90, 90));
    label->setClipToAxisRect(false);
  }
  plot->yAxis->setTicker(ticker);
  plot->yAxis->setRange(0.4, n + 0.6);
  plot->setFixedHeight(std::max(60, 20 * n + 12));
  plot->setVisible(true);
  plot->replot();
}

}  // namespace pw::ui
