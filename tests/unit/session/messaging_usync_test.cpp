// usync device lists (protocol §8.5) and devices notifications: exact request nodes, results in
// the simulator's shape (app/sim/sim_iq_usync.cpp), and hostile answers.
#include <gtest/gtest.h>

#include "core/protocol/binary/codec.h"
#include "core/protocol/binary/text_form.h"
#include "core/session/usync.h"

namespace chorus::core::session {
namespace {

using binary::Node;

jid::Jid j(std::string_view text) {
  return jid::parse(text).value();
}

Node node(std::string_view text) {
  auto parsed = binary::fromText(text);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : describe(parsed.error()));
  return parsed ? *parsed : Node{};
}

void expectRoundTrip(const Node& n) {
  for (auto dict : {binary::DictVersion::V2, binary::DictVersion::V3}) {
    auto bytes = binary::encode(n, dict);
    ASSERT_TRUE(bytes.has_value()) << describe(bytes.error());
    auto back = binary::decode(*bytes, dict);
    ASSERT_TRUE(back.has_value()) << describe(back.error());
    EXPECT_EQ(*back, n) << binary::toText(*back);
  }
}

// The simulator's answer shape: request attrs echoed, <result><devices/></result>, then users.
constexpr std::string_view kResult = R"(
<iq type="result" id="q1" from=@"s.whatsapp.net">
  <usync sid="s1" mode="query" last="true" index="0" context="message">
    <result><devices/></result>
    <list>
      <user jid=@"15550000002@s.whatsapp.net">
        <devices>
          <device-list>
            <device id="0"/>
            <device id="3" key-index="2"/>
            <device id="7"/>
            <device id="9" key-index="4" is_hosted="true"/>
          </device-list>
          <key-index-list ts="1700000000" expected_ts="1700000100">x"0a0b0c"</key-index-list>
        </devices>
      </user>
      <user jid=@"15550000001@s.whatsapp.net">
        <devices><device-list><device id="0"/><device id="2" key-index="1"/></device-list></devices>
      </user>
      <user jid=@"15550000009@s.whatsapp.net"><contact type="out"/></user>
      <user jid=@"15550000008@s.whatsapp.net"><devices><error code="404" text="not-found"/></devices></user>
    </list>
  </usync>
</iq>)";

