// Where Chorus keeps its data. `--data DIR` overrides the platform default
// (Linux: ~/.local/share/Chorus, macOS: ~/Library/Application Support/Chorus,
// Windows: %APPDATA%/Chorus).
#pragma once

#include <QString>

namespace chorus::app {

// The folder holding accounts/: the override when given, else the platform's app-data folder.
[[nodiscard]] QString dataDirectory(const QString& override);

}  // namespace chorus::app
