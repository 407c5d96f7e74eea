// One colour per fine-tuning method, the same in every chart and table, and one per parameter group
// (a group takes the colour of the method that owns it: LoRA tensors are LoRA's colour, and so on).
#pragma once
#include <QColor>
#include <QString>
#include <QStringList>

namespace pw::ui {

QColor methodColor(const QString& method);  // stable for unknown names too
QString methodTitle(const QString& method);  // the catalogue's title ("LoRA"), or the name itself
QString methodShortTitle(const QString& method);  // for crowded chart axes: "LP", "FT", "Adapter" ...
int methodOrder(const QString& method);  // position in the catalogue (unknown names last)

// Parameter groups of a ParamBreakdown in drawing order (the head, then each method's groups in registry
// order), their display names and colours (from the descriptors).
QStringList parameterGroups();
QString parameterGroupTitle(const QString& group);  // "LoRA matrices", "biases (BitFit)", "backbone (all weights)" ...
QString parameterGroupShortTitle(const QString& group);  // "LoRA", "biases", "backbone" ...
QColor parameterGroupColor(const QString& group);

}  // namespace pw::ui
