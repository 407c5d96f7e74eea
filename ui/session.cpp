// Saved sessions (see session.h).
#include "session.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSettings>

#include <stdexcept>

#include "util/error_text.h"
#include "util/strict_json.h"

namespace pw::ui {
namespace {

const char* kFormat = "peft-workbench-session";

// A model or task is a shipped / built-in name or a path; only paths have a relative form.
bool isPath(const QString& source) { return source.contains('/'); }

QString relativeTo(const QString& file, const QString& path) {
  return QFileInfo(file).absoluteDir().relativeFilePath(QFileInfo(path).absoluteFilePath());
}

// The absolute path when it exists here, else the relative one resolved against the session's folder when
// that exists, else the absolute one (the message about it will name the original place).
QString resolve(const QString& file, const QString& absolute, const QString& relative) {
  if (!absolute.isEmpty() && QFileInfo::exists(absolute)) return absolute;
  if (!relative.isEmpty()) {
    const QString local = QDir::cleanPath(QFileInfo(file).absoluteDir().filePath(relative));
    if (QFileInfo::exists(local)) return local;
  }
  return absolute;
}

QString text(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? QString::fromStdString(j[key].get<std::string>())
                                                               : QString();
}

}  // namespace

nlohmann::json sessionToJson(const Session& s, const QString& file) {
  nlohmann::json experiment = s.experiment.is_object() ? s.experiment : nlohmann::json::object();
  nlohmann::json relative = nlohmann::json::object();
  for (const char* key : {"model", "task"}) {
    const QString source = text(experiment, key);
    if (isPath(source)) relative[key] = relativeTo(file, source).toStdString();
  }
  nlohmann::json shown = nlohmann::json::array();
  for (qint64 id : s.shownRuns) shown.push_back(id);
  nlohmann::json runs = {{"database", s.database.toStdString()}, {"shown", shown}};
  if (!s.database.isEmpty()) runs["database_relative"] = relativeTo(file, s.database).toStdString();
  return {{"format", kFormat},
          {"version", kSessionFormatVersion},
          {"saved_at", QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString()},
          {"experiment", experiment},
          {"relative_paths", relative},
          {"window", {{"tab", s.tab.toStdString()}, {"try_it_text", s.tryItText.toStdString()}}},
          {"runs", runs}};
}

Session sessionFromJson(const nlohmann::json& j, const QString& file) {
  if (!j.is_object() || text(j, "format") != kFormat)
    throw std::runtime_error("this is not a PEFT Workbench session (no \"format\": \"" + std::string(kFormat) + "\")");
  // Range-checked before narrowing: 4294967297 must not read as version 1.
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int64_t>() < 1 ||
      j["version"].get<int64_t>() > 1000000)
    throw std::runtime_error("the session has no valid format version");
  const int version = int(j["version"].get<int64_t>());
  if (version > kSessionFormatVersion)
    throw std::runtime_error("this session was saved by a newer PEFT Workbench (session format version " +
                             std::to_string(version) + "; this version opens version " +
                             std::to_string(kSessionFormatVersion) +
                             " and older). Update PEFT Workbench to open it; nothing was changed.");
  Session s;
  if (j.contains("experiment") && j["experiment"].is_object()) s.experiment = j["experiment"];
  const nlohmann::json relative = j.value("relative_paths", nlohmann::json::object());
  for (const char* key : {"model", "task"}) {
    const QString source = text(s.experiment, key);
    if (isPath(source)) s.experiment[key] = resolve(file, source, text(relative, key)).toStdString();
  }
  s.tab = text(j.value("window", nlohmann::json::object()), "tab");
  s.tryItText = text(j.value("window", nlohmann::json::object()), "try_it_text");
  const nlohmann::json runs = j.value("runs", nlohmann::json::object());
  s.database = resolve(file, text(runs, "database"), text(runs, "database_relative"));
  if (runs.is_object() && runs.contains("shown") && runs["shown"].is_array())
    for (const auto& id : runs["shown"])
      if (id.is_number_integer()) s.shownRuns << id.get<qint64>();
  return s;
}

bool writeSessionFile(const Session& session, const QString& file, QString* error) {
  QSaveFile out(file);  // all or nothing: a failed save never leaves half a lesson file
  const std::string content = sessionToJson(session, file).dump(2) + "\n";
  if (!out.open(QIODevice::WriteOnly) || out.write(content.data(), qint64(content.size())) != qint64(content.size()) ||
      !out.commit()) {
    if (error) *error = file + ": " + out.errorString();
    return false;
  }
  return true;
}

bool readSessionFile(const QString& file, Session* session, QString* error) {
  QFile in(file);
  if (!in.open(QIODevice::ReadOnly)) {
    if (error) *error = file + ": " + in.errorString();
    return false;
  }
  try {
    const QByteArray bytes = in.readAll();
    *session = sessionFromJson(parseStrictJson(bytes.toStdString(), file.toStdString()), file);
  } catch (const nlohmann::json::exception& e) {
    if (error) *error = file + ": not a session file (" + QString::fromStdString(pw::errorText(e)) + ")";
    return false;
  } catch (const std::exception& e) {
    const QString text = QString::fromStdString(pw::errorText(e));
    if (error) *error = text.startsWith(file + ":") ? text : file + ": " + text;  // the JSON reader names it already
    return false;
  }
  return true;
}

QStringList recentSessions() {
  return QSettings().value("session/recent").toStringList().mid(0, kRecentSessions);
}

void addRecentSession(const QString& file) {
  const QString path = QFileInfo(file).absoluteFilePath();
  QStringList list = recentSessions();
  list.removeAll(path);
  list.prepend(path);
  QSettings().setValue("session/recent", list.mid(0, kRecentSessions));
}

void removeRecentSession(const QString& file) {
  QStringList list = recentSessions();
  list.removeAll(QFileInfo(file).absoluteFilePath());
  QSettings().setValue("session/recent", list);
}

}  // namespace pw::ui
