// The experiment panel (see experiment_panel.h).
#include "experiment_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include "charts/budget_chart.h"
#include "hub_dialog.h"
#include "hub/hub_cache.h"
#include "import_dialog.h"
#include "knob_editor.h"
#include "method_colors.h"
#include "methods/catalog.h"
#include "methods/default_rates.h"
#include "train/run_pool.h"
#include "util/threads.h"
#include "run_labels.h"

namespace pw::ui {
namespace {

const QStringList kDemoMethods = {"lp", "ft", "lp-ft", "prompt", "prefix", "adapter", "lora", "bitfit"};

QIcon swatch(const QColor& c) {
  QPixmap pm(12, 12);
  pm.fill(Qt::transparent);
  QPainter p(&pm);
  p.setPen(c.darker(130));
  p.setBrush(c);
  p.drawRoundedRect(0, 0, 11, 11, 2, 2);
  return QIcon(pm);
}

// A learning-rate field: 0 shows as "method default".
QDoubleSpinBox* rateBox(double step, const QString& tip) {
  auto* box = new QDoubleSpinBox();
  box->setDecimals(6);
  box->setRange(0, 1);
  box->setSingleStep(step);
  box->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
  box->setSpecialValueText("method default");
  box->setToolTip(tip);
  return box;
}

// A model or task picker: the names as items (each its own data), narrow enough to share a row with a button.
QComboBox* sourcePicker(const QStringList& names, const QString& tip) {
  auto* box = new QComboBox();
  box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  box->setMinimumContentsLength(8);
  for (const QString& name : names) box->addItem(name, name);
  box->setToolTip(tip);
  return box;
}

QLabel* noteLabel() {
  auto* l = new QLabel();
  l->setWordWrap(true);
  l->setStyleSheet("color: #555;");
  return l;
}

QString sourceTitle(const QString& source) {
  QFileInfo info(source);
  if (!info.exists() && source.contains('/') && hub::isRepoId(source.toStdString())) return source + " (Hub)";
  return source.contains('/') ? info.fileName() + " (folder)" : source;
}

}  // namespace

ExperimentPanel::ExperimentPanel(const QString& tasksDir, QWidget* parent) : QWidget(parent), tasksDir_(tasksDir) {
  auto* content = new QWidget();
  auto* v = new QVBoxLayout(content);
  v->setContentsMargins(6, 6, 6, 6);
  v->addWidget(buildSourcesBox());
  v->addWidget(buildMethodsBox());
  v->addWidget(buildKnobBox());
  v->addWidget(buildTrainingBox());
  v->addStretch();
  auto* scroll = scroll_ = new QScrollArea();
  scroll->setWidget(content);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

  runButton_ = new QPushButton("Run checked methods  (Ctrl+R)");
  runButton_->setToolTip("Train the checked methods one after another (each with every seed)");
  QFont bold = runButton_->font();
  bold.setBold(true);
  runButton_->setFont(bold);
  runButton_->setMinimumHeight(30);
  connect(runButton_, &QPushButton::clicked, this, &ExperimentPanel::runRequested);

  auto* top = new QWidget();
  auto* topLayout = new QVBoxLayout(top);
  topLayout->setContentsMargins(0, 0, 0, 0);
  topLayout->addWidget(scroll, 1);
  topLayout->addWidget(runButton_);

  auto* bottom = new QWidget();
  auto* bottomLayout = new QVBoxLayout(bottom);
  bottomLayout->setContentsMargins(0, 0, 0, 0);
  budget_ = new BudgetChart("Trainable parameters (before training)", true);
  budget_->setMinimumHeight(230);
  budget_->setToolTip("Trainable parameters of every checked method with its knobs, computed from the model's "
                      "config; stacked by where they live; the label gives the count and the % of the whole model.");
  budgetError_ = noteLabel();
  budgetError_->setStyleSheet("color: #b02418;");
  budgetError_->setVisible(false);
  bottomLayout->addWidget(budget_, 1);
  bottomLayout->addWidget(budgetError_);

  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->addWidget(top);
  splitter->addWidget(bottom);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  splitter->setChildrenCollapsible(false);
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  outer->addWidget(splitter);

  budgetTimer_.setSingleShot(true);
  budgetTimer_.setInterval(0);
  connect(&budgetTimer_, &QTimer::timeout, this, &ExperimentPanel::updateBudget);
  connect(&modelWatcher_, &QFutureWatcher<ModelInfo>::finished, this, &ExperimentPanel::onModelReady);
  connect(&taskWatcher_, &QFutureWatcher<TaskInfo>::finished, this, &ExperimentPanel::onTaskReady);

  // Defaults: the classroom demo on the first shipped model and the built-in task, one click from Run.
  setPreset("quick");
  setCheckedMethods(kDemoMethods);
  selectMethod("lora");
  if (modelBox_->count() > 0) setModelSource(modelBox_->itemData(0).toString());
  else Q_EMIT message("No shipped models found: use \"Open model folder...\".", false);
  if (taskBox_->count() > 0) setTaskSource(taskBox_->itemData(0).toString());
}

ExperimentPanel::~ExperimentPanel() {
  modelWatcher_.waitForFinished();
  taskWatcher_.waitForFinished();
}

// The base model and the task in one box (two boxes cost the knobs their place above the fold at 1280 x 800).
QWidget* ExperimentPanel::buildSourcesBox() {
  auto* box = new QGroupBox("Base model and task");
  auto* g = new QGridLayout(box);
  g->setVerticalSpacing(3);
  modelBox_ = sourcePicker(shippedModels(), "The base model: a shipped one, a Hugging Face folder opened with "
                                            "\"Open folder...\", or a model from the Hub (File > Open from the Hub...)");
  for (const QString& repo : cachedHubModels()) modelBox_->addItem(sourceTitle(repo), repo);
  auto* open = new QPushButton("Open folder...");
  open->setToolTip("A Hugging Face model folder: config.json, model.safetensors and tokenizer files");
  randomInit_ = new QCheckBox("Random weights (control)");
  randomInit_->setToolTip("The same architecture with fresh random weights: how much does pretraining help?");
  modelLine_ = noteLabel();
  taskBox_ = sourcePicker(builtinTasks(), "The task: a built-in one, or your own data brought in with "
                                          "\"Import dataset...\"");
  auto* import = new QPushButton("Import dataset...");
  import->setToolTip("Your own CSV / TSV / JSON Lines data, with a choice of columns and a preview");
  taskLine_ = noteLabel();
  g->addWidget(modelBox_, 0, 0);
  g->addWidget(open, 0, 1);
  g->addWidget(randomInit_, 1, 0, 1, 2);
  g->addWidget(modelLine_, 2, 0, 1, 2);
  g->addWidget(taskBox_, 3, 0);
  g->addWidget(import, 3, 1);
  g->addWidget(taskLine_, 4, 0, 1, 2);
  g->setColumnStretch(0, 1);
  connect(open, &QPushButton::clicked, this, &ExperimentPanel::openModelFolder);
  connect(modelBox_, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (i >= 0) setModelSource(modelBox_->itemData(i).toString());
  });
  connect(randomInit_, &QCheckBox::toggled, this, &ExperimentPanel::scheduleBudget);
  connect(import, &QPushButton::clicked, this, &ExperimentPanel::importDataset);
  connect(taskBox_, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (i >= 0) setTaskSource(taskBox_->itemData(i).toString());
  });
  return box;
}

