// SimControl: chorus-sim's loopback HTTP+JSON control API (QHttpServer on 127.0.0.1, any free
// port), the "test API" of §15.2 step 4. Endpoints (docs/sim.md has curl examples):
//   POST /accounts {"phone":"15551234567"}      → 201 the account, with its simulated phone
//   GET  /accounts                              → 200 [accounts]
//   POST /accounts/{phone}/scan {"qr":"ref,…"}  → 202 the device being linked (pair-success sent)
//   GET  /devices                               → 200 [linked devices, online or not]
//   GET  /connections                           → 200 [live registration and device sockets]
// Errors are {"error":"…"} with 400 (bad input), 403 (QR keys do not match), 404 (no such
// account or ref), 409 (exists / busy) or 500.
#pragma once

#include <QObject>
#include <QString>

#include "core/util/result.h"

class QHttpServer;

namespace chorus::sim {

class SimHub;

class SimControl final : public QObject {
  Q_OBJECT

 public:
  SimControl(SimHub& hub, QObject* parent);

  // Listens on 127.0.0.1:port (0 = any free port). Errc::Io when that fails.
  [[nodiscard]] core::Status listen(quint16 port);
  [[nodiscard]] QString url() const;

 private:
  SimHub& hub_;
  QHttpServer* server_;
  quint16 port_ = 0;
};

}  // namespace chorus::sim
