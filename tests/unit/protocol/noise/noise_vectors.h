// The deterministic handshake of protocol notes §2.7 (vectors/noise.out) and the ClientPayload
// and ADV vectors of §3.5 / §6.3 (vectors/misc.out), all produced by Baileys 6.17.16 under node.
// Private keys are constant bytes: 11 (client ephemeral), 22 (client noise key),
// 33 (server ephemeral), 44 (server static), 55 (certificate root), 66 (intermediate).
#pragma once

#include <cstdint>
#include <string_view>

namespace chorus::core::noise::vectors {

inline constexpr std::uint8_t kClientEphemeralByte = 0x11;
inline constexpr std::uint8_t kClientStaticByte = 0x22;
inline constexpr std::uint8_t kServerEphemeralByte = 0x33;
inline constexpr std::uint8_t kServerStaticByte = 0x44;
inline constexpr std::uint8_t kRootByte = 0x55;
inline constexpr std::uint8_t kIntermediateByte = 0x66;
inline constexpr std::int64_t kNotBefore = 1700000000;
inline constexpr std::int64_t kNotAfter = 4102444800;

inline constexpr std::string_view kClientEphemeralPub =
    "7b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f13";
inline constexpr std::string_view kClientStaticPub =
    "0faa684ed28867b97f4a6a2dee5df8ce974e76b7018e3f22a1c4cf2678570f20";
inline constexpr std::string_view kServerEphemeralPub =
    "7b0d47d93427f8311160781c7c733fd89f88970aef490d8aa0ee19a4cb8a1b14";
inline constexpr std::string_view kServerStaticPub =
    "ff2ee45601ec1b67310c7790404585ae697331eee1c1f8cf2419731c1fff3e6b";
inline constexpr std::string_view kIntermediatePub =
    "219e4d800da968d2a5fcb009c784f4746c7138edb9ee4844b739e830b05cf424";

inline constexpr std::string_view kProtocolNameHex =
    "4e6f6973655f58585f32353531395f41455347434d5f53484132353600000000";
inline constexpr std::string_view kPrologue = "57410602";
inline constexpr std::string_view kHashAfterPrologue =
    "24076ca3815931f30d113dfc5f158dbf4e5ff5a2f01da528ff682074befc9eed";
inline constexpr std::string_view kHashAfterClientEphemeral =
    "85932ca37fba280d0b641e5a83295fbd26e0c3dc0fb16471cc834c3efe53a091";
inline constexpr std::string_view kHashAfterServerEphemeral =
    "086886c983161768bcc0d23b57ff04d749144b43d950a19c3025a4fb79fa6418";
inline constexpr std::string_view kCkAfterEe =
    "75255525cb2271af63579e9ad8df40b244dd97349e0d87536a7ac429e72987a3";
inline constexpr std::string_view kKAfterEe =
    "391d80f93aae00271f1bbc372936ce96d4d0158bf814f1736afd7e28b45ee153";
inline constexpr std::string_view kEncryptedServerStatic =
    "76c390387466635d58f0323bdcbe69099601a1a274074852c87a5a56adbc22002d54c99893f9826f47e9522804146eaf";
inline constexpr std::string_view kHashAfterServerStatic =
    "01412307088e25e4344b378ea89505581243c95ab91cec82f1ceac24969363ac";
inline constexpr std::string_view kCkAfterEs =
    "30c5726908e5ce436d8ddaf962bc0a9bd2d9b16bc930f6e15299064db43c82c9";
inline constexpr std::string_view kKAfterEs =
    "a442b31d1c107369231a148331d78e40264245048fb999a5aeeffa9c0ebd5ad7";
inline constexpr std::string_view kHashAfterCert =
    "4863e6d10c6accb1fdc8ab717c48ab4fefe87fae565763821be5007d63d57f80";
inline constexpr std::string_view kHashAfterClientStatic =
    "0727b5336740e3c200be49248b19650353b631877fb03bfb981e1721fa58c9cc";
inline constexpr std::string_view kCkAfterSe =
    "c7392420b076b331b37b947e31914f866b6eb5a1c759e7404be3a27d4731eaab";
inline constexpr std::string_view kKAfterSe =
    "5cbf9a9ed0e09f4616df1ae50f2aeedd336706fc99fdb4ddcf4fa63ace34c09d";
inline constexpr std::string_view kClientWriteKey =
    "eb2fe0bed643c43335b1354ec654dc80e37916a5b95f315e54435ddd476ef060";
inline constexpr std::string_view kServerWriteKey =
    "f6363bb26e6e9cb20ac77b14b6ec4ee9c92f3f1d9d1397468bb4ea23bed9d1d8";

// Serialized CertChain: root 55, intermediate 66 (serial 1), leaf serial 2 = server static.
inline constexpr std::string_view kCertChain =
    "0a760a32080210011a20ff2ee45601ec1b67310c7790404585ae697331eee1c1f8cf2419731c1fff3e6b2080"
    "e2cfaa062880ae99a40f12406e7553473bb328a7f0428525f9c9bbcfe76cc2f9755de01f5845cb4e90930c54"
    "0fda1dc50465f70a0fa72dec6bfb15d567a7027e43b7578af14bbc30f570c08b12760a32080110001a20219e"
    "4d800da968d2a5fcb009c784f4746c7138edb9ee4844b739e830b05cf4242080e2cfaa062880ae99a40f1240"
    "63df4c67e220375fbbb8fc14327617a96148329989bcc4957076f9f59050b888fcc9acd406789c42728d5fb8"
    "26ebc0b388f9b21e34b97dd40554aa6a142aa104";
// First bytes of Enc(cert) (n = 0 under the es key).
inline constexpr std::string_view kEncryptedCertChainPrefix =
    "288b9fb2a44ada738fa843bef513aebc";
// C->S: intro header, length, HandshakeMessage{clientHello}.
inline constexpr std::string_view kFrame1 =
    "5741060200002412220a207b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f13";
// S->C: length, HandshakeMessage{serverHello}.
inline constexpr std::string_view kFrame2 =
    "00015a1ad7020a207b0d47d93427f8311160781c7c733fd89f88970aef490d8aa0ee19a4cb8a1b14123076c3"
    "90387466635d58f0323bdcbe69099601a1a274074852c87a5a56adbc22002d54c99893f9826f47e952280414"
    "6eaf1a8002288b9fb2a44ada738fa843bef513aebcf7d99d259f6b32bfda1b7e7a82c3979b7c5a5b7622c726"
    "87a20ffcae532d741d87b7e8c8d06116ede2898cf0779fdcd09e33006949a7c475f5d4eb299de710c785f0b2"
    "144b466b008e63fce9518c555891101b65668579a2a445ec74f0862fb58ec32a47d76bd6fd5f264f86d0ccb8"
    "cc94f7673748139fef82b04c6c63035be394acc371162c2752d3900fc2dcc727264a98e9b79e0f491db0dc18"
    "19f309b88e5bb0b8a8f32a2717b8cf819366e64c0252e5e2e3d97e869f2348d9e78206aeffac2a84a0f0206e"
    "5571341130dac5c23327c8506d297927a333801531f583e5b18a84d60cbc5487069de5ec7c2fd5afab";
// The login ClientPayload plaintext (§3.6).
inline constexpr std::string_view kLoginPayload =
    "088784b4f73918002a36080e120b080210b81718c6839ee6031a0330303022033030302a03302e313a074465"
    "736b746f704203302e3150005a02656e620255533202200060016801900102880201";
// C->S: length, HandshakeMessage{clientFinish}.
inline constexpr std::string_view kFrame3 =
    "0000952292010a30b9cb19690dfcfb9a42e033388870388167c822982ffe1d4ef4c15a4d3e5d9d4110373bc1"
    "fc27a4333ad8631a716fbd97125e48e381a218138bce8abd80cfa31be1b047f5b9d7099f55c4aa2df25c4dd6"
    "9e85c2ce3ad886465ddea4733291524cacc63b6cc28461fe6aea944b9df522ab84f75c51bf35f56eb01fa058"
    "8741731613f68d3cd3667aaef0414f6f237c337c";
// <success t=1700000000 lid=...> (v2 tokens), the plaintext of frame 4.
inline constexpr std::string_view kSuccessNode =
    "00f805471dff051700000000fc036c6964f70102ff88123456789012345f";
// S->C transport frame, server-write counter 0.
inline constexpr std::string_view kFrame4 =
    "00002e7351e03b18712cfb16251b72fa6af250d952aa82657ea60fcc4e843c02c7fb9ff89346c932ec7bf7c4"
    "370404618b";
// The keepalive ping iq of §4.6, the plaintext of frame 5.
inline constexpr std::string_view kPingNode =
    "00f80a1e08ff831b2a3f0efa00030431195ff801f80150";
// C->S transport frame, client-write counter 0.
inline constexpr std::string_view kFrame5 =
    "0000271b6084c0900c9c66a35e29da44f3ccd3ecbb3bf58e05f43297098d7936ba190bd3797d1c1f318c";
// Registration ClientPayload (§3.5): identity 77, signed prekey 88 id 1, registration id 0x1234.
inline constexpr std::string_view kRegistrationPayload =
    "18002a36080e120b080210b81718c6839ee6031a0330303022033030302a03302e313a074465736b746f7042"
    "03302e3150005a02656e6202555332022000600168019a01b4010a04000012341201051a201cf579aba45a10"
    "ba1d1ef06d91fca2aa9ed0a1150515653155405d0b18cb9a6722030000012a2030d3c865a48fceb3d6118577"
    "cf2e5f228d6ff69866264757785b253cb7a4806a32407e204f41209a8c2fd3687a169f82e2f0fc3023e88f5a"
    "5511104b7ce2b7a87c6bd5b129dde69e6580a1e9b986d0123c2a66fa42001dd3180042ddcb7534f53c023a10"
    "1c24b32925da6df1b1d672b61de4f238420c0a065562756e747518012000880200";
// ADVSignedDeviceIdentityHMAC from the simulated phone (§6.3).
inline constexpr std::string_view kAdvSignedDeviceIdentityHmac =
    "0a710a0b08b9601080e2cfaa0618071220ba193836cff1f4e866c139715d306408d26a76f76d638a39afc100"
    "1084d254111a4045eacc0140ccc79365e4e39c51af52029a19ba76b851803697ad2f98ea63bf796fa35dcc2c"
    "03c904a767ed267269ae6adde47076e20facc671dfb6be66e156891220f32503fe2ce390b0511b01c02ed50c"
    "db0acfa86f7e59e4ead73940413a5a8d9b";
inline constexpr std::string_view kAdvSignedDeviceIdentity =
    "0a0b08b9601080e2cfaa0618071220ba193836cff1f4e866c139715d306408d26a76f76d638a39afc1001084"
    "d254111a4045eacc0140ccc79365e4e39c51af52029a19ba76b851803697ad2f98ea63bf796fa35dcc2c03c9"
    "04a767ed267269ae6adde47076e20facc671dfb6be66e15689";

}  // namespace chorus::core::noise::vectors