QWidget* ExperimentPanel::buildMethodsBox() {
  auto* box = new QGroupBox("Methods");
  box->setToolTip("Checked methods run when you press Run; select one to see and change its knobs");
  auto* v = new QVBoxLayout(box);
  methods_ = new QListWidget();
  for (const auto& m : methodCatalog()) {
    const QString name = QString::fromStdString(m.name);
    auto* item = new QListWidgetItem(swatch(methodColor(name)), QString::fromStdString(m.title), methods_);
    item->setData(Qt::UserRole, name);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Unchecked);
    item->setToolTip(QString("%1: %2\n%3").arg(QString::fromStdString(m.title), QString::fromStdString(m.summary),
                                                QString::fromStdString(m.formula)));
  }
  // Two columns, filled top to bottom: half the height of one long list, so the knobs stay in view.
  methods_->setFlow(QListView::TopToBottom);
  methods_->setWrapping(true);
  methods_->setResizeMode(QListView::Adjust);
  methods_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  methods_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  const int rowHeight = methods_->sizeHintForRow(0) > 0 ? methods_->sizeHintForRow(0) : 18;
  const int rows = (methods_->count() + 1) / 2;
  methods_->setFixedHeight(rowHeight * rows + 2 * methods_->frameWidth() + 4);
  v->addWidget(methods_);
  connect(methods_, &QListWidget::currentItemChanged, this, &ExperimentPanel::onMethodSelected);
  connect(methods_, &QListWidget::itemChanged, this, &ExperimentPanel::scheduleBudget);
  return box;
}

