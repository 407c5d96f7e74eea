// The Architecture tab (see architecture_tab.h). Core headers before Qt's.
#include "methods/architecture_map.h"

#include "architecture_tab.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QLocale>
#include <QMap>
#include <QScrollArea>
#include <QShowEvent>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include <tuple>

#include "charts/chart_style.h"
#include "core_facts.h"
#include "experiment_panel.h"
#include "export.h"
#include "method_colors.h"
#include "qcp.h"
#include "util/error_text.h"

namespace pw::ui {
namespace {

// Columns in diagram units: the main column, the soft prompt to the left of the embeddings, the prefix
// keys/values to the right of W_q/W_k/W_v, the counts in a column of their own on the right.
constexpr double kMainLeft = 24, kMainRight = 62, kSideLeft = 3, kSideRight = 21, kPrefixLeft = 64,
                 kPrefixRight = 75, kCountX = 77, kRow = 10, kBoxHeight = 7.4;

bool isSlot(const std::string& key) {
  return key == "prompt" || key == "prefix" || key == "adapter_attn" || key == "adapter_ffn";
}

BoxState stateOf(const ArchPart& p) {
  if (p.added && p.unfrozen) return BoxState::AddedAndUnfrozen;
  if (p.added) return BoxState::Added;
  if (p.unfrozen) return BoxState::Unfrozen;
  if (isSlot(p.key)) return BoxState::Slot;
  return p.baseTotal > 0 ? BoxState::Frozen : BoxState::Structure;  // the activation has nothing to freeze
}

QString count(qint64 n) { return QLocale(QLocale::English).toString(n); }

QFont scaledFont(double points, bool bold = false) {
  QFont f;
  f.setPointSizeF(points * chartFontScale());
  f.setBold(bold);
  return f;
}

}  // namespace

const DiagramBox* ArchitectureDiagram::box(const QString& key) const {
  for (const auto& b : boxes)
    if (b.key == key) return &b;
  return nullptr;
}

QStringList ArchitectureDiagram::keys(BoxState state) const {
  QStringList out;
  for (const auto& b : boxes)
    if (b.state == state) out << b.key;
  return out;
}

ArchitectureDiagram layoutArchitecture(const ArchitectureView& view, Family family) {
  ArchitectureDiagram d;
  d.method = QString::fromStdString(view.method);
  d.title = QString::fromStdString(view.title);
  d.formula = QString::fromStdString(view.formula);
  d.colour = methodColor(d.method);
  d.layers = view.layers;
  d.trainable = view.trainable;
  d.total = view.total;
  int row = 1;  // row 0 holds the legend
  auto rect = [&](double left, double right) {
    return QRectF(QPointF(left, row * kRow + (kRow - kBoxHeight) / 2), QSizeF(right - left, kBoxHeight));
  };
  auto structure = [&](const QString& key, const QString& label) {
    d.boxes << DiagramBox{key, label, rect(kMainLeft, kMainRight), BoxState::Structure, 0, 0};
  };
  auto part = [&](const std::string& key, const QString& label, double left, double right) {
    const ArchPart* p = view.part(key);
    if (!p) return;
    d.boxes << DiagramBox{QString::fromStdString(key), label, rect(left, right), stateOf(*p), p->trainable, p->baseTotal};
  };
  auto mainPart = [&](const std::string& key, const QString& label) { part(key, label, kMainLeft, kMainRight); };
  auto attention = [&] {
    const double w = (kMainRight - kMainLeft - 2) / 3;
    part("q", "W_q", kMainLeft, kMainLeft + w);
    part("k", "W_k", kMainLeft + w + 1, kMainLeft + 2 * w + 1);
    part("v", "W_v", kMainLeft + 2 * w + 2, kMainRight);
    part("prefix", "Prefix P_k, P_v", kPrefixLeft, kPrefixRight);
    ++row;
    structure("attention", QString::fromUtf8("Multi-head attention  softmax(QK\u1d40/\u221ad\u2095) V"));
    ++row;
    mainPart("o", "W_o (attention output)");
    ++row;
    mainPart("adapter_attn", "Adapter after attention");
  };
  auto feedForward = [&] {
    mainPart("ffn_up", "Feed-forward W_1");
    ++row;
    mainPart("ffn_act", "Activation");
    ++row;
    mainPart("ffn_down", "Feed-forward W_2");
    ++row;
    mainPart("adapter_ffn", "Adapter after feed-forward");
  };
  structure("input", "Input tokens");
  ++row;
  mainPart("embeddings", "Embeddings (token + position)");
  part("prompt", "Soft prompt P", kSideLeft, kSideRight);
  ++row;
  d.blockBottom = row * kRow;
  if (family == Family::Bert) {  // post-LayerNorm: Add & LayerNorm after each sublayer
    attention();
    ++row;
    mainPart("attn_norm", "Add & LayerNorm");
    ++row;
    feedForward();
    ++row;
    mainPart("ffn_norm", "Add & LayerNorm");
  } else {  // pre-LayerNorm: LayerNorm before each sublayer, then the residual add
    mainPart("attn_norm", "LayerNorm");
    ++row;
    attention();
    ++row;
    structure("add_attn", "Add (residual)");
    ++row;
    mainPart("ffn_norm", "LayerNorm");
    ++row;
    feedForward();
    ++row;
    structure("add_ffn", "Add (residual)");
  }
  d.blockTop = (row + 1) * kRow;
  ++row;
  const ArchPart* pooler = view.part("pooler");
  const ArchPart* finalNorm = view.part("final_norm");
  if (view.pooling == "mean") {
    // The features are the mean of the token outputs; BERT's pooler is not on the path (and never trains).
    structure("pool_mean", "Mean of the token outputs");
    ++row;
  } else if (pooler && (pooler->baseTotal > 0 || pooler->active())) {
    mainPart("pooler", "Pooler ([CLS])");
    ++row;
  }
  if (finalNorm && (finalNorm->baseTotal > 0 || finalNorm->active())) {
    mainPart("final_norm", "Final LayerNorm");
    ++row;
  }
  mainPart("head", "Classification head");
  d.height = (row + 1) * kRow;
  return d;
}

ArchitectureTab::ArchitectureTab(ExperimentPanel* panel, QWidget* parent) : QWidget(parent), panel_(panel) {
  plot_ = new QCustomPlot();
  styleChart(plot_);
  plot_->setObjectName("architecture");
  addChartTitle(plot_, "Architecture");
  plot_->axisRect()->setAutoMargins(QCP::msNone);
  plot_->axisRect()->setMargins(QMargins(0, 0, 0, 0));
  for (QCPAxis* a : plot_->axisRect()->axes()) a->setVisible(false);
  plot_->xAxis->setRange(0, 100);
  plot_->setMinimumSize(560, 430);  // fits a 1280 x 800 window without scrolling
  installExportMenu(plot_, "architecture");
  auto* scroll = new QScrollArea();
  scroll->setWidget(plot_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  note_ = new QLabel("Select a method in the Methods list: the drawing shows where it acts.");
  note_->setWordWrap(true);
  note_->setStyleSheet("color: #555;");
  auto* help = new QPushButton("Method help (F1)");
  help->setToolTip("What the selected method does, what the papers report, and its size on a 24-layer model");
  connect(help, &QPushButton::clicked, this, &ArchitectureTab::helpRequested);
  auto* top = new QHBoxLayout();
  top->addWidget(note_, 1);
  top->addWidget(help, 0, Qt::AlignTop);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(top);
  layout->addWidget(scroll, 1);

  timer_.setSingleShot(true);
  timer_.setInterval(120);  // a knob's spin box held down: one computation when it settles
  connect(&timer_, &QTimer::timeout, this, &ArchitectureTab::start);
  connect(&watcher_, &QFutureWatcher<Result>::finished, this, &ArchitectureTab::onComputed);
  connect(panel_, &ExperimentPanel::budgetUpdated, this, &ArchitectureTab::refresh);
  connect(panel_, &ExperimentPanel::selectedMethodChanged, this, &ArchitectureTab::refresh);
  connect(panel_, &ExperimentPanel::modelLoaded, this, &ArchitectureTab::refresh);
  draw();
}

ArchitectureTab::~ArchitectureTab() { watcher_.waitForFinished(); }

void ArchitectureTab::refresh() { timer_.start(); }

ArchitectureTab::Request ArchitectureTab::currentRequest() const {
  Request r;
  r.model = panel_->modelSource();
  r.method = panel_->selectedMethod();
  r.knobs = r.method.isEmpty() ? std::string("{}") : panel_->knobs(r.method).dump();
  r.classes = panel_->taskClasses() > 0 ? panel_->taskClasses() : 2;
  return r;
}

void ArchitectureTab::start() {
  // Hidden: nothing to compute (a big model takes seconds); showEvent catches up. Running: onComputed
  // starts again with what the panel says by then.
  if (!isVisible() || watcher_.isRunning()) return;
  const Request r = currentRequest();
  if (r.model.isEmpty() || r.method.isEmpty()) return;
  if (hasShown_ && r == shown_) return;
  watcher_.setFuture(QtConcurrent::run(&ArchitectureTab::compute, r));
}

ArchitectureTab::Result ArchitectureTab::compute(Request request) {
  Result out;
  out.request = request;
  try {
    const ModelConfig config = modelConfigOf(request.model);
    nlohmann::json knobs = nlohmann::json::parse(request.knobs);
    const ArchitectureView view = architectureView(config, request.method.toStdString(), knobs, request.classes);
    out.diagram = layoutArchitecture(view, config.family);
  } catch (const std::exception& e) {
    out.error = QString::fromStdString(pw::errorText(e));
  }
  return out;
}

void ArchitectureTab::onComputed() {
  const Result r = watcher_.result();
  shown_ = r.request;
  hasShown_ = true;
  error_ = r.error;
  if (r.error.isEmpty()) diagram_ = r.diagram;
  draw();
  Q_EMIT diagramChanged();
  if (!(currentRequest() == shown_)) timer_.start();  // the panel moved on while this was computed
}

void ArchitectureTab::draw() {
  plot_->clearItems();
  const ArchitectureDiagram& d = diagram_;
  QCPTextElement* title = chartTitle(plot_);
  if (!error_.isEmpty() || d.boxes.isEmpty()) {
    if (title) title->setText("Architecture");
    note_->setText(error_.isEmpty() ? "Select a method in the Methods list: the drawing shows where it acts."
                                    : "Cannot draw this method on this model: " + error_);
    note_->setStyleSheet(error_.isEmpty() ? "color: #555;" : "color: #b02418;");
    plot_->replot();
    return;
  }
  if (title) title->setText(d.title + ":  " + d.formula);
  const double pct = d.total > 0 ? 100.0 * double(d.trainable) / double(d.total) : 0;
  note_->setText(QString("%1 trains %2 of %3 parameters (%4%). One block is drawn; the counts are summed over all %5 "
                         "layers. Filled: tensors the method adds; hatched: base weights that train; grey: frozen.")
                     .arg(d.title, count(d.trainable), count(d.total))
                     .arg(pct, 0, 'f', pct >= 1 ? 1 : 3)
                     .arg(d.layers));
  note_->setStyleSheet("color: #333;");
  plot_->yAxis->setRange(-1, d.height + 1);

  const QColor colour = d.colour;
  const QColor frozenFill(236, 239, 241), frozenLine(154, 160, 166);
  auto drawRect = [&](const QRectF& r, const QPen& pen, const QBrush& brush) {
    auto* item = new QCPItemRect(plot_);
    item->topLeft->setCoords(r.left(), r.bottom());  // y grows upwards in plot coordinates
    item->bottomRight->setCoords(r.right(), r.top());
    item->setPen(pen);
    item->setBrush(brush);
    item->setSelectable(false);
    return item;
  };
  auto drawText = [&](QPointF at, const QString& text, const QColor& c, Qt::Alignment align, double points, bool bold) {
    auto* t = new QCPItemText(plot_);
    t->position->setCoords(at);
    t->setPositionAlignment(align);
    t->setText(text);
    t->setColor(c);
    t->setFont(scaledFont(points, bold));
    t->setSelectable(false);
    return t;
  };
  auto drawBox = [&](const QRectF& r, BoxState state, const QString& label) {
    QColor text(40, 40, 40);
    switch (state) {
      case BoxState::Structure: drawRect(r, QPen(QColor(190, 190, 190), 1), QBrush(Qt::white)); text = QColor(90, 90, 90); break;
      case BoxState::Frozen: drawRect(r, QPen(frozenLine, 1), QBrush(frozenFill)); text = QColor(70, 70, 70); break;
      case BoxState::Slot: drawRect(r, QPen(QColor(185, 185, 185), 1, Qt::DashLine), Qt::NoBrush); text = QColor(160, 160, 160); break;
      case BoxState::Added:
      case BoxState::AddedAndUnfrozen:
        drawRect(r, QPen(colour.darker(130), 1.5), QBrush(colour));
        if (state == BoxState::AddedAndUnfrozen) drawRect(r, Qt::NoPen, QBrush(colour.darker(160), Qt::BDiagPattern));
        text = Qt::white;
        break;
      case BoxState::Unfrozen:
        drawRect(r, QPen(colour.darker(115), 2.5), QBrush(colour.lighter(185)));
        drawRect(r, Qt::NoPen, QBrush(colour, Qt::BDiagPattern));
        text = colour.darker(190);
        break;
    }
    drawText(r.center(), label, text, Qt::AlignCenter, 8.5, state != BoxState::Structure && state != BoxState::Slot);
  };

  // Flow arrows up the main column, between consecutive rows.
  QList<QRectF> mainRows;
  for (const DiagramBox& b : d.boxes)
    if (b.rect.left() <= kMainLeft + 0.01 && b.key != "prompt") mainRows << b.rect;
  for (int i = 0; i + 1 < mainRows.size(); ++i) {
    auto* arrow = new QCPItemLine(plot_);
    const double x = (kMainLeft + kMainRight) / 2;
    arrow->start->setCoords(x, mainRows[i].bottom());
    arrow->end->setCoords(x, mainRows[i + 1].top());
    arrow->setPen(QPen(QColor(150, 150, 150), 1));
    arrow->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 6, 6));
    arrow->setSelectable(false);
  }
  for (const DiagramBox& b : d.boxes) drawBox(b.rect, b.state, b.label);

