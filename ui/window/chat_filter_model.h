// Search over the chat list: a chat stays when its title contains the words typed (any case) or
// its number contains the digits typed ("555 12" finds +1 555 1234...). Order is the source's.
#pragma once

#include <QSortFilterProxyModel>
#include <QString>

namespace chorus::ui {

class Settings;

class ChatFilterModel : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;

  // Names on the screen (display and accessible text) follow privacy mode from then on.
  void setSettings(const Settings* settings) { settings_ = settings; }
  void setSearch(const QString& text);
  [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
  [[nodiscard]] const QString& search() const noexcept { return search_; }

 protected:
  [[nodiscard]] bool filterAcceptsRow(int sourceRow,
                                      const QModelIndex& sourceParent) const override;

 private:
  const Settings* settings_ = nullptr;
  QString search_;
  QString digits_;  // the digits of search_, when it looks like a number
};

}  // namespace chorus::ui
