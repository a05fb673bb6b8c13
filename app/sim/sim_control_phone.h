// The control API's simulated-phone routes (docs/sim.md has curl examples):
//   POST /accounts/{phone}/send {"to":"<phone>","text":"…"}   → 202 {"id"}: the phone texts
//   POST /accounts/{phone}/history-sync {"conversations":[{"id","name","messages":[{"fromMe",
//        "text","timestamp"}]}],"pushnames":[{"id","name"}]}  → 202 {"id","direct_path","url"}
//   POST /accounts/{phone}/app-state-key                       → 202 {"id"}: a key share
//   GET  /accounts/{phone}/inbox → 200 {"messages":[…],"receipts":[…]}: what the phone decrypted
#pragma once

class QHttpServer;

namespace chorus::sim {

class SimHub;

void addPhoneRoutes(QHttpServer& server, SimHub& hub);

}  // namespace chorus::sim