TEST(MessagingUsync, BuildsTheDeviceQueryExactly) {
  const std::vector<jid::Jid> users{j("15550000002@s.whatsapp.net"),
                                    j("15550000001:2@s.whatsapp.net"),
                                    j("15550000002:5@s.whatsapp.net"), j("123456789@lid")};
  auto iq = buildDeviceListQuery("q1", "s1", users);
  ASSERT_TRUE(iq.has_value()) << describe(iq.error());
  EXPECT_EQ(*iq, node(R"(
<iq xmlns="usync" type="get" to=@"s.whatsapp.net" id="q1">
  <usync sid="s1" mode="query" last="true" index="0" context="message">
    <query><devices version="2"/></query>
    <list>
      <user jid=@"15550000002@s.whatsapp.net"/>
      <user jid=@"15550000001@s.whatsapp.net"/>
      <user jid=@"123456789@lid"/>
    </list>
  </usync>
</iq>)"))
      << binary::toText(*iq);
  expectRoundTrip(*iq);
}

TEST(MessagingUsync, RefusesUnusableQueries) {
  const std::vector<jid::Jid> none;
  EXPECT_EQ(buildDeviceListQuery("q", "s", none).error().code, Errc::InvalidArgument);
  const std::vector<jid::Jid> group{j("120363000000000001@g.us")};
  EXPECT_EQ(buildDeviceListQuery("q", "s", group).error().code, Errc::InvalidArgument);
  const std::vector<jid::Jid> server{j("s.whatsapp.net")};
  EXPECT_EQ(buildDeviceListQuery("q", "s", server).error().code, Errc::InvalidArgument);
  const std::vector<jid::Jid> one{j("15550000002@s.whatsapp.net")};
  EXPECT_EQ(buildDeviceListQuery("", "s", one).error().code, Errc::InvalidArgument);
  EXPECT_EQ(buildDeviceListQuery("q", "", one).error().code, Errc::InvalidArgument);
  std::vector<jid::Jid> many;
  for (std::size_t i = 0; i <= kMaxUsyncUsers; ++i) {
    many.push_back(j("1555" + std::to_string(1000000 + i) + "@s.whatsapp.net"));
  }
  EXPECT_EQ(buildDeviceListQuery("q", "s", many).error().code, Errc::InvalidArgument);
}

TEST(MessagingUsync, ParsesTheSimulatorsResult) {
  const Node result = node(kResult);
  expectRoundTrip(result);
  auto lists = parseDeviceListResult(result);
  ASSERT_TRUE(lists.has_value()) << describe(lists.error());
  ASSERT_EQ(lists->size(), 3u);  // the contact-only user is skipped

  const UserDeviceList& peer = (*lists)[0];
  EXPECT_EQ(jid::format(peer.user), "15550000002@s.whatsapp.net");
  const std::vector<DeviceEntry> expected{
      {0, std::nullopt, false}, {3, 2u, false}, {7, std::nullopt, false}, {9, 4u, true}};
  EXPECT_EQ(peer.devices, expected);
  ASSERT_TRUE(peer.keyIndex.has_value());
  EXPECT_EQ(peer.keyIndex->timestamp, 1700000000);
  EXPECT_EQ(peer.keyIndex->expectedTimestamp, 1700000100);
  EXPECT_EQ(peer.keyIndex->signedList, (Bytes{0x0a, 0x0b, 0x0c}));
  EXPECT_FALSE(peer.errorCode.has_value());

  EXPECT_EQ((*lists)[1].devices.size(), 2u);
  EXPECT_FALSE((*lists)[1].keyIndex.has_value());
  EXPECT_EQ((*lists)[2].errorCode, 404);
  EXPECT_TRUE((*lists)[2].devices.empty());
}

TEST(MessagingUsync, FanOutDropsSelfKeylessAndOptionallyHosted) {
  auto lists = parseDeviceListResult(node(kResult)).value();
  const jid::Jid self = j("15550000001:2@s.whatsapp.net");
  const auto all = fanOutDevices(lists, self);
  std::vector<std::string> names;
  for (const auto& d : all) names.push_back(jid::format(d));
  // Device 7 has no key-index (Baileys drops it); our own device 2 is not a target.
  EXPECT_EQ(names,
            (std::vector<std::string>{"15550000002@s.whatsapp.net", "15550000002:3@s.whatsapp.net",
                                      "15550000002:9@hosted", "15550000001@s.whatsapp.net"}));
  EXPECT_EQ(all[0].form, jid::JidForm::Pair);
  EXPECT_EQ(all[1].form, jid::JidForm::AD);
  EXPECT_EQ(fanOutDevices(lists, self, /*dropHosted=*/true).size(), 3u);
}

TEST(MessagingUsync, DeviceJidForms) {
  const jid::Jid user = j("15550000002@s.whatsapp.net");
  EXPECT_EQ(deviceJid(user, 0), user);
  EXPECT_EQ(deviceJid(user, 4), j("15550000002:4@s.whatsapp.net"));
  EXPECT_EQ(jid::format(deviceJid(j("99@lid"), 4, true)), "99:4@hosted.lid");
}

TEST(MessagingUsync, HostileResultsAreClearErrors) {
  auto parseText = [](std::string_view devicesXml) {
    const std::string text =
        R"(<iq type="result" id="q"><usync><list><user jid=@"15550000002@s.whatsapp.net">)" +
        std::string(devicesXml) + "</user></list></usync></iq>";
    return parseDeviceListResult(binary::fromText(text).value());
  };
  EXPECT_TRUE(
      parseText(R"(<devices><device-list><device id="1" key-index="1"/></device-list></devices>)"));
  for (
      std::string_view bad : {
          R"(<devices><device-list><device/></device-list></devices>)",
          R"(<devices><device-list><device id="abc"/></device-list></devices>)",
          R"(<devices><device-list><device id="-1"/></device-list></devices>)",
          R"(<devices><device-list><device id="256"/></device-list></devices>)",
          R"(<devices><device-list><device id="1" key-index="x"/></device-list></devices>)",
          R"(<devices><device-list><device id="1" key-index="4294967296"/></device-list></devices>)",
          R"(<devices><device-list><device id="1"/><device id="1"/></device-list></devices>)",
          R"(<devices/>)",
          R"(<devices><device-list/><key-index-list>x"00"</key-index-list></devices>)",
      }) {
    auto r = parseText(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, Errc::Protocol) << bad;
  }

  std::string many = "<devices><device-list>";
  for (std::size_t i = 0; i <= kMaxDevicesPerUser; ++i)
    many += "<device id=\"" + std::to_string(i) + "\"/>";
  many += "</device-list></devices>";
  EXPECT_EQ(parseText(many).error().code, Errc::Protocol);

  EXPECT_EQ(parseDeviceListResult(node(R"(<iq type="error" id="q"><error code="500"/></iq>)"))
                .error()
                .code,
            Errc::Protocol);
  EXPECT_EQ(parseDeviceListResult(node(R"(<iq type="result" id="q"><usync/></iq>)")).error().code,
            Errc::Protocol);
  EXPECT_EQ(
      parseDeviceListResult(
          node(
              R"(<iq type="result" id="q"><usync><list><user><devices/></user></list></usync></iq>)"))
          .error()
          .code,
      Errc::Protocol);
  EXPECT_EQ(
      parseDeviceListResult(
          node(
              R"(<iq type="result" id="q"><usync><list><user jid=@"120363000000000001@g.us"/></list></usync></iq>)"))
          .error()
          .code,
      Errc::Protocol);

  Node huge = node(R"(<iq type="result" id="q"><usync><list></list></usync></iq>)");
  auto& list = std::get<binary::Children>(std::get<binary::Children>(huge.content)[0].content)[0];
  binary::Children users;
  for (std::size_t i = 0; i <= kMaxUsyncUsers; ++i) {
    Node user{"user", {}, {}};
    user.set("jid", j("1555" + std::to_string(1000000 + i) + "@s.whatsapp.net"));
    users.push_back(std::move(user));
  }
  list.content = std::move(users);
  EXPECT_EQ(parseDeviceListResult(huge).error().code, Errc::Protocol);
}

// The simulator's notifyDevices shape (app/sim/sim_sessions.cpp) plus whatsmeow's attributes.
TEST(MessagingUsync, ParsesDevicesNotifications) {
  const Node add = node(R"(
<notification from=@"15550000001@s.whatsapp.net" type="devices" id="n1" t="1700000000" lid=@"777@lid">
  <add device_hash="2:abc">
    <device jid=@"15550000001:4@s.whatsapp.net" key-index="3"/>
    <key-index-list ts="1700000000">x"0102"</key-index-list>
  </add>
  <remove device_hash="2:def"><device jid=@"15550000001:2@s.whatsapp.net"/></remove>
  <update hash="2:ghi"/>
  <something-new/>
</notification>)");
  expectRoundTrip(add);
  auto parsed = parseDevicesNotification(add);
  ASSERT_TRUE(parsed.has_value()) << describe(parsed.error());
  EXPECT_EQ(parsed->id, "n1");
  EXPECT_EQ(jid::format(parsed->from), "15550000001@s.whatsapp.net");
  EXPECT_EQ(jid::format(parsed->lid.value()), "777@lid");
  EXPECT_EQ(parsed->timestamp, 1700000000);
  ASSERT_EQ(parsed->changes.size(), 3u);
  EXPECT_EQ(parsed->changes[0].kind, DeviceChangeKind::Add);
  EXPECT_EQ(parsed->changes[0].deviceHash, "2:abc");
  ASSERT_EQ(parsed->changes[0].devices.size(), 1u);
  EXPECT_EQ(parsed->changes[0].devices[0].jid, j("15550000001:4@s.whatsapp.net"));
  EXPECT_EQ(parsed->changes[0].devices[0].keyIndex, 3u);
  EXPECT_EQ(parsed->changes[0].keyIndex->signedList, (Bytes{1, 2}));
  EXPECT_EQ(parsed->changes[1].kind, DeviceChangeKind::Remove);
  EXPECT_EQ(parsed->changes[1].devices[0].jid.device, 2);
  EXPECT_EQ(parsed->changes[2].kind, DeviceChangeKind::Update);
  EXPECT_EQ(parsed->changes[2].deviceHash, "2:ghi");
  EXPECT_TRUE(parsed->changes[2].devices.empty());
}

TEST(MessagingUsync, HostileDevicesNotifications) {
  for (
      std::string_view bad : {
          R"(<notification type="devices" id="n"><add/></notification>)",
          R"(<notification from=@"15550000001@s.whatsapp.net" type="devices"/>)",
          R"(<notification from=@"15550000001@s.whatsapp.net" type="encrypt" id="n"/>)",
          R"(<notification from=@"120363000000000001@g.us" type="devices" id="n"/>)",
          R"(<notification from=@"15550000001@s.whatsapp.net" type="devices" id="n" t="soon"/>)",
          R"(<notification from=@"15550000001@s.whatsapp.net" type="devices" id="n"><add><device jid=@"15550000002:3@s.whatsapp.net"/></add></notification>)",
          R"(<notification from=@"15550000001@s.whatsapp.net" type="devices" id="n"><add><device/></add></notification>)",
          R"(<notification from=@"15550000001@s.whatsapp.net" type="devices" id="n"><add><device jid="not a jid"/></add></notification>)",
          R"(<notification from=@"15550000001@s.whatsapp.net" type="devices" id="n"><add><device jid=@"15550000001:3@s.whatsapp.net" key-index="k"/></add></notification>)",
      }) {
    auto r = parseDevicesNotification(node(bad));
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, Errc::Protocol) << bad;
  }
  std::string many = R"(<notification from=@"15550000001@s.whatsapp.net" type="devices" id="n">)";
  for (std::size_t i = 0; i <= kMaxDeviceChanges; ++i) many += "<update/>";
  many += "</notification>";
  EXPECT_EQ(parseDevicesNotification(node(many)).error().code, Errc::Protocol);
}

}  // namespace
}  // namespace chorus::core::session
