// The ID vs OOD tab's verdicts in words: on each test split (ID, each OOD set), the best configuration
// against every other, with core's paired test (compareRuns: McNemar on the same examples for one seed,
// paired t over seeds) and its sentence ("... within noise" / "... a real difference at 95 %").
#pragma once
#include <QList>
#include <QString>
#include <QStringList>

#include "charts/run_summary.h"
#include "util/verdict.h"

namespace pw::ui {

struct SplitVerdicts {
  QString split;           // "ID test" or the OOD set's name
  QString best;            // the group with the highest mean on it
  SplitStats bestStats;
  QList<QPair<QString, Verdict>> others;  // other group -> best vs it
};

// `splits`: in the order to show them (the bar chart's). Groups without a split are left out of it.
QList<SplitVerdicts> splitVerdicts(const QList<GroupStats>& groups, const QStringList& splits);
// A short rich-text list for a QTextBrowser; `plain` gets the same as plain text when not null.
QString verdictsHtml(const QList<SplitVerdicts>& verdicts, int groupCount, QString* plain = nullptr);

}  // namespace pw::ui
