// The method help pane (see method_help.h).
#include "method_help.h"

#include <QFile>
#include <QLocale>
#include <QScrollBar>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "core_facts.h"
#include "method_colors.h"
#include "methods/catalog.h"
#include "methods/knob_label.h"
#include "run_labels.h"
#include "util/error.h"
#include "util/error_text.h"

namespace pw::ui {
namespace {

QString count(qint64 n) { return QLocale(QLocale::English).toString(n); }

QString percentText(double p) { return QString::number(p, 'f', p >= 10 ? 1 : p >= 0.1 ? 2 : p >= 0.01 ? 3 : 4); }

QString knobText(const MethodDescriptor& m, const nlohmann::json& knobs) {
  return QString::fromStdString(knobLabel(m.name, knobs, KnobLabel::All));
}

QList<LargeModelRow> buildTable() {
  const ModelConfig config = largeReferenceConfig();
  QList<LargeModelRow> rows;
  for (const MethodDescriptor& m : methodCatalog()) {
    const nlohmann::json knobs = defaultKnobs(m);
    const ParamBreakdown b = parameterBudget(config, m.name, knobs, 2);
    LargeModelRow row;
    row.method = QString::fromStdString(m.name);
    row.knobs = knobText(m, knobs);
    row.trainable = b.trainable - b.head();
    row.total = b.total;
    row.percent = 100.0 * double(row.trainable) / double(b.total);
    if (m.countNote) row.correction = QString::fromStdString(m.countNote(config, row.trainable));
    rows << row;
  }
  return rows;
}

}  // namespace

// RoBERTa-large's config.json, the same file the parameter-count tests read (tests/data/configs), built into the
// program as a Qt resource (ui/CMakeLists.txt).
ModelConfig largeReferenceConfig() {
  QFile f(":/reference/roberta-large.json");
  if (!f.open(QIODevice::ReadOnly)) throw Error("the built-in RoBERTa-large config is missing from the program");
  return ModelConfig::fromJson(nlohmann::json::parse(f.readAll().toStdString()), "roberta-large");
}

const QList<LargeModelRow>& largeModelTable() {
  static const QList<LargeModelRow> rows = buildTable();
  return rows;
}

QString papersReport(const QString& method) {
  for (const auto& m : methodCatalog())
    if (QString::fromStdString(m.name) == method) return QString::fromStdString(m.papers);
  return QString();
}

QString methodHelpHtml(const QString& method, const nlohmann::json& knobs) {
  const MethodDescriptor* info = nullptr;
  for (const auto& m : methodCatalog())
    if (QString::fromStdString(m.name) == method) info = &m;
  if (!info) return QString("<p>No help for '%1'.</p>").arg(method.toHtmlEscaped());
  const QColor colour = methodColor(method);
  QString html = QString("<h3 style='color:%1; margin-bottom:2px'>%2</h3>")
                     .arg(colour.darker(115).name(), QString::fromStdString(info->title).toHtmlEscaped());
  html += QString("<p style='margin-top:0'><i>%1</i></p>").arg(QString::fromStdString(info->formula).toHtmlEscaped());
  html += "<p>" + methodHelpParagraph(method).toHtmlEscaped() + "</p>";
  if (!info->knobs.empty()) {
    html += "<p><b>Knobs</b></p><ul style='margin-top:0'>";
    for (const auto& k : info->knobs)
      html += QString("<li><b>%1</b>: %2</li>").arg(QString::fromStdString(k.label).toHtmlEscaped(),
                                                     QString::fromStdString(k.help).toHtmlEscaped());
    html += "</ul>";
  }
  html += "<p><b>What the papers report.</b> " + papersReport(method).toHtmlEscaped() + "</p>";

  const QList<LargeModelRow>& rows = largeModelTable();
  const ModelConfig big = largeReferenceConfig();
  html += QString("<p><b>Trainable parameters at %1 layers x %2 (RoBERTa-large's shape, %3 parameters with a "
                  "2-class head)</b>, beside the head, computed exactly; default knobs:</p>")
              .arg(big.layers).arg(big.hidden).arg(count(rows.isEmpty() ? 0 : rows.first().total));
  html += "<table cellspacing='0' cellpadding='2' width='100%'>"
          "<tr><th align='left'>method</th><th align='left'>knobs</th><th align='right'>trainable</th>"
          "<th align='right'>%</th></tr>";
  QStringList corrections;
  for (const LargeModelRow& r : rows) {
    const bool current = r.method == method;
    const QString style = current ? QString(" style='background:%1; font-weight:bold'").arg(colour.lighter(175).name()) : "";
    html += QString("<tr%1><td>%2</td><td>%3</td><td align='right'>%4</td><td align='right'>%5</td></tr>")
                .arg(style, methodShortTitle(r.method).toHtmlEscaped(), r.knobs.toHtmlEscaped(), count(r.trainable),
                     percentText(r.percent));
    if (!r.correction.isEmpty()) corrections << methodShortTitle(r.method) + ": " + r.correction;
  }
  html += "</table>";
  // The selected method with the knobs as they are now, when they differ from the defaults.
  nlohmann::json defaults = nlohmann::json::object(), current = nlohmann::json::object();
  for (const auto& k : info->knobs) {
    defaults[k.key] = k.defaultValue;
    current[k.key] = knobs.is_object() && knobs.contains(k.key) ? knobs.at(k.key) : k.defaultValue;
  }
  if (current != defaults) {
    try {
      const ParamBreakdown b = parameterBudget(big, info->name, current, 2);
      html += QString("<p>With your knobs (%1): <b>%2</b> (%3%).</p>")
                  .arg(knobText(*info, current).toHtmlEscaped(), count(b.trainable - b.head()),
                       percentText(100.0 * double(b.trainable - b.head()) / double(b.total)));
    } catch (const std::exception& e) {
      html += "<p>With your knobs: " + QString::fromStdString(pw::errorText(e)).toHtmlEscaped() + "</p>";
    }
  }
  if (!corrections.isEmpty())
    html += "<p style='color:#555'><b>Corrected figures.</b> " + corrections.join(" ").toHtmlEscaped() + "</p>";
  return html;
}

MethodHelpPane::MethodHelpPane(QWidget* parent) : QWidget(parent) {
  browser_ = new QTextBrowser();
  browser_->setOpenLinks(false);
  browser_->setFrameShape(QFrame::NoFrame);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 4);
  layout->addWidget(browser_);
}

void MethodHelpPane::setMethod(const QString& method, const nlohmann::json& knobs) {
  const QString html = methodHelpHtml(method, knobs);
  const bool sameMethod = method == method_;
  method_ = method;
  if (html == html_) return;
  html_ = html;
  const int scroll = browser_->verticalScrollBar()->value();  // a knob moved: keep the reader's place
  browser_->setHtml(html);
  if (sameMethod) browser_->verticalScrollBar()->setValue(scroll);
}

QString MethodHelpPane::text() const { return browser_->toPlainText(); }

}  // namespace pw::ui