QWidget* ExperimentPanel::buildKnobBox() {
  knobBox_ = new QGroupBox("Knobs");
  auto* v = new QVBoxLayout(knobBox_);
  formula_ = noteLabel();
  knobEditor_ = new KnobEditor();
  v->addWidget(formula_);
  v->addWidget(knobEditor_);
  connect(knobEditor_, &KnobEditor::changed, this, [this] {
    knobValues_[knobEditor_->method()] = knobEditor_->values();
    scheduleBudget();
  });
  return knobBox_;
}

QWidget* ExperimentPanel::buildTrainingBox() {
  auto* box = new QGroupBox("Training");
  auto* g = new QGridLayout(box);
  preset_ = new QComboBox();
  preset_->addItem("Quick demo", "quick");
  preset_->addItem("Standard", "standard");
  preset_->addItem("Thorough", "thorough");
  preset_->setToolTip("Quick demo: 80 training examples per class drawn with the seed, 3 epochs (all eight methods in\n"
                      "minutes). "
                      "Standard: the whole training split, 3 epochs. Thorough: 8 epochs, more evaluations.");
  epochs_ = new QSpinBox();
  epochs_->setRange(1, 1000);
  batchSize_ = new QSpinBox();
  batchSize_->setRange(1, 4096);
  lr_ = rateBox(1e-4, "The body's rate (the method's own tensors). 0 (\"method default\"): each method's default at\n"
                     "this preset, chosen by the tune procedure on the validation split (docs/TRAINING.md)");
  headLr_ = rateBox(1e-3, "The classification head's rate. 0 (\"method default\"): each method's default at this preset");
  seeds_ = new QSpinBox();
  seeds_->setRange(1, 20);
  seeds_->setToolTip("Each checked method runs once per seed (first seed, first + 1, ...); the runs table and "
                     "charts show the mean and spread over seeds");
  firstSeed_ = new QSpinBox();
  firstSeed_->setRange(1, 1000000);
  firstSeed_->setToolTip("The seed of the first run; with several seeds the next ones follow it");
  perClass_ = new QSpinBox();
  perClass_->setRange(0, 1000000);
  perClass_->setSpecialValueText("all");
  perClass_->setToolTip("Training examples per class, drawn with each run's seed; \"all\" uses the whole training split");
  precision_ = new QComboBox();
  precision_->addItem("Auto", "auto");
  precision_->addItem("fp32", "fp32");
  precision_->addItem("bf16", "bf16");
  precision_->setToolTip("Numeric precision of the matrix multiplications. bf16 runs them on the CPU's bf16 matrix\n"
                         "units (AMX / AVX512-BF16), several times faster where the CPU has them; weights and\n"
                         "optimiser state stay fp32. Auto measures once which is faster on this machine.");
  parallel_ = new QComboBox();
  parallel_->addItem(QString("Auto (%1)").arg(configuredThreadCount()), 0);
  for (int n = 1; n <= std::max(2, std::min(8, configuredThreadCount())); ++n) parallel_->addItem(QString::number(n), n);
  parallel_->setToolTip("How many runs of a queue train at once, each on its share of the cores. Small models train\n"
                        "faster side by side, one thread each, than one at a time on every core. Auto: one run per\n"
                        "core. Every run still records as it goes; the live chart shows them all.");
  lrHint_ = noteLabel();
  tuneButton_ = new QPushButton("Tune...");
  tuneButton_->setToolTip("Choose the selected method's rates on the validation split: a grid of rates x seeds, the\n"
                          "smaller rate within one standard error of the best (Run > Tune learning rates)");
  connect(tuneButton_, &QPushButton::clicked, this, &ExperimentPanel::tuneRequested);
  int row = 0;
  g->addWidget(new QLabel("Preset:"), row, 0);
  g->addWidget(preset_, row++, 1, 1, 3);
  g->addWidget(new QLabel("Epochs:"), row, 0);
  g->addWidget(epochs_, row, 1);
  g->addWidget(new QLabel("Batch:"), row, 2);
  g->addWidget(batchSize_, row++, 3);
  g->addWidget(new QLabel("Seeds:"), row, 0);
  g->addWidget(seeds_, row, 1);
  g->addWidget(new QLabel("Per class:"), row, 2);
  g->addWidget(perClass_, row++, 3);
  g->addWidget(new QLabel("First seed:"), row, 0);
  g->addWidget(firstSeed_, row, 1);
  g->addWidget(new QLabel("Precision:"), row, 2);
  g->addWidget(precision_, row++, 3);
  g->addWidget(new QLabel("Side by side:"), row, 0);
  g->addWidget(parallel_, row++, 1);
  // The two rates on rows of their own: side by side they made the box wider than the panel.
  g->addWidget(new QLabel("Rate:"), row, 0);
  g->addWidget(lr_, row, 1, 1, 2);
  g->addWidget(tuneButton_, row++, 3);
  g->addWidget(new QLabel("Head rate:"), row, 0);
  g->addWidget(headLr_, row++, 1, 1, 2);
  g->addWidget(lrHint_, row++, 0, 1, 4);
  g->setColumnStretch(1, 1);
  g->setColumnStretch(3, 1);
  connect(preset_, &QComboBox::currentIndexChanged, this, [this] {
    if (restoring_) return;
    const TrainConfig c = applyPreset(TrainConfig{}, preset().toStdString());
    epochs_->setValue(c.epochs);
    batchSize_->setValue(c.batchSize);
    perClass_->setValue(c.trainPerClass);
    // A rate-factor knob the user has not set shows (and runs at) the new preset's tuned value.
    const QString name = selectedMethod();
    if (!name.isEmpty())
      knobEditor_->setMethod(methodDescriptor(name.toStdString()), knobValues_.value(name), preset().toStdString());
    updateLrHint();
    scheduleBudget();
  });
  return box;
}

