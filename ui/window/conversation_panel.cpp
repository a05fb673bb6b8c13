#include "ui/window/conversation_panel.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "ui/window/composer.h"
#include "ui/window/conversation_view.h"
#include "ui/window/look.h"
#include "ui/window/message_delegate.h"

namespace chorus::ui {

namespace {

QFrame* line(QWidget* parent) {
  auto* frame = new QFrame(parent);
  frame->setFrameShape(QFrame::HLine);
  frame->setFrameShadow(QFrame::Plain);
  frame->setForegroundRole(QPalette::Midlight);
  return frame;
}

}  // namespace

ConversationPanel::ConversationPanel(MessageListModel& messages, const Settings& settings,
                                     QWidget* parent)
    : QWidget(parent),
      stack_(new QStackedWidget(this)),
      emptyHint_(new QLabel(this)),
      title_(new QLabel(this)),
      subtitle_(new QLabel(this)),
      view_(new ConversationView(messages, settings, this)),
      composer_(new Composer(this)),
      send_(new QPushButton(tr("Send"), this)) {
  setObjectName(QStringLiteral("conversationPanel"));
  emptyHint_->setObjectName(QStringLiteral("conversationHint"));
  emptyHint_->setAlignment(Qt::AlignCenter);
  emptyHint_->setWordWrap(true);
  emptyHint_->setEnabled(false);  // the palette's secondary text
  emptyHint_->setFont(look::scaled(font(), 1.15));
  stack_->addWidget(emptyHint_);

  auto* page = new QWidget(stack_);
  title_->setObjectName(QStringLiteral("chatTitle"));
  QFont big = look::scaled(font(), 1.15);
  big.setBold(true);
  title_->setFont(big);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  subtitle_->setObjectName(QStringLiteral("chatSubtitle"));
  subtitle_->setFont(look::scaled(font(), 0.9));
  updateSubtitleColour();
  auto* header = new QVBoxLayout;
  header->setContentsMargins(14, 8, 14, 8);
  header->setSpacing(1);
  header->addWidget(title_);
  header->addWidget(subtitle_);

  send_->setObjectName(QStringLiteral("sendButton"));
  send_->setAccessibleName(tr("Send message"));
  send_->setToolTip(tr("Send (Enter)"));
  connect(send_, &QPushButton::clicked, this, &ConversationPanel::submit);
  connect(composer_, &Composer::submitted, this, &ConversationPanel::submit);
  auto* composerRow = new QHBoxLayout;
  composerRow->setContentsMargins(10, 8, 10, 10);
  composerRow->setSpacing(8);
  composerRow->addWidget(composer_, 1);
  composerRow->addWidget(send_, 0, Qt::AlignBottom);

  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(header);
  layout->addWidget(line(page));
  layout->addWidget(view_, 1);
  layout->addWidget(line(page));
  layout->addLayout(composerRow);
  stack_->addWidget(page);

  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  outer->addWidget(stack_);
  setTabOrder(view_, composer_);
  setTabOrder(composer_, send_);
  showEmpty(tr("Choose a chat to read and answer it."));
}

void ConversationPanel::showChat(const QString& title, const QString& subtitle, bool group) {
  title_->setText(title);
  subtitle_->setText(subtitle);
  subtitle_->setVisible(!subtitle.isEmpty());
  view_->messageDelegate()->setShowSenders(group);
  view_->setAccessibleName(tr("Messages with %1").arg(title));
  stack_->setCurrentIndex(1);
}

void ConversationPanel::showEmpty(const QString& hint) {
  emptyHint_->setText(hint);
  stack_->setCurrentIndex(0);
}

void ConversationPanel::updateSubtitleColour() {
  // Secondary text with enough contrast (a disabled label would be too faint to read).
  QPalette palette = subtitle_->palette();
  palette.setColor(QPalette::WindowText, look::mix(palette.color(QPalette::WindowText),
                                                   palette.color(QPalette::Window), 0.35));
  subtitle_->setPalette(palette);
}

void ConversationPanel::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) {
    subtitle_->setPalette(QPalette());  // inherit again, then tone down
    updateSubtitleColour();
  }
}

bool ConversationPanel::isShowingChat() const {
  return stack_->currentIndex() == 1;
}

void ConversationPanel::submit() {
  const QString text = composer_->toPlainText().trimmed();
  if (text.isEmpty()) return;
  composer_->clear();
  Q_EMIT sendRequested(text);
}

}  // namespace chorus::ui
