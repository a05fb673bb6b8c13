#include "core/protocol/noise/cert_chain.h"

#include <gtest/gtest.h>

#include <optional>

#include "core/crypto/xeddsa.h"
#include "core/protocol/noise/proto_io.h"
#include "core/util/random.h"
#include "proto/handshake.pb.h"
#include "tests/unit/protocol/noise/noise_test_util.h"

namespace chorus::core::noise {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): test-only helpers
using Certificate = ::chorus::proto::CertChain::NoiseCertificate;
using Details = ::chorus::proto::CertChain::NoiseCertificate::Details;

Bytes serverStatic() { return hex(vectors::kServerStaticPub); }

// Hand-built chains, so each test can break exactly one thing.
class CertChainBuilder {
 public:
  CertChainBuilder() {
    inter_.set_serial(1);
    inter_.set_issuerserial(0);
    const Bytes interPub = fixedKeyPair(vectors::kIntermediateByte).publicKey;
    inter_.set_key(interPub.data(), interPub.size());
    inter_.set_notbefore(vectors::kNotBefore);
    inter_.set_notafter(vectors::kNotAfter);
    leaf_.set_serial(2);
    leaf_.set_issuerserial(1);
    const Bytes leafKey = serverStatic();
    leaf_.set_key(leafKey.data(), leafKey.size());
    leaf_.set_notbefore(vectors::kNotBefore);
    leaf_.set_notafter(vectors::kNotAfter);
  }

  Details& intermediate() { return inter_; }
  Details& leaf() { return leaf_; }
  CertChainBuilder& leafSigner(std::uint8_t fill) { leafSigner_ = fill; return *this; }
  CertChainBuilder& rootSigner(std::uint8_t fill) { rootSigner_ = fill; return *this; }

  ::chorus::proto::CertChain chain() {
    ::chorus::proto::CertChain chain;
    sign(inter_, rootSigner_, *chain.mutable_intermediate());
    sign(leaf_, leafSigner_, *chain.mutable_leaf());
    return chain;
  }
  Bytes bytes() { return serializeProto(chain()); }

 private:
  void sign(const Details& details, std::uint8_t signerFill, Certificate& out) {
    const Bytes detailBytes = serializeProto(details);
    const Bytes signature =
        crypto::xeddsaSign(Bytes(32, signerFill), detailBytes, random_).value();
    out.set_details(detailBytes.data(), detailBytes.size());
    out.set_signature(signature.data(), signature.size());
  }

  Details inter_;
  Details leaf_;
  std::uint8_t rootSigner_ = vectors::kRootByte;
  std::uint8_t leafSigner_ = vectors::kIntermediateByte;
  SeededRandom random_{7};
};

Status verify(BytesView chain, TimePoint now = vectorNow()) {
  return verifyCertChain(chain, serverStatic(), vectorRoot(), now);
}

TEST(CertChain, VectorChainVerifiesInsideItsWindow) {
  const Bytes chain = hex(vectors::kCertChain);
  EXPECT_TRUE(verify(chain).has_value());
  EXPECT_TRUE(verify(chain, fromUnixSeconds(vectors::kNotBefore)).has_value());
  EXPECT_TRUE(verify(chain, fromUnixSeconds(vectors::kNotAfter)).has_value());
}

TEST(CertChain, VectorChainHasTheDocumentedShape) {
  auto chain = parseProto<::chorus::proto::CertChain>(hex(vectors::kCertChain), "chain").value();
  auto inter = parseProto<Details>(asBytes(chain.intermediate().details()), "d").value();
  auto leaf = parseProto<Details>(asBytes(chain.leaf().details()), "d").value();
  EXPECT_EQ(inter.serial(), 1u);
  EXPECT_EQ(inter.issuerserial(), 0u);
  EXPECT_EQ(toHex(asBytes(inter.key())), vectors::kIntermediatePub);
  EXPECT_EQ(leaf.serial(), 2u);
  EXPECT_EQ(leaf.issuerserial(), 1u);
  EXPECT_EQ(toHex(asBytes(leaf.key())), vectors::kServerStaticPub);
  EXPECT_EQ(leaf.notbefore(), 1700000000u);
  EXPECT_EQ(leaf.notafter(), 4102444800u);
}

