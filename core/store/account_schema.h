// The schema of an account's database (accounts/<uuid>/chorus.db) as its numbered migrations.
// Append only: a released migration is never edited, a change is a new step at the end.
#pragma once

#include <span>

#include "core/store/migrations.h"

namespace chorus::core::store {

[[nodiscard]] std::span<const Migration> accountMigrations() noexcept;

}  // namespace chorus::core::store
