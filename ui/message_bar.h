// The message bar above the charts: errors (red) and notes (blue) in words, closable; never a modal box.
#pragma once
#include <QFrame>

class QLabel;

namespace pw::ui {

class MessageBar : public QFrame {
  Q_OBJECT
 public:
  explicit MessageBar(QWidget* parent = nullptr);
  void showMessage(const QString& text, bool error);
  QString text() const;  // "" while hidden

 private:
  QLabel* label_ = nullptr;
};

}  // namespace pw::ui
