#include "ui/main_window.h"

#include <QIcon>
#include <QLabel>
#include <QString>
#include <QVBoxLayout>

#include "core/api/version.h"

namespace chorus::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(QString::fromUtf8(api::kAppName.data(), static_cast<qsizetype>(api::kAppName.size())));
  setWindowIcon(QIcon(QStringLiteral(":/chorus/icons/chorus.svg")));
  resize(960, 640);

  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  auto* title = new QLabel(tr("No numbers linked yet"), central);
  title->setObjectName(QStringLiteral("emptyStateTitle"));
  QFont big = title->font();
  big.setPointSizeF(big.pointSizeF() * 1.6);
  title->setFont(big);
  auto* hint = new QLabel(
      tr("Link a WhatsApp number as a linked device to see its chats and connection state here."),
      central);
  hint->setWordWrap(true);
  for (QLabel* label : {title, hint}) label->setAlignment(Qt::AlignCenter);
  layout->addStretch();
  layout->addWidget(title);
  layout->addWidget(hint);
  layout->addStretch();
  setCentralWidget(central);
}

}  // namespace chorus::ui
