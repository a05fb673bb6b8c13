// The person's preferences (ui::Settings): start minimised to the tray, privacy mode, which
// numbers may notify, and the sandbox server file for rehearsing against chorus-sim. Nothing is
// written until OK; Cancel leaves the settings as they were.
#pragma once

#include <QDialog>
#include <vector>

#include "core/api/account_events.h"
#include "ui/session_list_model.h"
#include "ui/settings.h"

class QCheckBox;
class QLabel;
class QLineEdit;

namespace chorus::ui {

class SettingsDialog : public QDialog {
  Q_OBJECT

 public:
  SettingsDialog(Settings& settings, const SessionListModel& sessions, QWidget* parent = nullptr);

  void accept() override;

 private:
  void chooseSandboxServer();

  Settings& settings_;
  QCheckBox* startMinimised_ = nullptr;
  QCheckBox* privacyMode_ = nullptr;
  std::vector<std::pair<api::AccountId, QCheckBox*>> notify_;
  QLineEdit* sandbox_ = nullptr;
  QLabel* sandboxError_ = nullptr;
};

}  // namespace chorus::ui
