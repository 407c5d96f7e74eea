// Saved sessions: the whole state of the window in one `.pwb` JSON file (File > Save session / Open
// session, `peft-workbench FILE.pwb`): the experiment panel (model, random weights, task, checked methods,
// every method's knobs, training knobs, preset), the selected tab, the Try it sentence, and which runs are
// shown (their ids and the results database). A teacher saves a lesson next to its results database and students open it: paths
// are stored absolute and relative to the file, and the relative one wins when the absolute one is not on
// this machine. A file written by a newer format version is refused with a message that says so.
#pragma once
#include <nlohmann/json.hpp>

#include <QList>
#include <QString>
#include <QStringList>

namespace pw::ui {

constexpr int kSessionFormatVersion = 1;
constexpr int kRecentSessions = 8;

struct Session {
  nlohmann::json experiment = nlohmann::json::object();  // ExperimentPanel::state()
  QString tab;                                           // the selected tab's title
  QString tryItText;                                     // the sentence in the Try it tab
  QString database;                                      // the results database (absolute)
  QList<qint64> shownRuns;                               // the selected rows of the runs table
};

// The file's JSON: {"format": "peft-workbench-session", "version": 1, ...}; paths relative to `file` too.
nlohmann::json sessionToJson(const Session& session, const QString& file);
// Reads what sessionToJson wrote. Relative paths are resolved against `file`'s folder where the absolute
// ones do not exist. Throws std::runtime_error with a message for people (a newer version, not a session).
Session sessionFromJson(const nlohmann::json& json, const QString& file);

bool writeSessionFile(const Session& session, const QString& file, QString* error = nullptr);
bool readSessionFile(const QString& file, Session* session, QString* error = nullptr);

// Recently opened or saved sessions (QSettings, newest first, at most kRecentSessions).
QStringList recentSessions();
void addRecentSession(const QString& file);
void removeRecentSession(const QString& file);

}  // namespace pw::ui
