// The workbench's main window (see main_window.h).
#include "main_window.h"

#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include "models/model_folder.h"
#include "models/model_summary.h"

namespace pw::ui {
namespace {

SummaryResult loadSummary(const QString& source) {
  SummaryResult r;
  r.source = source;
  try {
    ModelSummary s = summarizeModel(source.toStdString());
    r.text = QString::fromStdString(s.toText());
    auto add = [&](const QString& k, const QString& v) { r.rows.append({k, v}); };
    add("Folder", QString::fromStdString(s.folder));
    add("Family", s.family == "bert" ? "BERT-style encoder (bidirectional attention)"
                                     : "GPT-2-style decoder (causal attention)");
    add("Layers", QString::number(s.layers));
    add("Hidden size", QString::number(s.hidden));
    add("Attention heads", QString::number(s.heads));
    add("Feed-forward size", QString("%1 (%2)").arg(s.intermediate).arg(QString::fromStdString(s.activation)));
    add("Vocabulary", QString::number(s.vocabSize));
    add("Max positions", QString::number(s.maxPositions));
    add("Classifier input", s.pooling == "mean"  ? "mean of the token outputs"
                            : s.pooling == "cls" ? "the [CLS] token, through the pooler"
                                                 : "the last real token");
    add("Parameters", QLocale().toString(qlonglong(s.parameters)) + " (base model, without heads)");
    add("Tokenizer", QString::fromStdString(s.tokenizer));
  } catch (const std::exception& e) {
    r.error = QString::fromUtf8(e.what());
  }
  return r;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  buildUi();
  connect(&watcher_, &QFutureWatcher<SummaryResult>::finished, this, &MainWindow::onSummaryReady);
  QSettings settings;
  restoreGeometry(settings.value("window/geometry").toByteArray());
}

MainWindow::~MainWindow() {
  QSettings().setValue("window/geometry", saveGeometry());
  watcher_.waitForFinished();
}

void MainWindow::buildUi() {
  setWindowTitle("PEFT Workbench");
  resize(1100, 720);
  auto* fileMenu = menuBar()->addMenu("&File");
  fileMenu->addAction("&Open model folder...", QKeySequence::Open, this, &MainWindow::openModelFolder);
  fileMenu->addSeparator();
  fileMenu->addAction("&Quit", QKeySequence::Quit, qApp, &QApplication::quit);

  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  auto* row = new QHBoxLayout();
  row->addWidget(new QLabel("Base model:"));
  modelBox_ = new QComboBox();
  for (const auto& name : shippedModelNames()) modelBox_->addItem(QString::fromStdString(name));
  modelBox_->setMinimumWidth(220);
  row->addWidget(modelBox_);
  auto* openButton = new QPushButton("Open model folder...");
  row->addWidget(openButton);
  row->addStretch();
  layout->addLayout(row);

  titleLabel_ = new QLabel();
  QFont f = titleLabel_->font();
  f.setPointSizeF(f.pointSizeF() * 1.3);
  f.setBold(true);
  titleLabel_->setFont(f);
  layout->addWidget(titleLabel_);

  summaryTable_ = new QTableWidget(0, 2);
  summaryTable_->setHorizontalHeaderLabels({"Property", "Value"});
  summaryTable_->horizontalHeader()->setStretchLastSection(true);
  summaryTable_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  summaryTable_->verticalHeader()->setVisible(false);
  summaryTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  summaryTable_->setAlternatingRowColors(true);
  layout->addWidget(summaryTable_, 1);

  messageBar_ = new QLabel();
  messageBar_->setWordWrap(true);
  messageBar_->setVisible(false);
  layout->addWidget(messageBar_);
  setCentralWidget(central);

  statusBar()->showMessage(QString("Threads: %1").arg(QThread::idealThreadCount()));
  connect(modelBox_, &QComboBox::currentTextChanged, this, [this](const QString& name) {
    if (!name.isEmpty()) showModel(name);
  });
  connect(openButton, &QPushButton::clicked, this, &MainWindow::openModelFolder);
  if (modelBox_->count() == 0) showMessage("No shipped models found. Use \"Open model folder...\".", false);
  else showModel(modelBox_->currentText());
}

void MainWindow::showModel(const QString& nameOrFolder) {
  if (watcher_.isRunning()) watcher_.waitForFinished();
  titleLabel_->setText("Loading " + nameOrFolder + "...");
  watcher_.setFuture(QtConcurrent::run(loadSummary, nameOrFolder));
}

QString MainWindow::currentSummaryText() const { return lastText_; }

QString MainWindow::messageText() const { return messageBar_->isHidden() ? QString() : messageBar_->text(); }

void MainWindow::openModelFolder() {
  QString dir = QFileDialog::getExistingDirectory(this, "Open a Hugging Face model folder",
                                                  QSettings().value("lastModelFolder").toString());
  if (dir.isEmpty()) return;
  QSettings().setValue("lastModelFolder", dir);
  showModel(dir);
}

void MainWindow::onSummaryReady() {
  SummaryResult r = watcher_.result();
  if (!r.error.isEmpty()) {
    titleLabel_->setText("Could not load " + r.source);
    summaryTable_->setRowCount(0);
    lastText_.clear();
    showMessage(r.error, true);
    Q_EMIT modelLoaded(false);
    return;
  }
  titleLabel_->setText(r.source);
  summaryTable_->setRowCount(r.rows.size());
  for (int i = 0; i < r.rows.size(); ++i) {
    summaryTable_->setItem(i, 0, new QTableWidgetItem(r.rows[i].first));
    summaryTable_->setItem(i, 1, new QTableWidgetItem(r.rows[i].second));
  }
  lastText_ = r.text;
  messageBar_->setVisible(false);
  Q_EMIT modelLoaded(true);
}

void MainWindow::showMessage(const QString& text, bool error) {
  messageBar_->setText(text);
  messageBar_->setStyleSheet(error ? "QLabel { background: #fde2e1; color: #8a1c16; padding: 6px; border-radius: 4px; }"
                                   : "QLabel { background: #e8f0fe; color: #1a3d7c; padding: 6px; border-radius: 4px; }");
  messageBar_->setVisible(true);
}

}  // namespace pw::ui
