// The method help pane (see method_help.h).
#include "method_help.h"

#include <QLocale>
#include <QScrollBar>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "core_facts.h"
#include "method_colors.h"
#include "methods/catalog.h"
#include "run_labels.h"
#include "util/error_text.h"

namespace pw::ui {
namespace {

// tests/data/configs/roberta-large.json, verbatim (a test checks they agree).
const char* kRobertaLarge = R"({
  "architectures": ["RobertaForMaskedLM"],
  "attention_probs_dropout_prob": 0.1,
  "bos_token_id": 0,
  "eos_token_id": 2,
  "hidden_act": "gelu",
  "hidden_dropout_prob": 0.1,
  "hidden_size": 1024,
  "initializer_range": 0.02,
  "intermediate_size": 4096,
  "layer_norm_eps": 1e-05,
  "max_position_embeddings": 514,
  "model_type": "roberta",
  "num_attention_heads": 16,
  "num_hidden_layers": 24,
  "pad_token_id": 1,
  "type_vocab_size": 1,
  "vocab_size": 50265
})";

QString count(qint64 n) { return QLocale(QLocale::English).toString(n); }

QString percentText(double p) { return QString::number(p, 'f', p >= 10 ? 1 : p >= 0.1 ? 2 : p >= 0.01 ? 3 : 4); }

QString knobText(const MethodInfo& m, const nlohmann::json& knobs) {
  if (m.name == "lora") {
    QStringList targets;
    const nlohmann::json t = knobs.value("targets", nlohmann::json());
    if (t.is_string()) targets << QString::fromStdString(t.get<std::string>());
    if (t.is_array())
      for (const auto& item : t) targets << QString::fromStdString(item.is_string() ? item.get<std::string>() : item.dump());
    return knobSummary("lora", knobs) + " on " + targets.join(",");
  }
  if (m.name == "adapter")
    return knobSummary("adapter", knobs) + ", " + QString::fromStdString(knobs.value("adapter_kind", std::string("houlsby")));
  if (m.name == "prefix" && knobs.value("reparam", 0) > 0)
    return knobSummary("prefix", knobs) + QString(", MLP %1").arg(knobs.value("reparam", 0));
  return knobSummary(QString::fromStdString(m.name), knobs);
}

QList<LargeModelRow> buildTable() {
  const ModelConfig config = largeReferenceConfig();
  const qint64 d = config.hidden, L = config.layers;
  QList<LargeModelRow> rows;
  for (const MethodInfo& m : methodCatalog()) {
    nlohmann::json knobs = nlohmann::json::object();
    for (const auto& k : m.knobs) knobs[k.key] = k.defaultValue;
    if (m.name == "prompt") knobs["init"] = "random";  // the count does not depend on it; no tokenizer here
    const ParamBreakdown b = parameterBudget(config, m.name, knobs, 2);
    LargeModelRow row;
    row.method = QString::fromStdString(m.name);
    row.knobs = knobText(m, knobs);
    row.trainable = b.trainable - b.head;
    row.total = b.total;
    row.percent = 100.0 * double(row.trainable) / double(b.total);
    if (m.name == "prompt")
      row.correction = QString("A popular slide says 15K: that is k x d for d = 768 (%1); at d = 1024 it is %2.")
                           .arg(count(20 * 768), count(row.trainable));
    if (m.name == "bitfit")
      row.correction = QString("A popular slide says 0.32M: that also counts the %1 LayerNorm gains (%2 x %3 = %4), "
                               "which BitFit leaves frozen; the biases alone are %5.")
                           .arg(2 * L + 1).arg(2 * L + 1).arg(d).arg(count((2 * L + 1) * d))
                           .arg(count(row.trainable));
    rows << row;
  }
  return rows;
}

}  // namespace

ModelConfig largeReferenceConfig() { return ModelConfig::fromJson(nlohmann::json::parse(kRobertaLarge), "roberta-large"); }

const QList<LargeModelRow>& largeModelTable() {
  static const QList<LargeModelRow> rows = buildTable();
  return rows;
}

