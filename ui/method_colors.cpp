// Method and parameter-group colours (see method_colors.h). A Tableau-10-like palette, darkened where a
// colour would be too pale on white.
#include "method_colors.h"

#include <QHash>

#include "methods/catalog.h"

namespace pw::ui {

QColor methodColor(const QString& method) {
  static const QHash<QString, QColor> colours = {
      {"lp", QColor(0x4e, 0x79, 0xa7)},     {"ft", QColor(0xe1, 0x57, 0x59)},
      {"lp-ft", QColor(0xf2, 0x8e, 0x2b)},  {"prompt", QColor(0x3f, 0x9c, 0x96)},
      {"prefix", QColor(0x59, 0xa1, 0x4f)}, {"adapter", QColor(0xa0, 0x63, 0x92)},
      {"lora", QColor(0xd3, 0x5f, 0x8d)},   {"bitfit", QColor(0x9c, 0x75, 0x5f)},
      {"ia3", QColor(0xc9, 0xa2, 0x27)},
  };
  auto it = colours.find(method);
  if (it != colours.end()) return *it;
  // Unknown (a method added later): a hue derived from the name, so it stays the same between launches.
  return QColor::fromHsv(int(qHash(method, 7) % 360), 150, 170);
}

QString methodTitle(const QString& method) {
  for (const auto& m : methodCatalog())
    if (QString::fromStdString(m.name) == method) return QString::fromStdString(m.title);
  return method;
}

QString methodShortTitle(const QString& method) {
  static const QHash<QString, QString> titles = {
      {"lp", "LP"},         {"ft", "FT"},           {"lp-ft", "LP-FT"}, {"prompt", "Prompt"}, {"prefix", "Prefix"},
      {"adapter", "Adapter"}, {"lora", "LoRA"}, {"bitfit", "BitFit"}, {"ia3", "IA3"},
  };
  return titles.value(method, methodTitle(method));
}

int methodOrder(const QString& method) {
  const auto& catalog = methodCatalog();
  for (size_t i = 0; i < catalog.size(); ++i)
    if (QString::fromStdString(catalog[i].name) == method) return int(i);
  return int(catalog.size());
}

QStringList parameterGroups() {
  return {"head", "bias", "ia3", "layernorm", "prompt", "prefix", "lora", "adapter", "backbone"};
}

QString parameterGroupTitle(const QString& group) {
  static const QHash<QString, QString> titles = {
      {"head", "classification head"}, {"bias", "biases (BitFit)"}, {"ia3", "IA3 scales"},
      {"layernorm", "LayerNorms"},     {"prompt", "prompt vectors"}, {"prefix", "prefix keys/values"},
      {"lora", "LoRA matrices"},       {"adapter", "adapters"},      {"backbone", "backbone (all weights)"},
  };
  return titles.value(group, group);
}

QString parameterGroupShortTitle(const QString& group) {
  static const QHash<QString, QString> titles = {
      {"head", "head"},     {"bias", "biases"}, {"ia3", "IA3"},   {"layernorm", "LayerNorms"}, {"prompt", "prompt"},
      {"prefix", "prefix"}, {"lora", "LoRA"},   {"adapter", "adapters"}, {"backbone", "backbone"},
  };
  return titles.value(group, group);
}

QColor parameterGroupColor(const QString& group) {
  if (group == "head") return QColor(0x9a, 0x9a, 0x9a);
  if (group == "bias") return methodColor("bitfit");
  if (group == "ia3") return methodColor("ia3");
  if (group == "layernorm") return methodColor("adapter").lighter(150);
  if (group == "backbone") return methodColor("ft");
  return methodColor(group);  // prompt, prefix, lora, adapter share their method's colour
}

}  // namespace pw::ui
