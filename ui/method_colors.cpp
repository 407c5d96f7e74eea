// Method and parameter-group colours and titles (see method_colors.h), read from the methods' descriptors.
#include "method_colors.h"

#include <QHash>

#include "methods/catalog.h"

namespace pw::ui {
namespace {

const MethodDescriptor* find(const QString& method) {
  for (const auto& m : methodCatalog())
    if (QString::fromStdString(m.name) == method) return &m;
  return nullptr;
}

}  // namespace

QColor methodColor(const QString& method) {
  if (const MethodDescriptor* m = find(method); m && QColor::isValidColorName(QString::fromStdString(m->colour)))
    return QColor(QString::fromStdString(m->colour));
  // Unknown, or a descriptor without a colour: a hue derived from the name, the same between launches.
  return QColor::fromHsv(int(qHash(method, 7) % 360), 150, 170);
}

QString methodTitle(const QString& method) {
  const MethodDescriptor* m = find(method);
  return m ? QString::fromStdString(m->title) : method;
}

QString methodShortTitle(const QString& method) {
  const MethodDescriptor* m = find(method);
  return m ? QString::fromStdString(m->shortTitle.empty() ? m->title : m->shortTitle) : method;
}

int methodOrder(const QString& method) {
  const auto& catalog = methodCatalog();
  for (size_t i = 0; i < catalog.size(); ++i)
    if (QString::fromStdString(catalog[i].name) == method) return int(i);
  return int(catalog.size());
}

QStringList parameterGroups() {
  QStringList keys;
  for (const auto& g : pw::parameterGroups()) keys << QString::fromStdString(g.key);
  return keys;
}

QString parameterGroupTitle(const QString& group) {
  const ParamGroupSpec* g = parameterGroup(group.toStdString());
  return g ? QString::fromStdString(g->title) : group;
}

QString parameterGroupShortTitle(const QString& group) {
  const ParamGroupSpec* g = parameterGroup(group.toStdString());
  return g ? QString::fromStdString(g->shortTitle) : group;
}

QColor parameterGroupColor(const QString& group) {
  if (group == "head") return QColor(0x9a, 0x9a, 0x9a);
  const QString owner = QString::fromStdString(groupOwner(group.toStdString()));
  // A method's second group (adapters' LayerNorms) in a lighter shade of its colour.
  const auto* m = find(owner);
  const bool first = m && !m->groups.empty() && QString::fromStdString(m->groups.front().key) == group;
  return first || !m ? methodColor(owner.isEmpty() ? group : owner) : methodColor(owner).lighter(150);
}

}  // namespace pw::ui
