#include "tests/integration/engine/engine_harness.h"

#include <QFile>

#include "core/util/bytes.h"

namespace chorus::testing {

void SharedSecretStore::read(const std::string& name, ReadDone done) {
  const auto it = secrets_.find(name);
  if (it == secrets_.end()) {
    done(core::fail(core::Errc::NotFound, "no secret " + name));
    return;
  }
  done(it->second.clone());
}

void SharedSecretStore::write(const std::string& name, core::SecretBytes value, Done done) {
  secrets_.insert_or_assign(name, std::move(value));
  done(core::ok());
}

void SharedSecretStore::remove(const std::string& name, Done done) {
  if (secrets_.erase(name) == 0) {
    done(core::fail(core::Errc::NotFound, "no secret " + name));
    return;
  }
  done(core::ok());
}

QByteArray dumpSecrets(const SharedSecrets& secrets) {
  QByteArray out;
  for (const auto& [name, value] : secrets) {
    out += QByteArray::fromStdString(core::toHex(core::asBytes(name))) + ' ' +
           QByteArray::fromStdString(core::toHex(value.view())) + '\n';
  }
  return out;
}

bool loadSecrets(const QByteArray& text, SharedSecrets& out) {
  for (const QByteArray& line : text.split('\n')) {
    if (line.trimmed().isEmpty()) continue;
    const QList<QByteArray> parts = line.trimmed().split(' ');
    if (parts.size() != 2) return false;
    auto name = core::fromHex(parts[0].toStdString());
    auto value = core::fromHex(parts[1].toStdString());
    if (!name || !value) return false;
    out.insert_or_assign(std::string(core::asString(*name)), core::SecretBytes(*value));
  }
  return true;
}

api::ConnectionState EventLog::state(const api::AccountId& id) const {
  for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
    if (const auto* e = std::get_if<api::AccountStatusEvent>(&*it); e != nullptr && e->id == id)
      return e->change.status.state;
  }
  return api::ConnectionState::Disconnected;
}

bool EventLog::reached(const api::AccountId& id, api::ConnectionState state,
                       std::size_t from) const {
  for (std::size_t i = from; i < events_.size(); ++i) {
    if (const auto* e = std::get_if<api::AccountStatusEvent>(&events_[i]);
        e != nullptr && e->id == id && e->change.status.state == state)
      return true;
  }
  return false;
}

std::string EventLog::qrCode(const api::AccountId& id, std::size_t from) const {
  std::string code;
  for (std::size_t i = from; i < events_.size(); ++i) {
    if (const auto* e = std::get_if<api::QrCodeShown>(&events_[i]); e != nullptr && e->id == id)
      code = e->code;
  }
  return code;
}

long selfRssKiB() {
  QFile status(QStringLiteral("/proc/self/status"));
  if (!status.open(QIODevice::ReadOnly)) return -1;
  for (const QByteArray& line : status.readAll().split('\n')) {
    if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').value(0).toLong();
  }
  return -1;
}

}  // namespace chorus::testing
