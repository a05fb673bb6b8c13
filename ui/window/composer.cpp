#include "ui/window/composer.h"

#include <QKeyEvent>
#include <QTextBlock>
#include <QTextDocument>
#include <algorithm>
#include <cmath>

namespace chorus::ui {

namespace {
constexpr int kMaxLines = 6;
}

Composer::Composer(QWidget* parent) : QPlainTextEdit(parent) {
  setObjectName(QStringLiteral("composer"));
  setAccessibleName(tr("Message"));
  setAccessibleDescription(tr("Enter sends, Shift+Enter starts a new line"));
  setPlaceholderText(tr("Write a message"));
  setTabChangesFocus(true);
  setLineWrapMode(QPlainTextEdit::WidgetWidth);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  connect(this, &QPlainTextEdit::textChanged, this, [this] { updateGeometry(); });
}

int Composer::heightForLines(int lines) const {
  const int margins = contentsMargins().top() + contentsMargins().bottom() +
                      static_cast<int>(std::ceil(2 * document()->documentMargin()));
  return fontMetrics().lineSpacing() * lines + margins + 2;
}

QSize Composer::sizeHint() const {
  // Visual lines (wrapped), not paragraphs.
  int lines = 0;
  for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
    lines += std::max(1, block.layout() ? block.layout()->lineCount() : 1);
  }
  return {QPlainTextEdit::sizeHint().width(), heightForLines(std::clamp(lines, 1, kMaxLines))};
}

QSize Composer::minimumSizeHint() const {
  return {QPlainTextEdit::minimumSizeHint().width(), heightForLines(1)};
}

void Composer::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
    if (event->modifiers().testFlag(Qt::ShiftModifier)) {
      insertPlainText(QStringLiteral("\n"));
    } else if (!event->modifiers().testFlag(Qt::ControlModifier) &&
               !event->modifiers().testFlag(Qt::AltModifier)) {
      Q_EMIT submitted();
    }
    event->accept();
    return;
  }
  QPlainTextEdit::keyPressEvent(event);
}

}  // namespace chorus::ui