TEST(CertChain, ExpiredOrNotYetValidIsRejected) {
  const Bytes chain = hex(vectors::kCertChain);
  EXPECT_EQ(errorOf(verify(chain, fromUnixSeconds(vectors::kNotBefore - 1))), Errc::Crypto);
  EXPECT_EQ(errorOf(verify(chain, fromUnixSeconds(vectors::kNotAfter + 1))), Errc::Crypto);
  EXPECT_EQ(errorOf(verify(chain, fromUnixSeconds(-5))), Errc::Crypto);

  CertChainBuilder interExpired;
  interExpired.intermediate().set_notafter(vectors::kNotBefore + 10);
  EXPECT_EQ(errorOf(verify(interExpired.bytes())), Errc::Crypto);
  CertChainBuilder leafFuture;
  leafFuture.leaf().set_notbefore(vectors::kNotAfter);
  EXPECT_EQ(errorOf(verify(leafFuture.bytes())), Errc::Crypto);
  CertChainBuilder noWindow;  // absent notAfter reads as 0: long expired
  noWindow.leaf().clear_notafter();
  EXPECT_EQ(errorOf(verify(noWindow.bytes())), Errc::Crypto);
}

TEST(CertChain, TheRealWhatsAppRootDoesNotTrustTheTestChain) {
  const Bytes realRoot(kWhatsAppRootKey.begin(), kWhatsAppRootKey.end());
  EXPECT_EQ(toHex(realRoot), "142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b");
  EXPECT_EQ(errorOf(verifyCertChain(hex(vectors::kCertChain), serverStatic(), realRoot,
                                    vectorNow())),
            Errc::Crypto);
}

TEST(CertChain, CreateThenVerify) {
  SeededRandom random(1);
  const Bytes rootPriv(32, 0x55);
  const Bytes interPriv(32, 0x66);
  const Bytes leafKey = serverStatic();
  CertChainParams params;
  params.rootPrivateKey = rootPriv;
  params.intermediatePrivateKey = interPriv;
  params.intermediateSerial = 9;
  params.leafSerial = 10;
  params.leafKey = leafKey;
  params.notBefore = vectors::kNotBefore;
  params.notAfter = vectors::kNotAfter;
  auto chain = createCertChain(params, random);
  ASSERT_TRUE(chain.has_value());
  EXPECT_TRUE(verify(*chain).has_value());
  // Same details as the Baileys chain when the serials match; only signatures differ.
  params.intermediateSerial = 1;
  params.leafSerial = 2;
  auto same = parseProto<::chorus::proto::CertChain>(createCertChain(params, random).value(), "c");
  auto theirs = parseProto<::chorus::proto::CertChain>(hex(vectors::kCertChain), "c");
  EXPECT_EQ(same->leaf().details(), theirs->leaf().details());
  EXPECT_EQ(same->intermediate().details(), theirs->intermediate().details());

  const Bytes shortKey(31, 1);
  params.leafKey = shortKey;
  EXPECT_EQ(errorOf(createCertChain(params, random)), Errc::InvalidArgument);
  params.leafKey = leafKey;
  params.intermediatePrivateKey = shortKey;
  EXPECT_EQ(errorOf(createCertChain(params, random)), Errc::InvalidArgument);
  params.intermediatePrivateKey = interPriv;
  params.rootPrivateKey = shortKey;
  EXPECT_EQ(errorOf(createCertChain(params, random)), Errc::InvalidArgument);
}

TEST(CertChain, UnparsableInputIsMalformed) {
  EXPECT_EQ(errorOf(verify(hex("0aff"))), Errc::Malformed);
  Bytes truncated = hex(vectors::kCertChain);
  truncated.pop_back();
  EXPECT_EQ(errorOf(verify(truncated)), Errc::Malformed);
}

