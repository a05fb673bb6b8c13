// The control API's session and fault routes (docs/sim.md has curl examples for each):
//   DELETE /devices/{phone}/{n}                unlink (401 device_removed to a live connection)
//   POST   /devices/{phone}/{n}/replace        <conflict type="replaced"/> to the live connection
//   GET    /devices/{phone}/{n}/queue          the stanzas queued for the device
//   POST   /accounts/{phone}/ban {reason,code,expire}   ban (402/403/406); GET; DELETE lifts it
//   POST   /accounts/{phone}/pairing-code {code}         the phone enters a pairing code (§7)
//   GET    /config; PUT /config {qr_first_ms,qr_next_ms,min_version}
//   POST   /connections/{id}/stream-error {code}        e.g. 515 restart, 503 service
//   POST   /connections/{id}/stream-end               <xmlstreamend/>
//   POST   /connections/{id}/abort                    TCP abort, no close frame
//   POST   /connections/{id}/stall {seconds}          stop reading and writing for a while
//   GET|PUT /connections/{id}/faults {delay_ms,duplicate,swap}
#pragma once

class QHttpServer;

namespace chorus::sim {

class SimHub;

void addSessionRoutes(QHttpServer& server, SimHub& hub);

}  // namespace chorus::sim
