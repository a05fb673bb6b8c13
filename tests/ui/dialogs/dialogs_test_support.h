// Shared pieces of the dialog tests: a QR string of the real shape and length, and how much of
// an image is dark.
#pragma once

#include <QImage>
#include <QString>
#include <string>

#include "core/api/account_events.h"

namespace chorus::ui::test {

// WhatsApp's linking QR: "<ref>,<noise key>,<identity key>,<adv secret>" (ref ~90 characters,
// three base64 32-byte keys): about 240 bytes. `seed` varies it, as each rotated ref does.
inline QString realLengthQr(int seed) {
  std::string ref = "2@";
  for (int i = 0; ref.size() < 92; ++i) {
    ref += "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/"[static_cast<std::size_t>((i * 7 + seed) % 38)];
  }
  const std::string key =
      "Q2hvcnVzIHRlc3Qga2V5IG1hdGVyaWFsIDMyIGJ5dA" + std::to_string(seed % 10) + "=";
  return QString::fromStdString(ref + "," + key + "," + key + "," + key);
}

inline double darkShare(const QImage& image) {
  long long dark = 0;
  for (int y = 0; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x)
      dark += image.pixelColor(x, y).lightness() < 128 ? 1 : 0;
  }
  return static_cast<double>(dark) / (static_cast<double>(image.width()) * image.height());
}

inline api::AccountSummary account(std::string id, std::string name, api::ConnectionState state) {
  api::AccountSummary a;
  a.id = std::move(id);
  a.name = std::move(name);
  a.status.state = state;
  return a;
}

inline api::AccountStatusEvent statusEvent(std::string id, api::ConnectionState previous,
                                           api::ConnectionState now) {
  api::ConnectionStatus status;
  status.state = now;
  if (now == api::ConnectionState::Reconnecting) status.attempt = 1;
  return api::AccountStatusEvent{std::move(id), api::ConnectionStatusChanged{previous, status}};
}

}  // namespace chorus::ui::test
