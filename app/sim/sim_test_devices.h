// Test-only bulk provisioning for load tests (tests/bench/sim_load): the control API route
//   POST /test/devices {"devices":[{"phone":"19990000001","noise_key":"<64 hex>"}, …]}
//     → 201 {"created":N}
// creates each account (without a simulated phone: it cannot pair or answer usync key indexes)
// with companion device 1 whose Noise static public key is `noise_key`, in one transaction.
// Such a device logs in with that key at once (no QR pairing); it has no Signal keys, so it
// only suits raw-stanza clients, never Baileys or Chorus. Up to kMaxTestDevicesPerCall a call.
#pragma once

class QHttpServer;

namespace chorus::sim {

class SimHub;

void addTestDeviceRoutes(QHttpServer& server, SimHub& hub);

}  // namespace chorus::sim
