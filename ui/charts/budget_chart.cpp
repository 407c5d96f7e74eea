// The parameter budget chart (see budget_chart.h).
#include "budget_chart.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

#include "chart_style.h"
#include "export.h"
#include "method_colors.h"
#include "run_labels.h"

namespace pw::ui {

int64_t groupCount(const ParamBreakdown& p, const QString& group) { return p.group(group.toStdString()); }

BudgetChart::BudgetChart(const QString& title, bool compact, QWidget* parent) : QCustomPlot(parent), compact_(compact) {
  styleChart(this);
  addChartTitle(this, title);
  xAxis->setScaleType(QCPAxis::stLogarithmic);
  auto log = QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog);
  log->setSubTickCount(compact ? 0 : 8);
  xAxis->setTicker(log);
  xAxis->setNumberFormat("eb");  // 10^4 style: short and exact on a log axis
  xAxis->setNumberPrecision(0);
  xAxis->setLabel(compact ? "trainable parameters (log)" : "trainable parameters (log scale)");
  yAxis->setRangeReversed(true);  // the first entry on top
  yAxis->grid()->setVisible(false);
  yAxis->setTickLength(0, 0);
  yAxis->setSubTicks(false);
  if (compact) placeLegendBelow(this, 3);
  else placeLegendRight(this);
  legend->setVisible(false);
  hint_ = makeHint(this, "No methods checked.");
  installExportMenu(this, compact ? "planned-parameters" : "parameters");
  setEntries({});
}

void BudgetChart::setHint(const QString& text) {
  hint_->setText(text);
  replot(rpQueuedReplot);
}

double BudgetChart::drawnTotal(int i) const {
  double sum = 0;
  for (QCPBars* b : bars_) {
    auto it = b->data()->findBegin(i + 1 - 0.1, false);
    if (it != b->data()->constEnd() && std::abs(it->key - (i + 1)) < 1e-9) sum += it->value;
  }
  return sum;
}

QString BudgetChart::labelText(int i) const {
  const ParamBreakdown& p = entries_.at(i).params;
  const QString count = compact_ ? shortCount(double(p.trainable)) : QLocale().toString(qlonglong(p.trainable));
  const int decimals = p.percent >= 10 ? 1 : p.percent >= 0.1 ? 2 : 3;
  return QString("%1 (%2%)").arg(count).arg(p.percent, 0, 'f', decimals);
}