void ExperimentPanel::addSourceItem(QComboBox* box, const QString& source) {
  if (box->findData(source) < 0) box->addItem(sourceTitle(source), source);
}

void ExperimentPanel::addSource(QComboBox* box, const QString& source) {
  addSourceItem(box, source);
  const QSignalBlocker block(box);
  box->setCurrentIndex(box->findData(source));
  box->setToolTip(source);
}

void ExperimentPanel::setModelSource(const QString& source) {
  if (source.isEmpty()) return;
  addSource(modelBox_, source);
  modelLine_->setText("Loading " + source + "...");
  modelLine_->setStyleSheet("color: #555;");
  if (modelWatcher_.isRunning()) {
    pendingModel_ = source;
  } else {
    modelWatcher_.setFuture(QtConcurrent::run(loadModelInfo, source));
  }
  scheduleBudget();
}

void ExperimentPanel::setTaskSource(const QString& source) {
  if (source.isEmpty()) return;
  addSource(taskBox_, source);
  taskLine_->setText("Loading " + source + "...");
  taskLine_->setStyleSheet("color: #555;");
  taskInfo_ = TaskInfo{};
  taskInfo_.error = "loading";
  if (taskWatcher_.isRunning()) pendingTask_ = source;
  else taskWatcher_.setFuture(QtConcurrent::run(loadTaskInfo, source));
  scheduleBudget();
}

QString ExperimentPanel::modelSource() const { return modelBox_->currentData().toString(); }
QString ExperimentPanel::taskSource() const { return taskBox_->currentData().toString(); }
void ExperimentPanel::setRandomInit(bool on) { randomInit_->setChecked(on); }
bool ExperimentPanel::randomInit() const { return randomInit_->isChecked(); }

void ExperimentPanel::onModelReady() {
  ModelInfo info = modelWatcher_.result();
  if (!pendingModel_.isEmpty()) {
    const QString next = pendingModel_;
    pendingModel_.clear();
    if (next != info.source) {
      modelWatcher_.setFuture(QtConcurrent::run(loadModelInfo, next));
      return;
    }
  }
  modelInfo_ = info;
  QString tip;
  for (const auto& [k, val] : info.rows) tip += k + ": " + val + "\n";
  modelLine_->setToolTip(tip.trimmed());
  if (info.error.isEmpty()) {
    modelLine_->setText(info.oneLine);
    modelLine_->setStyleSheet("color: #555;");
  } else {
    modelLine_->setText("Cannot load this model (see the message above).");
    modelLine_->setStyleSheet("color: #b02418;");
    Q_EMIT message(info.error, true);
  }
  Q_EMIT modelLoaded(info.error.isEmpty());
}

void ExperimentPanel::onTaskReady() {
  TaskInfo info = taskWatcher_.result();
  if (!pendingTask_.isEmpty()) {
    const QString next = pendingTask_;
    pendingTask_.clear();
    if (next != info.source) {
      taskWatcher_.setFuture(QtConcurrent::run(loadTaskInfo, next));
      return;
    }
  }
  taskInfo_ = info;
  if (info.error.isEmpty()) {
    taskLine_->setText(info.oneLine());
    taskLine_->setToolTip("Classes: " + info.classes.join(", ") + (info.notes.isEmpty() ? "" : "\n" + info.notes.join("\n")));
    taskLine_->setStyleSheet("color: #555;");
  } else {
    taskLine_->setText("Cannot load this task (see the message above).");
    taskLine_->setStyleSheet("color: #b02418;");
    Q_EMIT message(info.error, true);
  }
  scheduleBudget();
  Q_EMIT taskLoaded(info.error.isEmpty());
}

