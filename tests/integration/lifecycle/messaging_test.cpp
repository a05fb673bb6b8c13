// chorus-cli's messaging commands against chorus-sim (label "integration"): another simulated
// account's phone texts our number; `messages` pages through what was stored, `chats` shows the
// unread count, `read` clears it and the phone gets the read receipts; `send --stdin --wait
// delivered` sends a batch that the phone decrypts exactly once; `group create|info|add|remove`
// and a text to the group.
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>

#include <gtest/gtest.h>

#include "tests/integration/lifecycle/lifecycle_fixture.h"
#include "tests/integration/lifecycle/lifecycle_harness.h"
#include "tests/integration/support/sim_client.h"

namespace chorus::testing::lifecycle {
namespace {

const QString kPhoneC = QStringLiteral("15550003333");
constexpr int kSendMs = 30'000;

QString userJid(const QString& phone) {
  return phone + QStringLiteral("@s.whatsapp.net");
}

QStringList idsOf(const std::vector<QJsonObject>& lines) {
  QStringList ids;
  for (const QJsonObject& line : lines) ids << str(line, "id");
  return ids;
}

class Messaging : public Lifecycle {
 protected:
  // The phone of `from` texts `to`; returns the message id.
  QString phoneSends(const QString& from, const QString& to, const QString& text) {
    const SimReply sent =
        sim_->call("POST", QStringLiteral("/accounts/%1/send").arg(from),
                   QJsonObject{{QStringLiteral("to"), to}, {QStringLiteral("text"), text}});
    EXPECT_EQ(sent.status / 100, 2) << QJsonDocument(sent.json).toJson().toStdString();
    return sent.object().value(QStringLiteral("id")).toString();
  }
  QJsonObject inboxOf(const QString& phone) {
    return sim_->call("GET", QStringLiteral("/accounts/%1/inbox").arg(phone)).object();
  }
  // The ids of the read receipts the phone of `phone` got.
  QStringList readReceiptsOf(const QString& phone) {
    QStringList ids;
    for (const QJsonValue v : inboxOf(phone).value(QStringLiteral("receipts")).toArray()) {
      const QJsonObject r = v.toObject();
      if (str(r, "type") == QLatin1String("read")) ids << str(r, "id");
    }
    return ids;
  }
  // One line, exit 0: the group as `group` prints it.
  QJsonObject group(const QStringList& args) {
    const CliResult r = run(QStringList{QStringLiteral("group")} + args, env(), kSendMs);
    EXPECT_EQ(r.exit, 0) << r.transcript;
    EXPECT_EQ(r.lines.size(), 1u) << r.transcript;
    for (const QString& phone : {kPhoneA, kPhoneB, kPhoneC}) {
      EXPECT_FALSE(r.err.contains(phone)) << "a full phone number on stderr: " << r.transcript;
    }
    return r.lines.empty() ? QJsonObject{} : r.lines.front();
  }
  static QMap<QString, QJsonObject> participantsOf(const QJsonObject& group) {
    QMap<QString, QJsonObject> byJid;
    for (const QJsonValue v : group.value(QStringLiteral("participants")).toArray()) {
      byJid.insert(str(v.toObject(), "jid"), v.toObject());
    }
    return byJid;
  }
};

// The phone of B sends three texts; `messages` lists them oldest first and pages back with
// --before/--limit; `chats` shows the chat with 3 unread; `read` sends the read receipts (the
// phone has them once the command exited) and the count drops to 0; `send --stdin --wait
// delivered` of five lines: five queued and five delivered lines, each text in the phone's inbox
// exactly once; `--wait read` times out (the simulated phone sends no read receipts).
TEST_F(Messaging, MessagesChatsRead) {
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("Shop"), kPhoneA));
  ASSERT_NO_FATAL_FAILURE(createPhone(kPhoneB));
  const QString chat = userJid(kPhoneB);
  const QStringList texts{QStringLiteral("one"), QStringLiteral("two \u00e9"),
                          QStringLiteral("three")};
  QStringList ids;
  {
    auto listen = spawn({QStringLiteral("listen"), QStringLiteral("Shop")});
    ASSERT_TRUE(listen->waitForLine(hasState(QStringLiteral("ready")), kStateMs))
        << listen->transcript();
    (void)waitUntil([] { return false; }, 1'000);  // our prekeys go up after login
    for (const QString& text : texts) {
      const QString id = phoneSends(kPhoneB, kPhoneA, text);
      ASSERT_TRUE(listen->waitForLine(
          [&](const QJsonObject& l) {
            return str(l, "event") == QLatin1String("message") && str(l, "id") == id;
          },
          kStateMs))
          << listen->transcript();
      ids << id;
    }
    EXPECT_TRUE(listen->waitForLine(
        [&](const QJsonObject& l) {
          return str(l, "event") == QLatin1String("chat_update") && str(l, "chat") == chat &&
                 l.value(QStringLiteral("unread")).toInt() == 3;
        },
        kStateMs))
        << listen->transcript();
    stopWatch(*listen);
  }

  // messages: oldest first; pages back.
  const CliResult all = run({QStringLiteral("messages"), QStringLiteral("Shop"), kPhoneB});
  ASSERT_EQ(all.exit, 0) << all.transcript;
  ASSERT_EQ(idsOf(all.lines), ids) << all.transcript;
  for (int i = 0; i < 3; ++i) {
    const QJsonObject& m = all.lines[static_cast<std::size_t>(i)];
    EXPECT_EQ(str(m, "text"), texts[i]);
    EXPECT_EQ(str(m, "direction"), QStringLiteral("in"));
    EXPECT_EQ(str(m, "kind"), QStringLiteral("text"));
    EXPECT_TRUE(str(m, "from").startsWith(kPhoneB)) << str(m, "from").toStdString();
    EXPECT_GT(m.value(QStringLiteral("t")).toInteger(), 0);
    EXPECT_FALSE(m.contains(QStringLiteral("failure")));
  }
  const CliResult newest = run({QStringLiteral("messages"), QStringLiteral("Shop"), chat,
                                QStringLiteral("--limit"), QStringLiteral("2")});
  ASSERT_EQ(newest.exit, 0) << newest.transcript;
  EXPECT_EQ(idsOf(newest.lines), (QStringList{ids[1], ids[2]})) << newest.transcript;
  const CliResult older =
      run({QStringLiteral("messages"), QStringLiteral("Shop"), kPhoneB, QStringLiteral("--before"),
           ids[1], QStringLiteral("--limit"), QStringLiteral("2")});
  ASSERT_EQ(older.exit, 0) << older.transcript;
  EXPECT_EQ(idsOf(older.lines), QStringList{ids[0]}) << older.transcript;
  const CliResult oldest = run(
      {QStringLiteral("messages"), QStringLiteral("Shop"), kPhoneB, QStringLiteral("--before"), ids[0]});
  EXPECT_EQ(oldest.exit, 0) << oldest.transcript;
  EXPECT_TRUE(oldest.lines.empty()) << oldest.transcript;
  const CliResult unknown = run({QStringLiteral("messages"), QStringLiteral("Shop"), kPhoneB,
                                 QStringLiteral("--before"), QStringLiteral("3EB0NOSUCHID")});
  EXPECT_EQ(unknown.exit, 1) << unknown.transcript;
  EXPECT_EQ(unknown.err.count(QLatin1Char('\n')), 1) << unknown.transcript;
  EXPECT_FALSE(unknown.err.contains(kPhoneB)) << unknown.transcript;

  // chats: one direct chat, three unread, the last message as preview.
  const CliResult chats = run({QStringLiteral("chats"), QStringLiteral("Shop")});
  ASSERT_EQ(chats.exit, 0) << chats.transcript;
  ASSERT_EQ(chats.lines.size(), 1u) << chats.transcript;
  EXPECT_EQ(str(chats.lines[0], "chat"), chat);
  EXPECT_EQ(str(chats.lines[0], "kind"), QStringLiteral("direct"));
  EXPECT_EQ(chats.lines[0].value(QStringLiteral("unread")).toInt(), 3) << chats.transcript;
  EXPECT_GT(chats.lines[0].value(QStringLiteral("last_activity")).toInteger(), 0);
  const QJsonObject last = chats.lines[0].value(QStringLiteral("last")).toObject();
  EXPECT_EQ(str(last, "id"), ids[2]) << chats.transcript;
  EXPECT_EQ(str(last, "text"), texts[2]);
  EXPECT_EQ(str(last, "direction"), QStringLiteral("in"));

  // read: the receipts have reached the phone by the time the command exits (the connection is
  // closed politely, not dropped). The simulator records a receipt's own id, not its <list>.
  EXPECT_TRUE(readReceiptsOf(kPhoneB).isEmpty());
  const CliResult read = run({QStringLiteral("read"), QStringLiteral("Shop"), kPhoneB});
  ASSERT_EQ(read.exit, 0) << read.transcript;
  ASSERT_EQ(read.lines.size(), 1u) << read.transcript;
  EXPECT_EQ(str(read.lines[0], "event"), QStringLiteral("read"));
  EXPECT_EQ(str(read.lines[0], "chat"), chat);
  EXPECT_EQ(read.lines[0].value(QStringLiteral("count")).toInt(), 3) << read.transcript;
  const QStringList receipts = readReceiptsOf(kPhoneB);
  EXPECT_FALSE(receipts.isEmpty()) << "no read receipt reached the phone";
  for (const QString& id : receipts) EXPECT_TRUE(ids.contains(id)) << id.toStdString();
  const CliResult after = run({QStringLiteral("chats"), QStringLiteral("Shop")});
  ASSERT_EQ(after.lines.size(), 1u) << after.transcript;
  EXPECT_EQ(after.lines[0].value(QStringLiteral("unread")).toInt(), 0) << after.transcript;
  const CliResult again = run({QStringLiteral("read"), QStringLiteral("Shop"), chat});
  EXPECT_EQ(again.exit, 0) << again.transcript;
  ASSERT_EQ(again.lines.size(), 1u) << again.transcript;
  EXPECT_EQ(again.lines[0].value(QStringLiteral("count")).toInt(), 0) << again.transcript;

  // send --stdin --wait delivered: five lines (an empty one skipped), five ids.
  const QStringList batch{QStringLiteral("m1"), QStringLiteral("m2 \u00fc"), QStringLiteral("m3"),
                          QStringLiteral("m4"), QStringLiteral("m5")};
  auto send = spawn({QStringLiteral("send"), QStringLiteral("Shop"), kPhoneB,
                     QStringLiteral("--stdin"), QStringLiteral("--wait"),
                     QStringLiteral("delivered")});
  send->writeInput(QStringLiteral("m1\nm2 \u00fc\r\n\nm3\nm4\nm5").toUtf8());
  ASSERT_EQ(send->waitForExit(kSendMs), 0) << send->transcript();
  const std::vector<QJsonObject>& lines = send->lines();
  ASSERT_EQ(lines.size(), 10u) << send->transcript();
  QStringList queued;
  QStringList delivered;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(str(lines[i], "chat"), chat);
    (i < 5 ? queued : delivered) << str(lines[i], "id");
    EXPECT_EQ(str(lines[i], "event"), i < 5 ? QStringLiteral("queued") : QStringLiteral("delivered"))
        << send->transcript();
  }
  EXPECT_EQ(queued.size(), 5);
  EXPECT_EQ(QSet<QString>(queued.begin(), queued.end()).size(), 5);
  EXPECT_EQ(QSet<QString>(queued.begin(), queued.end()),
            QSet<QString>(delivered.begin(), delivered.end()));
  EXPECT_FALSE(send->stderrText().contains(QStringLiteral("m2"))) << "message text in the log";
  QMap<QString, int> seen;  // id → how often the phone decrypted it
  for (const QJsonValue v : inboxOf(kPhoneB).value(QStringLiteral("messages")).toArray()) {
    const QJsonObject m = v.toObject();
    const auto at = queued.indexOf(str(m, "id"));
    if (at < 0) continue;
    seen[str(m, "id")] += 1;
    EXPECT_EQ(str(m, "text"), batch[at]);
  }
  for (const QString& id : queued) EXPECT_EQ(seen.value(id), 1) << id.toStdString();
  // Stored in order, after the three received ones.
  const CliResult stored = run({QStringLiteral("messages"), QStringLiteral("Shop"), kPhoneB});
  ASSERT_EQ(stored.lines.size(), 8u) << stored.transcript;
  for (int i = 0; i < 5; ++i) {
    const QJsonObject& m = stored.lines[static_cast<std::size_t>(3 + i)];
    EXPECT_EQ(str(m, "id"), queued[i]);
    EXPECT_EQ(str(m, "text"), batch[i]);
    EXPECT_EQ(str(m, "direction"), QStringLiteral("out"));
    EXPECT_EQ(str(m, "status"), QStringLiteral("delivered"));
  }

