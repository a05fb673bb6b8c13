// The window's shared look: colours derived from the palette (so dark palettes work), the state
// colours of number badges, and small painting helpers the delegates share. Fixed colours are
// used only for states (green/amber/grey/red), and even those are toned for the palette.
#pragma once

#include <QColor>
#include <QPalette>
#include <QPoint>
#include <QRect>
#include <QString>
#include <QTime>

#include "core/api/message_types.h"
#include "ui/status_text.h"

class QPainter;
class QFont;

namespace chorus::ui::look {

inline constexpr int kMargin = 8;   // outer padding of rows and panels
inline constexpr int kRadius = 8;   // bubble and badge corners
inline constexpr int kDotSize = 8;  // a number's state dot

// a·(1-t) + b·t, channel by channel.
[[nodiscard]] QColor mix(const QColor& a, const QColor& b, double t);
[[nodiscard]] bool isDark(const QPalette& palette);
// The colour of a number's state (dot and badge text), readable on `palette`'s base.
[[nodiscard]] QColor severityColor(Severity severity, const QPalette& palette);
// Secondary text (times, previews, phone numbers): text mixed towards the base.
[[nodiscard]] QColor secondaryText(const QPalette& palette);
// Read ticks: the accent, toned for contrast on the palette.
[[nodiscard]] QColor readColour(const QPalette& palette);
// The failure colour (failed messages, "needs action").
[[nodiscard]] QColor failureColor(const QPalette& palette);
// A pill with a count ("3", "99+") right-aligned in `rect`, vertically centred; returns its width.
int paintCountPill(QPainter& painter, const QRect& rect, int count, const QPalette& palette,
                   const QFont& font);
[[nodiscard]] QString countText(int count);
// A clock time in the locale's short format, without seconds ("14:20", "2:20 PM").
[[nodiscard]] QString clockText(const QTime& time);
// A font `factor` times the size of `base` (fonts set in pixels or points alike).
[[nodiscard]] QFont scaled(const QFont& base, double factor);

// An outgoing message's status drawn as vector marks in a box `size` high, left-aligned at
// `topLeft`: a clock (queued), ✓ (sent), ✓✓ (delivered), ✓✓ in `readColour` (read), ! in the
// failure colour (failed). Returns the width used.
int paintStatusMark(QPainter& painter, QPoint topLeft, int size, api::MessageStatus status,
                    const QColor& colour, const QColor& readColour, const QPalette& palette);
[[nodiscard]] int statusMarkWidth(int size, api::MessageStatus status);
// The status in words, for accessible text ("read", "not sent").
[[nodiscard]] QString statusWords(api::MessageStatus status);

}  // namespace chorus::ui::look