QStringList ExperimentPanel::checkedMethods() const {
  QStringList out;
  for (int i = 0; i < methods_->count(); ++i)
    if (methods_->item(i)->checkState() == Qt::Checked) out << methods_->item(i)->data(Qt::UserRole).toString();
  return out;
}

void ExperimentPanel::setCheckedMethods(const QStringList& methods) {
  for (int i = 0; i < methods_->count(); ++i) {
    QListWidgetItem* item = methods_->item(i);
    item->setCheckState(methods.contains(item->data(Qt::UserRole).toString()) ? Qt::Checked : Qt::Unchecked);
  }
}

void ExperimentPanel::selectMethod(const QString& method) {
  for (int i = 0; i < methods_->count(); ++i)
    if (methods_->item(i)->data(Qt::UserRole).toString() == method) methods_->setCurrentRow(i);
}

QString ExperimentPanel::selectedMethod() const {
  return methods_->currentItem() ? methods_->currentItem()->data(Qt::UserRole).toString() : QString();
}

void ExperimentPanel::onMethodSelected() {
  const QString name = selectedMethod();
  if (name.isEmpty()) return;
  const MethodDescriptor& m = methodDescriptor(name.toStdString());
  knobBox_->setTitle("Knobs: " + QString::fromStdString(m.title));
  formula_->setText(QString("%1<br><i>%2</i>").arg(QString::fromStdString(m.summary).toHtmlEscaped(),
                                                    QString::fromStdString(m.formula).toHtmlEscaped()));
  knobEditor_->setMethod(m, knobValues_.value(name), preset().toStdString());
  updateLrHint();
  Q_EMIT selectedMethodChanged(name);
}

void ExperimentPanel::updateLrHint() {
  const QString name = selectedMethod();
  if (name.isEmpty()) return;
  const MethodDescriptor& m = methodDescriptor(name.toStdString());
  const QString title = QString::fromStdString(m.title);
  const std::string p = preset().toStdString();
  const DefaultRates r = defaultRates(m.name, p);
  if (m.name == "lp") {
    lrHint_->setText(title + " fits its head by L-BFGS: no learning rate.");
    return;
  }
  QString where = r.fromAskedPreset(p) ? QString("tuned at this preset")
                                       : QString("not tuned at %1 yet: the quick preset's").arg(QString::fromStdString(p));
  // LP-FT: FT's rates, and its stage-2 factor tuned per preset (the knob box shows it too).
  const QString factor = r.factor > 0 ? QString(", stage 2 x %1 (%2)")
                                            .arg(r.factor, 0, 'g', 3)
                                            .arg(r.factorTunedAt == p ? QString("tuned at this preset")
                                                                      : QString("the quick preset's"))
                                      : QString();
  lrHint_->setText(QString("Defaults for %1: rate %2, head %3 (%4)%5")
                       .arg(title)
                       .arg(r.lr, 0, 'g', 3)
                       .arg(r.headLr, 0, 'g', 3)
                       .arg(where, factor));
  lrHint_->setToolTip(QString::fromStdString(r.source + (r.factor > 0 ? "; factor: " + r.factorSource : "")));
}

void ExperimentPanel::openModelFolder() {
  QSettings settings;
  const QString dir = QFileDialog::getExistingDirectory(this, "Open a Hugging Face model folder",
                                                        settings.value("experiment/lastModelFolder").toString());
  if (dir.isEmpty()) return;
  settings.setValue("experiment/lastModelFolder", dir);
  setModelSource(dir);
}

void ExperimentPanel::openFromHub() {
  HubDialog dialog(this);
  if (dialog.exec() != QDialog::Accepted || dialog.modelSource().isEmpty()) return;
  setModelSource(dialog.modelSource());
  Q_EMIT message("Opened " + dialog.modelSource() + " from the Hugging Face cache", false);
}

void ExperimentPanel::importDataset() {
  ImportDialog dialog(tasksDir_, this);
  if (dialog.exec() != QDialog::Accepted) return;
  setTaskSource(dialog.importedFolder());
  Q_EMIT message("Imported the dataset as " + dialog.importedFolder(), false);
}

}  // namespace pw::ui
