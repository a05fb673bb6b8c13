# Every dependency comes from the system (Debian packages, installed by scripts/deps).
# Nothing is downloaded at configure or build time.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(SIGNAL REQUIRED IMPORTED_TARGET libsignal-protocol-c)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(ZLIB REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Protobuf REQUIRED)

if(NOT CHORUS_CORE_ONLY)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets Network WebSockets HttpServer Test)
  find_package(Qt6Keychain REQUIRED)
  pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
endif()

if(BUILD_TESTING)
  find_package(GTest REQUIRED)
  if(CHORUS_BENCH AND NOT CHORUS_CORE_ONLY)
    find_package(benchmark REQUIRED)
  endif()
endif()
