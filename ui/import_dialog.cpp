// The dataset import dialog (see import_dialog.h).
#include "import_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include "data/dataset_import.h"
#include "data/raw_table.h"
#include "data/task_csv_write.h"
#include "util/error_text.h"

namespace pw::ui {

struct ImportCheck {
  QString error;
  data::Task task;
  QString textColumn, labelColumn;  // as chosen ("" = automatic)
};

namespace {

const char* kAuto = "(automatic)";

// The file to preview: the path itself, or a folder's train file.
QString previewFile(const QString& path) {
  QFileInfo info(path);
  if (!info.isDir()) return path;
  for (const QFileInfo& f : QDir(path).entryInfoList(QDir::Files, QDir::Name))
    if (f.completeBaseName().toLower() == "train") return f.filePath();
  return QString();
}

}  // namespace

ImportDialog::ImportDialog(const QString& tasksDir, QWidget* parent) : QDialog(parent), tasksDir_(tasksDir) {
  setWindowTitle("Import dataset");
  resize(760, 560);
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(
      "A CSV, TSV or JSON Lines file with a text and a label column (an optional <i>split</i> column: train, "
      "validation, test, ood), or a folder with one file per split (train.csv, validation.csv, test.csv, ood.csv).");
  intro->setWordWrap(true);
  layout->addWidget(intro);

  auto* form = new QFormLayout();
  auto* pathRow = new QHBoxLayout();
  path_ = new QLineEdit();
  path_->setPlaceholderText("file or folder");
  auto* fileButton = new QPushButton("File...");
  auto* folderButton = new QPushButton("Folder...");
  pathRow->addWidget(path_, 1);
  pathRow->addWidget(fileButton);
  pathRow->addWidget(folderButton);
  form->addRow("Data:", pathRow);
  textColumn_ = new QComboBox();
  labelColumn_ = new QComboBox();
  form->addRow("Text column:", textColumn_);
  form->addRow("Label column:", labelColumn_);
  name_ = new QLineEdit();
  form->addRow("Task name:", name_);
  layout->addLayout(form);

  preview_ = new QTableWidget();
  preview_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  preview_->horizontalHeader()->setStretchLastSection(true);
  preview_->verticalHeader()->setVisible(false);
  layout->addWidget(preview_, 1);
  status_ = new QLabel("Pick a file or a folder.");
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons_->button(QDialogButtonBox::Ok)->setText("Import");
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(false);
  layout->addWidget(buttons_);

  connect(fileButton, &QPushButton::clicked, this, &ImportDialog::pickFile);
  connect(folderButton, &QPushButton::clicked, this, &ImportDialog::pickFolder);
  connect(path_, &QLineEdit::editingFinished, this, [this] { setSource(path_->text()); });
  connect(textColumn_, &QComboBox::currentTextChanged, this, &ImportDialog::check);
  connect(labelColumn_, &QComboBox::currentTextChanged, this, &ImportDialog::check);
  connect(buttons_, &QDialogButtonBox::accepted, this, &ImportDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(&watcher_, &QFutureWatcher<std::shared_ptr<ImportCheck>>::finished, this, &ImportDialog::onChecked);
}

ImportDialog::~ImportDialog() { watcher_.waitForFinished(); }

void ImportDialog::pickFile() {
  QSettings settings;
  QString f = QFileDialog::getOpenFileName(this, "Dataset file", settings.value("import/dir").toString(),
                                           "Data (*.csv *.tsv *.jsonl *.ndjson *.json);;All files (*)");
  if (f.isEmpty()) return;
  settings.setValue("import/dir", QFileInfo(f).absolutePath());
  setSource(f);
}

void ImportDialog::pickFolder() {
  QSettings settings;
  QString d = QFileDialog::getExistingDirectory(this, "Folder of split files", settings.value("import/dir").toString());
  if (d.isEmpty()) return;
  settings.setValue("import/dir", d);
  setSource(d);
}

void ImportDialog::setSource(const QString& path) {
  if (path_->text() != path) path_->setText(path);
  QFileInfo info(path);
  name_->setText(info.isDir() ? info.fileName() : info.completeBaseName());
  loadColumns();
  check();
}

void ImportDialog::setColumns(const QString& text, const QString& label) {
  textColumn_->setCurrentText(text);
  labelColumn_->setCurrentText(label);
  check();
}

void ImportDialog::loadColumns() {
  const QSignalBlocker b1(textColumn_), b2(labelColumn_);
  textColumn_->clear();
  labelColumn_->clear();
  textColumn_->addItem(kAuto);
  labelColumn_->addItem(kAuto);
  preview_->clear();
  preview_->setRowCount(0);
  preview_->setColumnCount(0);
  const QString file = previewFile(path_->text());
  if (file.isEmpty()) return;
  try {
    data::RawTable t = data::readRawTable(file.toStdString());
    QStringList columns;
    for (const auto& c : t.columns) columns << QString::fromStdString(c);
    textColumn_->addItems(columns);
    labelColumn_->addItems(columns);
    const int rows = int(std::min<size_t>(t.rowCount(), 50));
    preview_->setColumnCount(columns.size());
    preview_->setHorizontalHeaderLabels(columns);
    for (int c = 0; c < columns.size(); ++c) preview_->horizontalHeaderItem(c)->setData(Qt::UserRole, columns[c]);
    preview_->setRowCount(rows);
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < columns.size(); ++c)
        preview_->setItem(r, c, new QTableWidgetItem(QString::fromStdString(t.cell(size_t(r), t.columns[size_t(c)]))));
    preview_->resizeColumnsToContents();
  } catch (const std::exception& e) {
    status_->setText(QString::fromStdString(pw::errorText(e)));
  }
}

void ImportDialog::check() {
  const QString path = path_->text();
  if (path.isEmpty()) return;
  if (watcher_.isRunning()) {
    recheck_ = true;
    return;
  }
  data::TaskOptions options;
  if (textColumn_->currentText() != kAuto) options.textColumn = textColumn_->currentText().toStdString();
  if (labelColumn_->currentText() != kAuto) options.labelColumn = labelColumn_->currentText().toStdString();
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(false);
  status_->setText("Checking...");
  watcher_.setFuture(QtConcurrent::run([path, options] {
    auto r = std::make_shared<ImportCheck>();
    r->textColumn = QString::fromStdString(options.textColumn);
    r->labelColumn = QString::fromStdString(options.labelColumn);
    try {
      r->task = data::importDataset(path.toStdString(), options);
    } catch (const std::exception& e) {
      r->error = QString::fromStdString(pw::errorText(e));
    }
    return r;
  }));
}

void ImportDialog::onChecked() {
  result_ = watcher_.result();
  if (recheck_) {
    recheck_ = false;
    check();
    return;
  }
  if (!result_->error.isEmpty()) {
    status_->setText("<span style='color:#b02418'>" + result_->error.toHtmlEscaped() + "</span>");
    return;
  }
  const data::Task& t = result_->task;
  QStringList classes;
  for (const auto& c : t.classes) classes << QString::fromStdString(c);
  QString text = QString("<b>%1 classes</b> (%2); train %3, validation %4, test %5, OOD %6.")
                     .arg(classes.size())
                     .arg(classes.join(", ").toHtmlEscaped())
                     .arg(t.train.size())
                     .arg(t.validation.size())
                     .arg(t.test.size())
                     .arg(t.ood.size());
  for (const auto& n : t.notes) text += "<br>" + QString::fromStdString(n).toHtmlEscaped();
  status_->setText(text);
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(true);
  markColumns(result_->textColumn, result_->labelColumn);
}

void ImportDialog::markColumns(const QString& text, const QString& label) {
  for (int c = 0; c < preview_->columnCount(); ++c) {
    QTableWidgetItem* h = preview_->horizontalHeaderItem(c);
    if (!h) continue;
    const QString name = h->data(Qt::UserRole).toString();
    h->setText(name == text ? name + " \u2192 text" : name == label ? name + " \u2192 label" : name);
  }
}

QString ImportDialog::statusText() const { return status_->text(); }

bool ImportDialog::waitForCheck(int ms) {
  QElapsedTimer timer;
  timer.start();
  while ((watcher_.isRunning() || recheck_) && timer.elapsed() < ms) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
  QCoreApplication::processEvents();
  return result_ && result_->error.isEmpty();
}

void ImportDialog::accept() {
  if (!result_ || !result_->error.isEmpty()) return;
  QString name = name_->text().trimmed();
  name.replace(QRegularExpression("[^A-Za-z0-9._-]+"), "-");
  if (name.isEmpty()) name = "imported";
  const QString folder = tasksDir_ + "/" + name;
  if (QDir(folder).exists() &&
      QMessageBox::question(this, "Import dataset", "A task named \"" + name + "\" exists. Replace it?") !=
          QMessageBox::Yes)
    return;
  try {
    data::writeTaskCsvFolder(result_->task, folder.toStdString());
  } catch (const std::exception& e) {
    status_->setText("<span style='color:#b02418'>" + QString::fromStdString(pw::errorText(e)).toHtmlEscaped() + "</span>");
    return;
  }
  imported_ = folder;
  QDialog::accept();
}

}  // namespace pw::ui
