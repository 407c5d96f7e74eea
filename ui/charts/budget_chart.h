// The parameter budget: trainable parameters per method (or per run) as horizontal bars on a log axis,
// stacked by where they live (head, biases, IA3 scales, LayerNorms, prompt, prefix, LoRA, adapters,
// backbone), each labelled with its count and its percentage of the whole model.
#pragma once
#include <QList>
#include <QString>
#include "qcp.h"

#include "methods/param_breakdown.h"

namespace pw::ui {

struct BudgetEntry {
  QString label;   // the bar's name ("LoRA r=8")
  QString method;  // for its colour swatch
  ParamBreakdown params;
};

class BudgetChart : public QCustomPlot {
  Q_OBJECT
 public:
  // `compact`: the small version in the experiment panel (legend below, short count labels).
  BudgetChart(const QString& title, bool compact, QWidget* parent = nullptr);

  void setEntries(const QList<BudgetEntry>& entries);
  const QList<BudgetEntry>& entries() const { return entries_; }
  bool labelInsideBar(int i) const;  // where updateRange put entry i's count label
  // The count the stacked bars of entry `i` add up to (what the chart draws), for tests.
  double drawnTotal(int i) const;
  QString labelText(int i) const;  // the count / percent text beside bar i
  void setHint(const QString& text);

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  // Fits the log axis to the bars (at most one decade past the longest) and puts each count label just
  // past its bar's end, or inside the bar's end when the rest of the row is too narrow for it.
  void updateRange();

  QList<BudgetEntry> entries_;
  QList<QCPBars*> bars_;
  QList<QCPAbstractItem*> items_;
  QList<QCPItemText*> labels_;  // the count label of each entry (also in items_)
  QList<bool> labelInside_;      // per entry: updateRange put its label inside the bar's end
  QCPItemText* hint_ = nullptr;
  bool compact_;
  double lower_ = 1, span_ = 1;  // log axis: left end and decades the longest bar spans
};

// One group's count in a breakdown ("head", "lora", ...; see method_colors.h's parameterGroups()).
int64_t groupCount(const ParamBreakdown& p, const QString& group);

}  // namespace pw::ui