  // The counts, one line per row, beside the parts that train. Where a row has several parts (W_q, W_k,
  // W_v; the soft prompt beside the embeddings) each count is named, and equal counts are said once.
  QMap<double, QList<std::pair<QString, QString>>> countsByRow;  // row -> (name, count)
  for (const DiagramBox& b : d.boxes) {
    if (!b.highlighted()) continue;
    QString text;
    if (b.state == BoxState::Added) text = "+" + count(b.trainable);
    else if (b.trainable == b.baseTotal) text = count(b.trainable) + " (all)";
    else if (b.state == BoxState::Unfrozen) text = count(b.trainable) + " of " + count(b.baseTotal);
    else text = count(b.trainable);
    QString name;
    if (b.key == "q" || b.key == "k" || b.key == "v") name = b.key;
    else if (b.key == "prompt") name = "prompt";
    countsByRow[b.rect.center().y()].append({name, text});
  }
  for (auto it = countsByRow.begin(); it != countsByRow.end(); ++it) {
    QStringList parts, done;
    for (const auto& [name, text] : it.value()) {
      if (done.contains(text)) continue;
      done << text;
      QStringList names;
      for (const auto& [other, otherText] : it.value())
        if (otherText == text && !other.isEmpty()) names << other;
      parts << (names.isEmpty() ? text : names.join(", ") + ": " + text + (names.size() > 1 ? " each" : ""));
    }
    drawText(QPointF(kCountX, it.key()), parts.join("; "), colour.darker(150), Qt::AlignLeft | Qt::AlignVCenter, 8, true);
  }

