// The method help pane: the selected method in a few sentences (the registry's paragraph, its knobs), what
// the papers report (docs/METHODS.md), and the parameter table for a 24-layer, 1024-wide model computed
// with parameterBudget on RoBERTa-large's config, so the figures are exact, with the corrections to the
// numbers a popular lecture slide gives.
#pragma once
#include <nlohmann/json.hpp>

#include <QList>
#include <QString>
#include <QWidget>

#include "models/config.h"

class QTextBrowser;

namespace pw::ui {

// RoBERTa-large's config.json (24 layers, d = 1024, f = 4096, V = 50265, P = 514, T = 1), built in so the
// table needs no file.
ModelConfig largeReferenceConfig();

struct LargeModelRow {
  QString method;
  QString knobs;           // "k=20", "m=64, houlsby", "r=8 on query,value", ""
  qint64 trainable = 0;    // beside the classification head (the head, 2 classes, is 2,050 more)
  qint64 total = 0;        // the whole model with a 2-class head
  double percent = 0;      // 100 * trainable / total
  QString correction;      // where a popular slide's figure differs and why ("" if none)
};
// Every method with its default knobs on largeReferenceConfig().
const QList<LargeModelRow>& largeModelTable();

QString papersReport(const QString& method);  // what the papers report, in a few sentences (plain text)
// The whole help text for `method` with `knobs` (HTML).
QString methodHelpHtml(const QString& method, const nlohmann::json& knobs);

class MethodHelpPane : public QWidget {
  Q_OBJECT
 public:
  explicit MethodHelpPane(QWidget* parent = nullptr);
  void setMethod(const QString& method, const nlohmann::json& knobs);
  QString method() const { return method_; }
  QString text() const;  // what it shows, as plain text (tests)

 private:
  QTextBrowser* browser_ = nullptr;
  QString method_, html_;
};

}  // namespace pw::ui
