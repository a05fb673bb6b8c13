// The right column: the open chat's name and number above its messages, the composer below —
// or, with no chat open, a quiet line saying what to do.
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;

namespace chorus::ui {

class Composer;
class ConversationView;
class MessageListModel;
class Settings;

class ConversationPanel : public QWidget {
  Q_OBJECT

 public:
  ConversationPanel(MessageListModel& messages, const Settings& settings,
                    QWidget* parent = nullptr);

  // A chat is open: its title and the line under it (its number, the number it belongs to).
  void showChat(const QString& title, const QString& subtitle, bool group);
  // No chat open: `hint` says what to do.
  void showEmpty(const QString& hint);
  [[nodiscard]] bool isShowingChat() const;

  [[nodiscard]] ConversationView* view() const { return view_; }
  [[nodiscard]] Composer* composer() const { return composer_; }
  [[nodiscard]] QPushButton* sendButton() const { return send_; }

 Q_SIGNALS:
  // Enter or Send with something to say (trimmed); the composer is already cleared.
  void sendRequested(const QString& text);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void submit();
  void updateSubtitleColour();

  QStackedWidget* stack_;
  QLabel* emptyHint_;
  QLabel* title_;
  QLabel* subtitle_;
  ConversationView* view_;
  Composer* composer_;
  QPushButton* send_;
};

}  // namespace chorus::ui