void BudgetChart::setEntries(const QList<BudgetEntry>& entries) {
  entries_ = entries;
  clearPlottables();
  for (QCPAbstractItem* item : items_) removeItem(item);
  items_.clear();
  labels_.clear();
  bars_.clear();

  auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
  double minTotal = 0, maxTotal = 0;
  for (int i = 0; i < entries_.size(); ++i) {
    ticker->addTick(i + 1, entries_[i].label);
    const double t = double(entries_[i].params.trainable);
    if (t > 0) {
      minTotal = minTotal == 0 ? t : std::min(minTotal, t);
      maxTotal = std::max(maxTotal, t);
    }
  }
  yAxis->setTicker(ticker);
  yAxis->setRange(0.4, std::max<int>(1, entries_.size()) + 0.6);

  QCPBars* below = nullptr;
  for (const QString& group : parameterGroups()) {
    bool present = false;
    for (const auto& e : entries_) present |= groupCount(e.params, group) > 0;
    if (!present) continue;
    auto* bars = new QCPBars(yAxis, xAxis);  // horizontal: the key axis is the vertical one
    bars->setName(compact_ ? parameterGroupShortTitle(group) : parameterGroupTitle(group));
    bars->setWidth(0.62);
    bars->setPen(QPen(parameterGroupColor(group).darker(125), 0.8));
    bars->setBrush(parameterGroupColor(group));
    bars->setBaseValue(0);
    // Zero counts get no bar at all (a zero-width bar would still draw its outline as a stray tick).
    for (int i = 0; i < entries_.size(); ++i)
      if (const int64_t n = groupCount(entries_[i].params, group); n > 0) bars->addData(i + 1, double(n));
    if (below) bars->moveAbove(below);
    below = bars;
    bars_ << bars;
  }

  lower_ = minTotal > 0 ? std::pow(10.0, std::floor(std::log10(minTotal)) - 1) : 1.0;
  span_ = maxTotal > lower_ ? std::log10(maxTotal / lower_) : 1.0;

  for (int i = 0; i < entries_.size(); ++i) {
    // A swatch in the method's colour at the left edge ties the bar to the method everywhere else.
    auto* swatch = new QCPItemRect(this);
    swatch->topLeft->setTypeX(QCPItemPosition::ptAxisRectRatio);
    swatch->bottomRight->setTypeX(QCPItemPosition::ptAxisRectRatio);
    swatch->topLeft->setCoords(0.0, i + 1 - 0.31);
    swatch->bottomRight->setCoords(0.012, i + 1 + 0.31);
    const QColor c = methodColor(entries_[i].method);
    swatch->setPen(QPen(c));
    swatch->setBrush(c);
    items_ << swatch;

    auto* text = new QCPItemText(this);
    // placed in updateRange
    text->setText(labelText(i));
    QFont f = font();
    f.setPointSizeF(8 * chartFontScale());
    text->setFont(f);
    text->setColor(QColor(40, 40, 40));
    text->setClipToAxisRect(true);
    items_ << text;
    labels_ << text;
  }
  hint_->setVisible(entries_.isEmpty());
  legend->setVisible(!bars_.isEmpty());
  updateRange();
  replot(rpQueuedReplot);
}

void BudgetChart::updateRange() {
  // As wide as the labels need at this width, but never more than one decade past the longest bar (issue
  // #20: a 6.4M-parameter model's axis ran to 10^10 in the narrow panel, half its width empty).
  QFont f = font();
  f.setPointSizeF(8 * chartFontScale());
  const QFontMetrics labelMetrics(f), tickMetrics(yAxis->tickLabelFont());
  int labelPx = 0, tickPx = 0;
  for (int i = 0; i < entries_.size(); ++i) {
    labelPx = std::max(labelPx, labelMetrics.horizontalAdvance(labelText(i)));
    tickPx = std::max(tickPx, tickMetrics.horizontalAdvance(entries_[i].label));
  }
  const int legendPx = compact_ || !legend->visible() ? 0 : legend->minimumOuterSizeHint().width();
  const double rectPx = std::max(60, width() - tickPx - legendPx - 40);
  const double fraction = std::clamp((rectPx - labelPx - 14) / rectPx, 0.3, 0.92);
  xAxis->setRange(lower_, lower_ * std::pow(10.0, std::min(span_ / fraction, span_ + 1)));
  // Past the bar's end where the row has room, else inside its end on a pale box.
  const double right = xAxis->range().upper;
  labelInside_ = QList<bool>(labels_.size(), false);
  for (int i = 0; i < labels_.size(); ++i) {
    QCPItemText* text = labels_[i];
    const double end = std::max(lower_, double(entries_[i].params.trainable));
    const double roomPx = rectPx * std::log10(right / end) / std::log10(right / lower_);
    const bool inside = roomPx < labelMetrics.horizontalAdvance(text->text()) + 10;
    text->position->setCoords(end, i + 1);
    text->setPositionAlignment((inside ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    text->setPadding(inside ? QMargins(2, 0, 4, 0) : QMargins(5, 0, 2, 0));
    text->setBrush(inside ? QBrush(QColor(255, 255, 255, 215)) : Qt::NoBrush);
    labelInside_[i] = inside;
  }
}

bool BudgetChart::labelInsideBar(int i) const { return labelInside_.value(i, false); }

void BudgetChart::resizeEvent(QResizeEvent* event) {
  updateRange();
  QCustomPlot::resizeEvent(event);
}

}  // namespace pw::ui
