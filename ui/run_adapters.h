// Where the GUI keeps each run's method state (its adapter folder), and what happens to it: made before a
// run trains, removed with the run, copied out by "Export adapter...". Beside a database named
// results.sqlite the folders are <db folder>/adapters/run-<id>; a database with another name gets
// <db folder>/adapters/<name>/run-<id>, so two databases in one folder never share a run's folder.
// Only folders inside that adapters/ tree are ever deleted: a folder a user chose (the CLI's
// --save-adapter DIR) belongs to the user.
#pragma once
#include <QString>

namespace pw::ui {

QString runAdapterFolder(const QString& dbPath, qint64 runId);
// The folder a new run of `dbPath` saves into: runAdapterFolder, emptied if a stale one is there.
QString prepareRunAdapterFolder(const QString& dbPath, qint64 runId);
// Removes `folder` when it is one the workbench made for `dbPath`'s runs; true if it removed something.
bool removeRunAdapterFolder(const QString& dbPath, const QString& folder);

// Copies the saved method state in `source` (adapter_config.json + adapter_model.safetensors, or full
// fine-tuning's model folder) into `target` (created if needed). Refuses a source that is not an adapter
// folder and a target that already holds one unless `overwrite`. Returns false with `error` set.
bool exportAdapterFolder(const QString& source, const QString& target, bool overwrite, QString* error = nullptr);
bool isAdapterFolder(const QString& folder);  // holds adapter_config.json

}  // namespace pw::ui
