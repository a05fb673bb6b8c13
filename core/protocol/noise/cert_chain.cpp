#include "core/protocol/noise/cert_chain.h"

#include <string>

#include "core/crypto/x25519.h"
#include "core/crypto/xeddsa.h"
#include "core/protocol/noise/proto_io.h"
#include "proto/handshake.pb.h"

namespace chorus::core::noise {
namespace {

using Certificate = ::chorus::proto::CertChain::NoiseCertificate;
using Details = ::chorus::proto::CertChain::NoiseCertificate::Details;

Status signCertificate(const Details& details, BytesView signerPrivateKey, Random& random,
                       Certificate& out) {
  const Bytes detailBytes = serializeProto(details);
  CHORUS_TRY(signature, crypto::xeddsaSign(signerPrivateKey, detailBytes, random));
  out.set_details(detailBytes.data(), detailBytes.size());
  out.set_signature(signature.data(), signature.size());
  return ok();
}

Status checkShape(const Certificate& cert, const char* which) {
  if (!cert.has_details() || !cert.has_signature()) {
    return fail(Errc::Protocol, std::string(which) + " certificate incomplete");
  }
  if (cert.signature().size() != crypto::kSignatureSize) {
    return fail(Errc::Protocol, std::string(which) + " signature is not 64 bytes");
  }
  return ok();
}

bool withinValidity(const Details& details, std::int64_t nowSeconds) {
  if (nowSeconds < 0) return false;
  const auto now = static_cast<std::uint64_t>(nowSeconds);
  return details.notbefore() <= now && now <= details.notafter();
}

}  // namespace

Result<Bytes> createCertChain(const CertChainParams& params, Random& random) {
  if (params.leafKey.size() != crypto::kCurveKeySize) {
    return fail(Errc::InvalidArgument, "leaf key must be 32 bytes");
  }
  CHORUS_TRY(intermediate, crypto::keyPairFromPrivate(params.intermediatePrivateKey));

  ::chorus::proto::CertChain chain;
  Details interDetails;
  interDetails.set_serial(params.intermediateSerial);
  interDetails.set_issuerserial(kRootIssuerSerial);
  interDetails.set_key(intermediate.publicKey.data(), intermediate.publicKey.size());
  interDetails.set_notbefore(params.notBefore);
  interDetails.set_notafter(params.notAfter);
  CHORUS_CHECK(
      signCertificate(interDetails, params.rootPrivateKey, random, *chain.mutable_intermediate()));

  Details leafDetails;
  leafDetails.set_serial(params.leafSerial);
  leafDetails.set_issuerserial(params.intermediateSerial);
  leafDetails.set_key(params.leafKey.data(), params.leafKey.size());
  leafDetails.set_notbefore(params.notBefore);
  leafDetails.set_notafter(params.notAfter);
  CHORUS_CHECK(signCertificate(leafDetails, intermediate.privateKey.view(), random,
                               *chain.mutable_leaf()));
  return serializeProto(chain);
}

Status verifyCertChain(BytesView chainBytes, BytesView serverStaticKey, BytesView trustedRootKey,
                       TimePoint now) {
  if (trustedRootKey.size() != crypto::kCurveKeySize) {
    return fail(Errc::InvalidArgument, "trusted root key must be 32 bytes");
  }
  CHORUS_TRY(chain, parseProto<::chorus::proto::CertChain>(chainBytes, "certificate chain"));
  if (!chain.has_leaf() || !chain.has_intermediate()) {
    return fail(Errc::Protocol, "certificate chain incomplete");
  }
  const Certificate& inter = chain.intermediate();
  const Certificate& leaf = chain.leaf();
  CHORUS_CHECK(checkShape(inter, "intermediate"));
  CHORUS_CHECK(checkShape(leaf, "leaf"));

  if (!crypto::xeddsaVerify(trustedRootKey, protoBytes(inter.details()),
                            protoBytes(inter.signature()))) {
    return fail(Errc::Crypto, "intermediate certificate not signed by the trusted root");
  }
  CHORUS_TRY(interDetails,
             parseProto<Details>(protoBytes(inter.details()), "intermediate details"));
  if (interDetails.issuerserial() != kRootIssuerSerial) {
    return fail(Errc::Protocol, "intermediate certificate has the wrong issuer serial");
  }
  if (interDetails.key().size() != crypto::kCurveKeySize) {
    return fail(Errc::Protocol, "intermediate key is not 32 bytes");
  }

  if (!crypto::xeddsaVerify(protoBytes(interDetails.key()), protoBytes(leaf.details()),
                            protoBytes(leaf.signature()))) {
    return fail(Errc::Crypto, "leaf certificate not signed by the intermediate");
  }
  CHORUS_TRY(leafDetails, parseProto<Details>(protoBytes(leaf.details()), "leaf details"));

  const std::int64_t nowSeconds = toUnixSeconds(now);
  if (!withinValidity(interDetails, nowSeconds) || !withinValidity(leafDetails, nowSeconds)) {
    return fail(Errc::Crypto, "server certificate expired or not yet valid");
  }
  if (leafDetails.issuerserial() != interDetails.serial()) {
    return fail(Errc::Protocol, "leaf issuer serial does not match the intermediate");
  }
  if (!constantTimeEqual(protoBytes(leafDetails.key()), serverStaticKey)) {
    return fail(Errc::Crypto, "leaf key does not match the server static key");
  }
  return ok();
}

}  // namespace chorus::core::noise
