// Run adapter folders (see run_adapters.h).
#include "run_adapters.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace pw::ui {
namespace {

QString adaptersRoot(const QString& dbPath) {
  const QFileInfo db(dbPath);
  const QString root = db.absolutePath() + "/adapters";
  return db.completeBaseName() == "results" ? root : root + "/" + db.completeBaseName();
}

bool copyTree(const QString& from, const QString& to, QString* error) {
  if (!QDir().mkpath(to)) {
    if (error) *error = to + ": cannot create the folder";
    return false;
  }
  const QDir source(from);
  for (const QFileInfo& entry : source.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot)) {
    const QString target = to + "/" + entry.fileName();
    if (entry.isDir()) {
      if (!copyTree(entry.absoluteFilePath(), target, error)) return false;
      continue;
    }
    QFile::remove(target);
    if (!QFile::copy(entry.absoluteFilePath(), target)) {
      if (error) *error = target + ": cannot write the file (disk full or no permission?)";
      return false;
    }
  }
  return true;
}

}  // namespace

QString runAdapterFolder(const QString& dbPath, qint64 runId) {
  return adaptersRoot(dbPath) + QString("/run-%1").arg(runId);
}

QString prepareRunAdapterFolder(const QString& dbPath, qint64 runId) {
  const QString folder = runAdapterFolder(dbPath, runId);
  // Run ids are never reused within a database, so anything here is left from a database file that was
  // deleted by hand and started again: it must not mix with this run's files.
  QDir(folder).removeRecursively();
  return folder;
}

bool removeRunAdapterFolder(const QString& dbPath, const QString& folder) {
  if (folder.isEmpty()) return false;
  const QString root = QDir::cleanPath(QFileInfo(adaptersRoot(dbPath)).absoluteFilePath()) + "/";
  const QString target = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
  if (!target.startsWith(root) || !QFileInfo(target).isDir()) return false;
  return QDir(target).removeRecursively();
}

bool isAdapterFolder(const QString& folder) {
  return !folder.isEmpty() && QFileInfo(folder + "/adapter_config.json").isFile();
}

bool exportAdapterFolder(const QString& source, const QString& target, bool overwrite, QString* error) {
  if (!isAdapterFolder(source)) {
    if (error) *error = source.isEmpty() ? QString("this run kept no method state")
                                         : source + ": no adapter folder here any more (adapter_config.json is missing)";
    return false;
  }
  const QString from = QDir::cleanPath(QFileInfo(source).absoluteFilePath());
  const QString to = QDir::cleanPath(QFileInfo(target).absoluteFilePath());
  if (from == to || to.startsWith(from + "/")) {
    if (error) *error = target + ": choose a folder outside the run's own adapter folder";
    return false;
  }
  if (isAdapterFolder(target) && !overwrite) {
    if (error) *error = target + ": already holds an adapter";
    return false;
  }
  return copyTree(from, to, error);
}

}  // namespace pw::ui