  // --wait read: the simulated phone never reads, so the deadline ends it (exit 1, one line).
  const CliResult unread =
      run({QStringLiteral("send"), QStringLiteral("Shop"), kPhoneB, QStringLiteral("ping"),
           QStringLiteral("--wait"), QStringLiteral("read"), QStringLiteral("--timeout"),
           QStringLiteral("3")});
  EXPECT_EQ(unread.exit, 1) << unread.transcript;
  EXPECT_TRUE(unread.err.contains(QStringLiteral("1 of 1 messages not read within 3 s")))
      << unread.transcript;
  ASSERT_EQ(unread.lines.size(), 1u) << unread.transcript;
  EXPECT_EQ(str(unread.lines[0], "event"), QStringLiteral("queued"));
}

// group create with B → info (by JID and by bare id) → add C → remove C; an unknown group is
// refused with one line; a text to the group is acknowledged and stored in the group's chat.
TEST_F(Messaging, Groups) {
  ASSERT_NO_FATAL_FAILURE(linkByQr(QStringLiteral("Shop"), kPhoneA));
  ASSERT_NO_FATAL_FAILURE(createPhone(kPhoneB));
  ASSERT_NO_FATAL_FAILURE(createPhone(kPhoneC));

  const QJsonObject created =
      group({QStringLiteral("create"), QStringLiteral("Shop"), QStringLiteral("Team"), kPhoneB});
  const QString jid = str(created, "group");
  ASSERT_TRUE(jid.endsWith(QStringLiteral("@g.us"))) << jid.toStdString();
  EXPECT_EQ(str(created, "subject"), QStringLiteral("Team"));
  EXPECT_TRUE(str(created, "creator").startsWith(kPhoneA)) << str(created, "creator").toStdString();
  EXPECT_GT(created.value(QStringLiteral("created")).toInteger(), 0);
  auto members = participantsOf(created);
  ASSERT_EQ(members.size(), 2) << QJsonDocument(created).toJson().toStdString();
  EXPECT_TRUE(members.value(userJid(kPhoneA)).value(QStringLiteral("super_admin")).toBool());
  EXPECT_TRUE(members.value(userJid(kPhoneA)).value(QStringLiteral("admin")).toBool());
  EXPECT_TRUE(members.contains(userJid(kPhoneB)));
  EXPECT_FALSE(members.value(userJid(kPhoneB)).value(QStringLiteral("admin")).toBool());

  const QJsonObject info = group({QStringLiteral("info"), QStringLiteral("Shop"), jid});
  EXPECT_EQ(str(info, "group"), jid);
  EXPECT_EQ(str(info, "subject"), QStringLiteral("Team"));
  EXPECT_EQ(participantsOf(info).keys(), members.keys());
  const QString bareId = jid.left(jid.indexOf(QLatin1Char('@')));
  EXPECT_EQ(str(group({QStringLiteral("info"), QStringLiteral("Shop"), bareId}), "group"), jid);

  const QJsonObject added =
      group({QStringLiteral("add"), QStringLiteral("Shop"), jid, QLatin1Char('+') + kPhoneC});
  EXPECT_TRUE(participantsOf(added).contains(userJid(kPhoneC)))
      << QJsonDocument(added).toJson().toStdString();
  EXPECT_EQ(participantsOf(added).size(), 3);
  const QJsonObject removed =
      group({QStringLiteral("remove"), QStringLiteral("Shop"), jid, userJid(kPhoneC)});
  EXPECT_FALSE(participantsOf(removed).contains(userJid(kPhoneC)))
      << QJsonDocument(removed).toJson().toStdString();
  EXPECT_EQ(participantsOf(removed).size(), 2);

  const CliResult missing = run({QStringLiteral("group"), QStringLiteral("info"),
                                 QStringLiteral("Shop"), QStringLiteral("1203630000000001@g.us")},
                                env(), kSendMs);
  EXPECT_EQ(missing.exit, 1) << missing.transcript;
  EXPECT_EQ(missing.err.count(QLatin1Char('\n')), 1) << missing.transcript;
  EXPECT_TRUE(missing.lines.empty()) << missing.transcript;

  const CliResult sent = run({QStringLiteral("send"), QStringLiteral("Shop"), jid,
                              QStringLiteral("hello team")},
                             env(), kSendMs);
  ASSERT_EQ(sent.exit, 0) << sent.transcript;
  ASSERT_EQ(sent.lines.size(), 2u) << sent.transcript;
  EXPECT_EQ(str(sent.lines[1], "event"), QStringLiteral("sent"));
  EXPECT_EQ(str(sent.lines[1], "chat"), jid);
  const CliResult stored = run({QStringLiteral("messages"), QStringLiteral("Shop"), jid});
  ASSERT_EQ(stored.exit, 0) << stored.transcript;
  ASSERT_FALSE(stored.lines.empty()) << stored.transcript;
  EXPECT_EQ(str(stored.lines.back(), "id"), str(sent.lines[1], "id"));
  EXPECT_EQ(str(stored.lines.back(), "text"), QStringLiteral("hello team"));
  EXPECT_EQ(str(stored.lines.back(), "direction"), QStringLiteral("out"));
  bool listed = false;
  for (const QJsonObject& c : run({QStringLiteral("chats"), QStringLiteral("Shop")}).lines) {
    if (str(c, "chat") == jid) {
      listed = true;
      EXPECT_EQ(str(c, "kind"), QStringLiteral("group"));
    }
  }
  EXPECT_TRUE(listed) << "the group's chat is not in `chats`";
}

}  // namespace
}  // namespace chorus::testing::lifecycle
