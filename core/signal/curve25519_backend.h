// Which Curve25519 libsignal-protocol-c runs on in this process.
//
// libsignal-protocol-c computes every key agreement and every public key (basepoint 9) with
// its own portable curve25519_donna, ~300 µs per scalar multiplication here: three per DH
// ratchet step, most of a ping-pong conversation's CPU time. Debian's libsignal exports that
// function and calls it through its PLT (R_X86_64_JUMP_SLOT), so a definition in the
// executable's dynamic symbol table interposes it. curve25519_backend.cpp defines
// curve25519_donna on libsodium (same results, donna's contract, ~5x faster), and
// core/signal/CMakeLists.txt makes every executable that links core/signal pull it in and
// export it.
//
// Interposition depends on how libsignal was built: a libsignal linked with -Bsymbolic(-functions)
// binds its calls internally and keeps its own donna (still correct, only slower).
// curve25519Backend() checks at run time which one answers, for the log; the unit test
// (tests/unit/signal/curve25519_backend_test.cpp) fails when it is not ours.
// Signatures (XEdDSA: curve25519_sign / curve25519_verify) stay libsignal's: they run for
// signed prekeys and bundles only, never per message.
#pragma once

#include <cstdint>
#include <string_view>

namespace chorus::core::signal {

enum class Curve25519Backend {
  Libsodium,         // libsignal's calls reach our curve25519_donna (libsodium)
  LibsignalBuiltin,  // not interposed: libsignal's own donna (correct, slower)
  Mismatch,          // a known agreement came out wrong: never expected, do not trust Signal
};

// Computes one RFC 7748 agreement through libsignal (curve_calculate_agreement) and reports
// who computed it and whether the result is right. Cheap (one scalar multiplication).
[[nodiscard]] Curve25519Backend curve25519Backend();
[[nodiscard]] std::string_view curve25519BackendName(Curve25519Backend backend) noexcept;

// Scalar multiplications our curve25519_donna has done in this process (any thread).
[[nodiscard]] std::uint64_t libsodiumCurve25519Calls() noexcept;

}  // namespace chorus::core::signal
