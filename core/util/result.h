// Result<T>: the error channel of core. Member names follow std::expected (has_value, value,
// error, value_or, Unexpected) so the type can become an alias once the toolchain has it.
#pragma once

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace chorus::core {

// Typed error codes. Decisions branch on these, never on Error::detail.
enum class Errc {
  InvalidArgument,  // a caller passed something unusable
  Protocol,         // a peer sent something that violates the wire protocol
  Malformed,        // bytes that cannot be parsed (truncated, bad tag, bad length)
  TooLarge,         // input over a hard limit (frame size, inflate cap, list size)
  Crypto,           // authentication failure, bad key, library error
  Io,               // file or socket failure
  Timeout,
  Storage,
  Auth,             // credentials refused
  Banned,
  Outdated,
  Cancelled,
  NotFound,
  Unsupported,      // understood but not implemented / not allowed here
  Internal,         // a bug in Chorus: an invariant did not hold
};

[[nodiscard]] const char* errcName(Errc code) noexcept;

struct Error {
  Errc code = Errc::Internal;
  std::string detail;  // for logs and people; never contains secrets or message text
};

[[nodiscard]] inline std::string describe(const Error& e) {
  return std::string(errcName(e.code)) + (e.detail.empty() ? "" : ": " + e.detail);
}

template <class E>
struct Unexpected {
  E err;
  explicit Unexpected(E e) : err(std::move(e)) {}
  [[nodiscard]] const E& error() const& noexcept { return err; }
  [[nodiscard]] E&& error() && noexcept { return std::move(err); }
};

[[nodiscard]] inline Unexpected<Error> fail(Errc code, std::string detail = {}) {
  return Unexpected<Error>(Error{code, std::move(detail)});
}

template <class T>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(implicit)
  Result(Unexpected<Error> e) : v_(std::in_place_index<1>, std::move(e).error()) {}  // NOLINT
  template <class U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Result> &&
             !std::is_same_v<std::decay_t<U>, Unexpected<Error>>)
  Result(U&& value) : v_(std::in_place_index<0>, T(std::forward<U>(value))) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  [[nodiscard]] T& value() & { assert(has_value()); return std::get<0>(v_); }
  [[nodiscard]] const T& value() const& { assert(has_value()); return std::get<0>(v_); }
  [[nodiscard]] T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
  [[nodiscard]] T& operator*() & { return value(); }
  [[nodiscard]] const T& operator*() const& { return value(); }
  [[nodiscard]] T&& operator*() && { return std::move(*this).value(); }
  [[nodiscard]] T* operator->() { return &value(); }
  [[nodiscard]] const T* operator->() const { return &value(); }

  [[nodiscard]] const Error& error() const& { assert(!has_value()); return std::get<1>(v_); }
  [[nodiscard]] Error&& error() && { assert(!has_value()); return std::get<1>(std::move(v_)); }

  template <class U>
  [[nodiscard]] T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;
  Result() = default;
  Result(Unexpected<Error> e) : err_(std::move(e).error()), ok_(false) {}  // NOLINT(implicit)

  [[nodiscard]] bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const { assert(ok_); }
  [[nodiscard]] const Error& error() const& { assert(!ok_); return err_; }
  [[nodiscard]] Error&& error() && { assert(!ok_); return std::move(err_); }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;

[[nodiscard]] inline Status ok() { return {}; }

}  // namespace chorus::core

// Propagate an error from an expression returning Result<...>: CHORUS_TRY(r, expr);
#define CHORUS_TRY_CONCAT_INNER(a, b) a##b
#define CHORUS_TRY_CONCAT(a, b) CHORUS_TRY_CONCAT_INNER(a, b)
#define CHORUS_TRY(var, expr)                                                          \
  auto CHORUS_TRY_CONCAT(chorus_try_, __LINE__) = (expr);                              \
  if (!CHORUS_TRY_CONCAT(chorus_try_, __LINE__).has_value())                           \
    return ::chorus::core::Unexpected<::chorus::core::Error>(                          \
        std::move(CHORUS_TRY_CONCAT(chorus_try_, __LINE__)).error());                  \
  auto var = std::move(CHORUS_TRY_CONCAT(chorus_try_, __LINE__)).value()
#define CHORUS_CHECK(expr)                                                             \
  do {                                                                                 \
    auto chorus_check_r = (expr);                                                      \
    if (!chorus_check_r.has_value())                                                   \
      return ::chorus::core::Unexpected<::chorus::core::Error>(                        \
          std::move(chorus_check_r).error());                                          \
  } while (0)