QString papersReport(const QString& method) {
  if (method == "lp")
    return "Kumar et al. (ICLR 2022), over ten distribution-shift datasets: linear probing is on average about 2% "
           "worse than full fine-tuning in distribution (ID) but about 7% better out of distribution (OOD), because "
           "the frozen pretrained features are not distorted. A lecture example (news classification, ID vs other "
           "publishers): LP 82.9 / 66.2 against FT 85.1 / 59.3 (ID / OOD accuracy).";
  if (method == "ft")
    return "The reference every other method is measured against. Kumar et al. (ICLR 2022): about 2% better than "
           "linear probing ID but about 7% worse OOD, since the randomly initialised head is learned while the lower "
           "layers change and distort the pretrained features. Hu et al. (LoRA) report GLUE averages of 86.4 for "
           "RoBERTa-base (125M trainable) and 88.9 for RoBERTa-large.";
  if (method == "lp-ft")
    return "Kumar et al. (ICLR 2022): about 1% better ID and about 10% better OOD than fine-tuning, over ten "
           "distribution-shift datasets. A good head first means fine-tuning needs to change the features less. "
           "Lecture example (news, ID vs other publishers): LP-FT 85.7 / 68.9 against FT 85.1 / 59.3 and "
           "LP 82.9 / 66.2 (ID / OOD accuracy).";
  if (method == "prompt")
    return "Lester et al.: trained on SQuAD, prompt tuning beats model tuning out of distribution on TextbookQA "
           "(66.8 vs 54.3 F1) while matching it in distribution (94.8 vs 94.9). Lengths 1, 5, 20, 100 and 150 were "
           "tried: gains flatten beyond about 20 tokens. Initialising from the class-label words works best, random "
           "uniform worst.";
  if (method == "prefix")
    return "Li & Liang: on WebNLG's unseen categories (BLEU) fine-tuning scores 27.7, adapters with 3% of the "
           "parameters 48.3 and prefix tuning with 0.1% 45.6: the frozen model generalises better. Optimising the "
           "prefix directly is unstable, so they train it through an MLP (hidden 512 or 800) and keep only the "
           "produced prefix.";
  if (method == "adapter")
    return "Houlsby et al.: within 0.4 points of full fine-tuning on GLUE with 3.6% of the parameters. Hu et al. "
           "(LoRA) on RoBERTa-large: Pfeiffer adapters (3.0M) 88.4 and Houlsby adapters (6.0M) 87.8 against full "
           "fine-tuning's 88.9. Adapters sit in the forward pass: 20-30% more latency at batch size 1 (GPT-2 "
           "medium, sequence 128).";
  if (method == "lora")
    return "Hu et al.: GLUE average on RoBERTa-base FT (125M) 86.4, BitFit (0.1M) 85.2, LoRA (0.3M) 87.2; on "
           "RoBERTa-large FT 88.9, LoRA (0.8M) 89.0, Pfeiffer adapters (3.0M) 88.4, Houlsby adapters (6.0M) 87.8. "
           "B A merges into W after training, so LoRA adds no inference latency.";
  if (method == "bitfit")
    return "Ben Zaken et al.: training only the biases, 0.08% of BERT-large's parameters, is competitive with full "
           "fine-tuning on small-data GLUE tasks. Hu et al. report a GLUE average of 85.2 for BitFit (0.1M) on "
           "RoBERTa-base against 86.4 for full fine-tuning.";
  if (method == "ia3")
    return "Liu et al. (2022) introduced IA3 for few-shot fine-tuning: three learned vectors per layer rescale the "
           "keys, the values and the feed-forward activation. It trains fewer parameters than any other "
           "weight-side method here, and, like LoRA, the scales can be folded into the weights after training.";
  return QString();
}

QString methodHelpHtml(const QString& method, const nlohmann::json& knobs) {
  const MethodInfo* info = nullptr;
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
      nlohmann::json counted = current;
      if (method == "prompt") counted["init"] = "random";
      const ParamBreakdown b = parameterBudget(big, info->name, counted, 2);
      html += QString("<p>With your knobs (%1): <b>%2</b> (%3%).</p>")
                  .arg(knobText(*info, current).toHtmlEscaped(), count(b.trainable - b.head),
                       percentText(100.0 * double(b.trainable - b.head) / double(b.total)));
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
