// Paints one chat of the chat list: its title (bold while unread), the time of the last message,
// the last message as a one-line preview (with our ticks when it was ours), the unread count,
// and — when every number's chats are shown — the name of the number the chat belongs to.
// Customer numbers go through Settings::displayNumber (privacy mode masks them).
#pragma once

#include <QDateTime>
#include <QStyledItemDelegate>
#include <functional>

namespace chorus::ui {

class Settings;

// A chat's title for the screen: its name, or its number as privacy mode allows.
[[nodiscard]] QString chatTitle(const QModelIndex& chatIndex, const Settings& settings);
// "14:20" today, "Yesterday", a weekday within the week, else a short date (local time).
[[nodiscard]] QString shortWhen(const QDateTime& utc, const QDateTime& now);

class ChatDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  using AccountName = std::function<QString(const QString& accountId)>;
  ChatDelegate(const Settings& settings, AccountName accountName, QObject* parent = nullptr);

  // On when chats of several numbers are listed together.
  void setShowAccounts(bool on) { showAccounts_ = on; }

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;
  [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem& option,
                               const QModelIndex& index) const override;

 private:
  const Settings& settings_;
  AccountName accountName_;
  bool showAccounts_ = false;
};

}  // namespace chorus::ui