TEST(CertChain, SignedButUnparsableDetailsAreMalformed) {
  CertChainBuilder builder;
  auto chain = builder.chain();
  const Bytes junk = hex("0aff");  // a length that runs past the end
  SeededRandom random(3);
  const Bytes sig = crypto::xeddsaSign(Bytes(32, vectors::kRootByte), junk, random).value();
  chain.mutable_intermediate()->set_details(junk.data(), junk.size());
  chain.mutable_intermediate()->set_signature(sig.data(), sig.size());
  EXPECT_EQ(errorOf(verify(serializeProto(chain))), Errc::Malformed);
}

TEST(CertChain, MissingPartsAreProtocolErrors) {
  EXPECT_EQ(errorOf(verify({})), Errc::Protocol);  // empty chain: parses, has nothing
  EXPECT_EQ(errorOf(verify(hex("12020a00"))), Errc::Protocol);  // what Baileys would accept
  CertChainBuilder builder;
  auto noLeaf = builder.chain();
  noLeaf.clear_leaf();
  EXPECT_EQ(errorOf(verify(serializeProto(noLeaf))), Errc::Protocol);
  auto noSignature = builder.chain();
  noSignature.mutable_leaf()->clear_signature();
  EXPECT_EQ(errorOf(verify(serializeProto(noSignature))), Errc::Protocol);
  auto noDetails = builder.chain();
  noDetails.mutable_intermediate()->clear_details();
  EXPECT_EQ(errorOf(verify(serializeProto(noDetails))), Errc::Protocol);
  auto shortSignature = builder.chain();
  shortSignature.mutable_intermediate()->mutable_signature()->pop_back();
  EXPECT_EQ(errorOf(verify(serializeProto(shortSignature))), Errc::Protocol);
}

TEST(CertChain, BadSignaturesAreCryptoErrors) {
  CertChainBuilder wrongRoot;
  wrongRoot.rootSigner(0x56);
  EXPECT_EQ(errorOf(verify(wrongRoot.bytes())), Errc::Crypto);
  CertChainBuilder wrongLeafSigner;
  wrongLeafSigner.leafSigner(vectors::kRootByte);
  EXPECT_EQ(errorOf(verify(wrongLeafSigner.bytes())), Errc::Crypto);

  CertChainBuilder builder;
  auto flipped = builder.chain();
  (*flipped.mutable_intermediate()->mutable_signature())[10] ^= 1;
  EXPECT_EQ(errorOf(verify(serializeProto(flipped))), Errc::Crypto);
  auto editedDetails = builder.chain();
  editedDetails.mutable_leaf()->mutable_details()->push_back('\0');  // signature no longer covers
  EXPECT_EQ(errorOf(verify(serializeProto(editedDetails))), Errc::Crypto);
}

TEST(CertChain, IntermediateMustBeIssuedByTheRootSerial) {
  CertChainBuilder builder;
  builder.intermediate().set_issuerserial(5);
  EXPECT_EQ(errorOf(verify(builder.bytes())), Errc::Protocol);
}

TEST(CertChain, IntermediateKeyMustBe32Bytes) {
  CertChainBuilder builder;
  builder.intermediate().mutable_key()->pop_back();
  EXPECT_EQ(errorOf(verify(builder.bytes())), Errc::Protocol);
}

TEST(CertChain, LeafIssuerSerialMustMatchTheIntermediate) {
  CertChainBuilder builder;
  builder.leaf().set_issuerserial(7);
  EXPECT_EQ(errorOf(verify(builder.bytes())), Errc::Protocol);
}

TEST(CertChain, LeafKeyMustBeTheServerStaticKey) {
  CertChainBuilder builder;
  const Bytes other = fixedKeyPair(0x45).publicKey;
  builder.leaf().set_key(other.data(), other.size());
  EXPECT_EQ(errorOf(verify(builder.bytes())), Errc::Crypto);
  CertChainBuilder shortKey;
  shortKey.leaf().mutable_key()->pop_back();
  EXPECT_EQ(errorOf(verify(shortKey.bytes())), Errc::Crypto);
}

TEST(CertChain, TrustedRootMustBe32Bytes) {
  EXPECT_EQ(errorOf(verifyCertChain(hex(vectors::kCertChain), serverStatic(), Bytes(31, 0),
                                    vectorNow())),
            Errc::InvalidArgument);
}

}  // namespace
}  // namespace chorus::core::noise
