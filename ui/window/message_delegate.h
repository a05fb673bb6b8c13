// Paints the conversation: one row per message, no widget per message. Incoming bubbles on the
// left, ours on the right (tinted with the accent), the author's name above the text in groups,
// the time and our ticks in the bubble's corner (clock queued, ✓ sent, ✓✓ delivered, ✓✓ in the
// accent read), a failed message's reason in red with a "Retry" link under it, placeholders in
// italics, notices centred without a bubble, and a day separator above the first message of a
// day. Sizes follow the view's width; all colours come from the palette.
#pragma once

#include <QStyledItemDelegate>

#include <unordered_map>

class QTextLayout;

namespace chorus::ui {

class MessageDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  // Groups: incoming messages name their author.
  void setShowSenders(bool on) { showSenders_ = on; }

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;
  [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem& option,
                               const QModelIndex& index) const override;
  // Where the "Retry" link of a failed message is (view coordinates), empty when none.
  [[nodiscard]] QRect retryRect(const QStyleOptionViewItem& option, const QModelIndex& index) const;
  // The day separator's text for a local date ("Today", "Yesterday", "Monday, 3 June 2024").
  [[nodiscard]] static QString dayText(const QDate& day, const QDate& today);

 Q_SIGNALS:
  void retryRequested(const QModelIndex& index);

 protected:
  bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                   const QModelIndex& index) override;

 private:
  struct Geometry;
  [[nodiscard]] Geometry geometry(const QStyleOptionViewItem& option, const QModelIndex& index,
                                  QTextLayout& layout) const;

  // Row heights by everything they depend on: the view lays out every row again whenever a
  // page is inserted above, and laying out text is what costs (a 50,000-message chat).
  struct HeightKey {
    qint64 localId = 0;
    int width = 0;
    int status = 0;
    int kind = 0;
    bool startsDay = false;
    bool showSenders = false;
    qint64 fontKey = 0;
    bool operator==(const HeightKey&) const = default;
  };
  struct HeightKeyHash {
    std::size_t operator()(const HeightKey& k) const noexcept;
  };
  [[nodiscard]] HeightKey heightKey(const QStyleOptionViewItem& option,
                                    const QModelIndex& index) const;

  bool showSenders_ = false;
  mutable std::unordered_map<HeightKey, int, HeightKeyHash> heights_;
};

}  // namespace chorus::ui
