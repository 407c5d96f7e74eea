// The message bar (see message_bar.h).
#include "message_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace pw::ui {

MessageBar::MessageBar(QWidget* parent) : QFrame(parent) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(8, 4, 4, 4);
  label_ = new QLabel();
  label_->setWordWrap(true);
  label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* close = new QToolButton();
  close->setText("\u00d7");
  close->setAutoRaise(true);
  close->setToolTip("Hide this message");
  row->addWidget(label_, 1);
  row->addWidget(close);
  setVisible(false);
  connect(close, &QToolButton::clicked, this, &QWidget::hide);
}

void MessageBar::showMessage(const QString& text, bool error) {
  label_->setText(text);
  setStyleSheet(error ? "QFrame { background: #fde2e1; } QLabel { color: #8a1c16; }"
                      : "QFrame { background: #e8f0fe; } QLabel { color: #1a3d7c; }");
  setVisible(true);
}

QString MessageBar::text() const { return isHidden() ? QString() : label_->text(); }

}  // namespace pw::ui
