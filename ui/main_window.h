// The main window. Until the engine lands (lifecycle issue) it shows the empty state a new
// user sees: no numbers linked yet.
#pragma once

#include <QMainWindow>

namespace chorus::ui {

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
};

}  // namespace chorus::ui
