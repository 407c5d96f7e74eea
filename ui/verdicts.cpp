// Verdicts in words for the ID vs OOD tab (see verdicts.h).
#include "verdicts.h"

namespace pw::ui {

QList<SplitVerdicts> splitVerdicts(const QList<GroupStats>& groups, const QStringList& splits) {
  QList<SplitVerdicts> out;
  for (const QString& split : splits) {
    static const std::vector<SeedAccuracy> none;
    std::vector<const std::vector<SeedAccuracy>*> runs;
    std::vector<std::string> names;
    for (const GroupStats& g : groups) {
      const SplitStats* s = g.split(split);
      runs.push_back(s && s->count > 0 ? &s->runs : &none);
      names.push_back(g.group.toStdString());
    }
    const BestComparison c = compareWithBest(runs, names, "", true);
    if (c.best < 0) continue;
    const GroupStats& best = groups[c.best];
    SplitVerdicts v;
    v.split = split;
    v.best = best.group;
    v.bestStats = *best.split(split);
    for (const auto& [i, verdict] : c.others) v.others << qMakePair(groups[i].group, verdict);
    out << v;
  }
  return out;
}

QString verdictsHtml(const QList<SplitVerdicts>& verdicts, int groupCount, QString* plain) {
  QStringList html, text;
  if (groupCount == 0) {
    html << "<i>No finished runs selected.</i>", text << "No finished runs selected.";
  } else if (groupCount == 1) {
    html << "<i>One configuration shown: select runs of another method to compare.</i>";
    text << "One configuration shown: select runs of another method to compare.";
  }
  for (const SplitVerdicts& v : verdicts) {
    if (v.others.isEmpty()) continue;
    QString head = QString("%1: best is %2, %3 %")
                       .arg(splitTitle(v.split), v.best, accuracyWithInterval(v.bestStats.summary));
    // At a glance: which of the others are within noise of the best ("these two are the same").
    QStringList same;
    for (const auto& [other, verdict] : v.others)
      if (verdict.valid && !verdict.significant) same << other;
    if (!same.isEmpty()) head += " \u2014 within noise of it: " + same.join(", ");
    html << "<b>" + head.toHtmlEscaped() + "</b><ul style=\"margin-top:0px; margin-bottom:4px;\">";
    text << head;
    for (const auto& [other, verdict] : v.others) {
      const QString sentence = QString::fromStdString(verdict.sentence);
      text << "  - " + sentence;
      QString item = sentence.toHtmlEscaped();
      item.replace("a real difference at 95 %", "<b>a real difference at 95 %</b>");
      item.replace("within noise", "<span style=\"color:#666666;\"><i>within noise</i></span>");
      html << "<li>" + item + "</li>";
    }
    html << "</ul>";
  }
  if (groupCount > 1) {
    const QString note = "Differences are in accuracy points with their 95 % interval. Paired tests: McNemar on the "
                         "same test examples for one seed, paired t over seeds; \u201cwithin noise\u201d means "
                         "p \u2265 0.05.";
    html << "<span style=\"color:#666666;\">" + note.toHtmlEscaped() + "</span>";
    text << note;
  }
  if (plain) *plain = text.join("\n");
  return html.join("\n");
}

}  // namespace pw::ui
