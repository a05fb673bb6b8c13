// Where an answer is written: Enter sends, Shift+Enter starts a new line; the box grows with
// the text up to a few lines, then scrolls.
#pragma once

#include <QPlainTextEdit>

namespace chorus::ui {

class Composer : public QPlainTextEdit {
  Q_OBJECT

 public:
  explicit Composer(QWidget* parent = nullptr);

  [[nodiscard]] QSize sizeHint() const override;
  [[nodiscard]] QSize minimumSizeHint() const override;

 Q_SIGNALS:
  // Enter was pressed (the text is still there: whoever sends clears it).
  void submitted();

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  [[nodiscard]] int heightForLines(int lines) const;
};

}  // namespace chorus::ui
