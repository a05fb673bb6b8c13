#include "app/platform/network_watch.h"

#include <QNetworkInformation>
#include <string>

namespace chorus::app {
namespace {

constexpr char kCategory[] = "network";

// Loads a backend once per process (QNetworkInformation is a process-wide singleton).
QNetworkInformation* reachabilityBackend() {
  if (QNetworkInformation* existing = QNetworkInformation::instance()) return existing;
  if (!QNetworkInformation::loadDefaultBackend() ||
      QNetworkInformation::instance() == nullptr ||
      !QNetworkInformation::instance()->supports(QNetworkInformation::Feature::Reachability)) {
    (void)QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability);
  }
  QNetworkInformation* info = QNetworkInformation::instance();
  if (info == nullptr || !info->supports(QNetworkInformation::Feature::Reachability))
    return nullptr;
  return info;
}

}  // namespace

NetworkWatch::NetworkWatch(std::function<void()> onUp, core::Logger* logger, QObject* parent)
    : QObject(parent), onUp_(std::move(onUp)) {
  QNetworkInformation* info = reachabilityBackend();
  if (info == nullptr) {
    if (logger != nullptr)
      logger->info(kCategory, "no network information backend: reconnecting on backoff only");
    return;
  }
  active_ = true;
  last_ = static_cast<int>(info->reachability());
  if (logger != nullptr)
    logger->info(kCategory, "watching reachability with the " +
                                info->backendName().toStdString() + " backend");
  connect(info, &QNetworkInformation::reachabilityChanged, this,
          [this, logger](QNetworkInformation::Reachability now) {
            const auto before = static_cast<QNetworkInformation::Reachability>(last_);
            last_ = static_cast<int>(now);
            if (now != QNetworkInformation::Reachability::Online) return;
            if (before == QNetworkInformation::Reachability::Online ||
                before == QNetworkInformation::Reachability::Unknown)
              return;
            if (logger != nullptr) logger->info(kCategory, "network is back: reconnecting");
            onUp_();
          });
}

}  // namespace chorus::app
