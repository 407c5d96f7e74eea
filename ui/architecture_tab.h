// The Architecture tab: one transformer block drawn (input and embeddings with the soft-prompt slot,
// multi-head attention with W_q/W_k/W_v/W_o and the prefix keys/values slot, the adapter slots after
// attention and after the feed-forward, Add & LayerNorm, W_1, the activation, W_2, the head on top, an
// "x L layers" bracket), with the parts where the experiment panel's selected method adds parameters filled
// in its colour and the parts it unfreezes hatched, each with its trainable count, and the method's formula.
// The picture is QCustomPlot items (exportable like every chart) drawn from layoutArchitecture(), which maps
// core's architectureView() (a live model with the method attached) to boxes; tests check that mapping.
#pragma once
#include <QColor>
#include <QFutureWatcher>
#include <QList>
#include <QRectF>
#include <QString>
#include <QTimer>
#include <QWidget>

#include "methods/architecture_map.h"
#include "models/config.h"

class QCustomPlot;
class QLabel;

namespace pw::ui {

class ExperimentPanel;

enum class BoxState {
  Structure,  // a step with no parameters (input tokens, the attention product, the residual add)
  Frozen,     // base weights that do not train
  Slot,       // a place the method could add tensors but this one does not (adapters, prompt, prefix)
  Added,      // the method adds tensors here (filled)
  Unfrozen,   // base weights here train (hatched)
  AddedAndUnfrozen,
};

struct DiagramBox {
  QString key;    // an ArchPart key ("q", "adapter_ffn", "head") or a structure key ("input", "attention")
  QString label;  // "W_q", "Add & LayerNorm"
  QRectF rect;    // diagram units: x 0..100, y 0 (bottom) upwards, 10 per row
  BoxState state = BoxState::Structure;
  qint64 trainable = 0, baseTotal = 0;  // over all layers
  bool highlighted() const { return state == BoxState::Added || state == BoxState::Unfrozen || state == BoxState::AddedAndUnfrozen; }
};

struct ArchitectureDiagram {
  QString method, title, formula;
  QColor colour;  // the method's colour
  qint64 layers = 0, trainable = 0, total = 0;
  QList<DiagramBox> boxes;      // bottom to top
  double blockBottom = 0, blockTop = 0;  // the rows the "x L layers" bracket spans
  double height = 0;                     // top of the highest row
  const DiagramBox* box(const QString& key) const;
  QStringList keys(BoxState state) const;  // in drawing order
};

// Pure: the boxes for a view of a model of `family` (BERT draws LayerNorm after each sublayer, GPT-2 before).
ArchitectureDiagram layoutArchitecture(const ArchitectureView& view, Family family);

class ArchitectureTab : public QWidget {
  Q_OBJECT
 public:
  explicit ArchitectureTab(ExperimentPanel* panel, QWidget* parent = nullptr);
  ~ArchitectureTab() override;

  const ArchitectureDiagram& diagram() const { return diagram_; }
  QString errorText() const { return error_; }
  bool isComputing() const { return watcher_.isRunning() || timer_.isActive(); }
  QCustomPlot* plot() const { return plot_; }
  void refresh();  // recompute from the panel (debounced, off the GUI thread)

 Q_SIGNALS:
  void diagramChanged();
  void helpRequested();  // the "Method help" button

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  struct Request {
    QString model, method;
    std::string knobs;  // JSON text
    int classes = 2;
    bool operator==(const Request& o) const {
      return model == o.model && method == o.method && knobs == o.knobs && classes == o.classes;
    }
  };
  struct Result {
    Request request;
    ArchitectureDiagram diagram;
    QString error;
  };
  static Result compute(Request request);
  Request currentRequest() const;
  void start();
  void onComputed();
  void draw();

  ExperimentPanel* panel_ = nullptr;
  QCustomPlot* plot_ = nullptr;
  QLabel* note_ = nullptr;
  QTimer timer_;
  QFutureWatcher<Result> watcher_;
  Request shown_;
  bool hasShown_ = false;
  ArchitectureDiagram diagram_;
  QString error_;
};

}  // namespace pw::ui