  // The "x L layers" bracket.
  const double bx = kMainLeft - 2.5;
  for (auto [x1, y1, x2, y2] : {std::tuple{bx, d.blockBottom + 1, bx, d.blockTop - 1},
                                std::tuple{bx, d.blockBottom + 1, bx + 1.5, d.blockBottom + 1},
                                std::tuple{bx, d.blockTop - 1, bx + 1.5, d.blockTop - 1}}) {
    auto* line = new QCPItemLine(plot_);
    line->start->setCoords(x1, y1);
    line->end->setCoords(x2, y2);
    line->setPen(QPen(QColor(90, 90, 90), 1.5));
    line->setSelectable(false);
  }
  drawText(QPointF(bx - 1.5, (d.blockBottom + d.blockTop) / 2), QString::fromUtf8("\u00d7 %1 layers").arg(d.layers),
           QColor(60, 60, 60), Qt::AlignRight | Qt::AlignVCenter, 9.5, true);

  // The legend along the bottom row.
  const QList<std::pair<BoxState, QString>> legend = {{BoxState::Added, "added by the method"},
                                                     {BoxState::Unfrozen, "base weights that train"},
                                                     {BoxState::Frozen, "frozen"},
                                                     {BoxState::Slot, "unused slot"}};
  double x = 3;
  for (const auto& [state, text] : legend) {
    drawBox(QRectF(QPointF(x, kRow * 0.25), QSizeF(4, kRow * 0.5)), state, QString());
    drawText(QPointF(x + 5, kRow * 0.5), text, QColor(60, 60, 60), Qt::AlignLeft | Qt::AlignVCenter, 8, false);
    x += 25;
  }
  plot_->replot();
}

void ArchitectureTab::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  refresh();
}

}  // namespace pw::ui
